/**
 * `image2svg worker`: the worker role (SERVICE_ROLE=worker) in the
 * foreground. It runs background jobs from the shared Redis queue on the
 * thread pool and serves /health, /ready and /metrics on WORKER_METRICS_PORT;
 * configuration comes from the environment and .env as for the service.
 * SIGTERM stops it gracefully (running jobs finish or are handed back).
 */
import { Command } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';

export function workerCommand(setExitCode: (code: number) => void): Command {
  return new Command('worker')
    .description(
      'run background conversion workers only (SERVICE_ROLE=worker): jobs from the Redis queue (REDIS_HOST), ' +
        '/health, /ready and /metrics on WORKER_METRICS_PORT (default 9100)',
    )
    .action(async () => {
      const { config: loadDotenv } = await import('dotenv');
      const { ConfigError, loadConfig } = await import('../server/config.js');
      loadDotenv({ quiet: true });
      let config;
      try {
        config = loadConfig({ ...process.env, SERVICE_ROLE: 'worker' });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        process.stderr.write(`image2svg worker: ${e.message}\n`);
        setExitCode(EXIT_USAGE);
        return;
      }
      const { runWorkerProcess } = await import('../server/worker.js');
      await runWorkerProcess(config);
      // Runs until SIGTERM/SIGINT, which exit the process.
      await new Promise<never>(() => {});
    });
}
