import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import { generateDemoInventory, type DemoInventoryOptions } from '../../src/store/demo/demo-inventory.ts';
import { passwordOf } from './harness.ts';

export interface SeedOptions {
  accounts: string[];
  inventory: DemoInventoryOptions;
  /** Keep at most this many local and toll-free numbers of the generated inventory. */
  maxLocal?: number;
  maxTollFree?: number;
}

/** Migrates `url` and fills it through the store code, as an operator would before starting processes. */
export async function seedDatabase(url: string, options: SeedOptions): Promise<{ numbers: string[]; tollFree: string[] }> {
  const context = await createContext(envToConfig({ DATABASE_URL: url, NUMBERD_DEMO: '0' }));
  try {
    const generated = generateDemoInventory(options.inventory);
    const local = generated.numbers.filter((n) => !n.tollFree).slice(0, options.maxLocal);
    const tollFree = generated.numbers.filter((n) => n.tollFree).slice(0, options.maxTollFree);
    await context.store.transaction((tx) => tx.inventory.add(generated.regions, [...local, ...tollFree]));
    for (const login of options.accounts) await context.services.accounts.createAccount(login, passwordOf(login));
    return { numbers: local.map((n) => n.number), tollFree: tollFree.map((n) => n.number) };
  } finally {
    await context.close();
  }
}

export function basicAuth(login: string): string {
  return `Basic ${Buffer.from(`${login}:${passwordOf(login)}`).toString('base64')}`;
}
