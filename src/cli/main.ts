import { Command } from 'commander';
import { accountsCommand } from './commands/accounts.ts';
import { fundsCommand, ledgerCommand, policyCommand, pricesCommand } from './commands/billing.ts';
import { credentialsCommand } from './commands/credentials.ts';
import { inventoryCommand } from './commands/inventory.ts';
import { ordersCommand } from './commands/orders.ts';
import { migrateCommand } from './commands/migrate.ts';
import { serveCommand } from './commands/serve.ts';

const program = new Command()
  .name('numberd')
  .description('Number and keyword provisioning server speaking the CallFire API 1.1 Number service')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(migrateCommand())
  .addCommand(accountsCommand())
  .addCommand(credentialsCommand())
  .addCommand(fundsCommand())
  .addCommand(pricesCommand())
  .addCommand(policyCommand())
  .addCommand(ordersCommand())
  .addCommand(ledgerCommand())
  .addCommand(inventoryCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`numberd: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
