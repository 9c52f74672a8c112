import { Command, Option } from 'commander';
import { envToConfig } from '../../config/config.ts';
import { readEnv } from '../../config/env.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the API server and the order worker (or one of them, with --role)')
    .option('--host <host>', 'address to listen on (HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (PORT, default 8080)', (v) => Number(v))
    .addOption(new Option('--role <role>', 'all: API and worker; api: only answer requests; worker: only run jobs (and serve /healthz, /metrics)')
      .choices(['all', 'api', 'worker']).default('all'))
    .option('--no-demo', 'do not seed demo inventory and the demo account')
    .action(async (options: { host?: string; port?: number; role: 'all' | 'api' | 'worker'; demo: boolean }) => {
      const config = envToConfig(readEnv(), {
        server: { host: options.host, port: options.port },
        demo: options.demo ? {} : { enabled: false },
      });
      const { createContext } = await import('../../context.ts');
      const { isLastAttempt } = await import('../../app/job-runner.ts');
      const { createHttpApp } = await import('../../server.ts');
      const { seedDemo } = await import('../../store/demo/seed-demo.ts');
      const { pino } = await import('pino');
      const logger = pino({ level: config.server.logLevel });
      const context = await createContext(config, {
        onJobError: (error, job) => logger.warn({ err: error, job: job && { id: job.id, kind: job.kind, attempts: job.attempts } }, !job ? 'lease sweep failed' : isLastAttempt(job) ? 'job failed its last attempt' : 'job failed, retried later'),
        onJobGaveUp: (job) => logger.error({ job: { id: job.id, kind: job.kind, attempts: job.maxAttempts } }, 'job failed its last attempt and was given up'),
      });
      // Seeding is the API side's business; workers of a scaled-out deployment start on a seeded database.
      if (config.demo.enabled && options.role !== 'worker') {
        const report = await seedDemo(context, config.demo.password);
        if (report.numbersAdded > 0) console.log(`numberd: demo inventory of ${report.numbersAdded} numbers created`);
        if (report.account) {
          console.log(`numberd: demo account "${report.account.login}" created with password ${report.account.generated ? report.account.password : 'from NUMBERD_DEMO_PASSWORD'}`);
        }
      }
      // A worker still listens, for /healthz and /metrics only.
      const app = await createHttpApp(context, { logger, api: options.role !== 'worker' });
      if (options.role !== 'api') await context.startWorker({ otherProcesses: options.role === 'worker' });
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      console.log(`numberd: listening on ${address} (role ${options.role}, database ${config.database.url.split('@').pop()})`);
      let stopping = false;
      // Graceful: stop accepting requests and jobs, finish what is in progress, then exit. A job
      // that cannot finish (the process is killed meanwhile) is taken over once its lock is stale.
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`numberd: ${signal}, finishing work in progress`);
        await app.close();
        await context.close();
        console.log('numberd: stopped');
        process.exit(0);
      };
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGINT', () => void stop('SIGINT'));
    });
}
