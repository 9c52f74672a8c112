import { Command } from 'commander';
import { adminCommand, runAdmin, type AdminOptions } from '../admin-command.ts';
import { accountText } from '../format.ts';

export function fundsCommand(): Command {
  return new Command('funds')
    .description('prepaid balances')
    .addCommand(adminCommand('add', 'credit an account; orders waiting for payment move on')
      .requiredOption('--login <login>', 'account login')
      .requiredOption('--amount <amount>', 'amount like 25.00')
      .action((o: AdminOptions & { login: string; amount: string }) => runAdmin(o, (c) => c.addFunds(o.login, o.amount), accountText)));
}

export function pricesCommand(): Command {
  return new Command('prices')
    .description('per-account unit prices')
    .addCommand(adminCommand('set', 'set an account\'s monthly unit prices (an empty value returns to the default)')
      .requiredOption('--login <login>', 'account login')
      .option('--local <amount>', 'local number')
      .option('--toll-free <amount>', 'toll-free number')
      .option('--keyword <amount>', 'keyword')
      .action((o: AdminOptions & { login: string; local?: string; tollFree?: string; keyword?: string }) =>
        runAdmin(o, (c) => c.setPrices(o.login, { local: o.local, tollFree: o.tollFree, keyword: o.keyword }), accountText)));
}

export function policyCommand(): Command {
  return new Command('policy')
    .description('approval and credit policy')
    .addCommand(adminCommand('set', 'set approval thresholds and the credit limit (omit one to clear it)')
      .requiredOption('--login <login>', 'account login')
      .option('--tier-one <amount>', 'orders of at least this total need a tier-one approval')
      .option('--tier-two <amount>', 'orders of at least this total also need a tier-two approval')
      .option('--credit-limit <amount>', 'how far below zero the balance may go; 0.00 = strictly prepaid; omit for no limit')
      .action((o: AdminOptions & { login: string; tierOne?: string; tierTwo?: string; creditLimit?: string }) =>
        runAdmin(o, (c) => c.setPolicy(o.login, { tierOne: o.tierOne, tierTwo: o.tierTwo, creditLimit: o.creditLimit }), accountText)));
}

export function ledgerCommand(): Command {
  return new Command('ledger')
    .description('the money ledger')
    .addCommand(adminCommand('check', 'prove every balance equals the sum of its ledger; exits 1 when one does not')
      .action((o: AdminOptions) => runAdmin(o, (c) => c.ledgerCheck(), (r) => r.balanced
        ? 'ledger balanced: every balance equals the sum of its entries'
        : r.mismatches.map((m) => `${m.login}: balance ${m.balance} but ledger ${m.ledgerBalance}; held ${m.held} but ledger ${m.ledgerHeld}`).join('\n'),
      (r) => (r.balanced ? 0 : 1))));
}
