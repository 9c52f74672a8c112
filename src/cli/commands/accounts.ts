import { Command } from 'commander';
import { envToConfig } from '../../config/config.ts';
import { readEnv } from '../../config/env.ts';
import { createContext } from '../../context.ts';

export function accountsCommand(): Command {
  const accounts = new Command('accounts').description('manage customer accounts');
  accounts
    .command('create')
    .description('create an account whose API login and password are these')
    .requiredOption('--login <login>', 'API login')
    .requiredOption('--password <password>', 'API password (at least 8 characters)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { login: string; password: string; json?: boolean }) => {
      const context = await createContext(envToConfig(readEnv()));
      try {
        const account = await context.services.accounts.createAccount(options.login, options.password);
        console.log(options.json ? JSON.stringify({ id: account.id, login: account.login }) : `account ${account.login} created (id ${account.id})`);
      } finally {
        await context.close();
      }
    });
  return accounts;
}
