import { Command } from 'commander';
import { adminCommand, runAdmin, type AdminOptions } from '../admin-command.ts';
import { accountText } from '../format.ts';

export function accountsCommand(): Command {
  return new Command('accounts')
    .description('manage customer accounts')
    .addCommand(adminCommand('create', 'create an account whose API login and password are these')
      .requiredOption('--login <login>', 'API login')
      .requiredOption('--password <password>', 'API password (at least 8 characters)')
      .action((o: AdminOptions & { login: string; password: string }) =>
        runAdmin(o, (c) => c.createAccount(o.login, o.password), (a) => `account ${a.login} created (id ${a.id})`)))
    .addCommand(adminCommand('list', 'list accounts')
      .action((o: AdminOptions) =>
        runAdmin(o, (c) => c.listAccounts(), (list) => list.map((a) => `${a.id}\t${a.login}`).join('\n') || 'no accounts')))
    .addCommand(adminCommand('show', 'show an account: balance, holds, policy, prices and what it owns')
      .requiredOption('--login <login>', 'account login')
      .action((o: AdminOptions & { login: string }) => runAdmin(o, (c) => c.showAccount(o.login), accountText)));
}
