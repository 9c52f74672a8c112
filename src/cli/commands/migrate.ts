import { Command } from 'commander';
import { envToConfig } from '../../config/config.ts';
import { readEnv } from '../../config/env.ts';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('bring the database schema up to date (serve does this too)')
    .action(async () => {
      const { migrateToLatest, openDatabase } = await import('../../store/database.ts');
      const config = envToConfig(readEnv());
      const database = openDatabase({ url: config.database.url });
      try {
        await migrateToLatest(database);
        console.log('numberd: database is up to date');
      } finally {
        await database.close();
      }
    });
}
