import { Command } from 'commander';
import { accountsCommand } from './commands/accounts.ts';
import { migrateCommand } from './commands/migrate.ts';
import { serveCommand } from './commands/serve.ts';

const program = new Command()
  .name('numberd')
  .description('Number and keyword provisioning server speaking the CallFire API 1.1 Number service')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(migrateCommand())
  .addCommand(accountsCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`numberd: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
