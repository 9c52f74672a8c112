import { Command } from 'commander';
import { adminCommand, runAdmin, type AdminOptions } from '../admin-command.ts';
import { accountText } from '../format.ts';

export function credentialsCommand(): Command {
  return new Command('credentials')
    .description('manage the API credentials of an account')
    .addCommand(adminCommand('add', 'add an API login and password to an account')
      .requiredOption('--login <login>', 'account login')
      .requiredOption('--credential <login>', 'the new API login')
      .requiredOption('--password <password>', 'its password (at least 8 characters)')
      .action((o: AdminOptions & { login: string; credential: string; password: string }) =>
        runAdmin(o, (c) => c.addCredential(o.login, o.credential, o.password), accountText)))
    .addCommand(adminCommand('revoke', 'revoke an API login of an account')
      .requiredOption('--login <login>', 'account login')
      .requiredOption('--credential <login>', 'the API login to revoke')
      .action((o: AdminOptions & { login: string; credential: string }) =>
        runAdmin(o, (c) => c.revokeCredential(o.login, o.credential), accountText)));
}
