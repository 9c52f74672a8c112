import { randomBytes } from 'node:crypto';
import type { Context } from '../../context.ts';
import { DEMO_INVENTORY, generateDemoInventory } from './demo-inventory.ts';

export const DEMO_LOGIN = 'demo';

export interface DemoSeedReport {
  numbersAdded: number;
  /** Set when the demo account was created now; the password to print if it was generated. */
  account: { login: string; password: string; generated: boolean } | null;
}

/** Gives an empty database the demo inventory and the demo account; a seeded one is left alone. */
export async function seedDemo(context: Context, password: string | null): Promise<DemoSeedReport> {
  let numbersAdded = 0;
  // Not stats(): its counts read every number, 0.7 s at 1,000,000 of them on SQLite, at each start.
  if (await context.store.inventory.isEmpty()) {
    const inventory = generateDemoInventory(DEMO_INVENTORY);
    numbersAdded = await context.store.transaction((tx) => tx.inventory.add(inventory.regions, inventory.numbers));
  }
  let account: DemoSeedReport['account'] = null;
  if (!(await context.store.accounts.findByLogin(DEMO_LOGIN))) {
    const chosen = password ?? randomBytes(12).toString('base64url');
    await context.services.accounts.createAccount(DEMO_LOGIN, chosen);
    account = { login: DEMO_LOGIN, password: chosen, generated: password === null };
  }
  return { numbersAdded, account };
}
