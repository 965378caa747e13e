/**
 * Starts the service: configuration from the environment and .env, the app,
 * then listen. SIGTERM/SIGINT: stop accepting, let in-flight requests and
 * running background jobs finish, exit 0. An invalid configuration exits 1
 * with a message naming the variable.
 */
import { config as loadDotenv } from 'dotenv';
import { buildApp } from './app.js';
import { describeBackends } from './backends.js';
import { ConfigError, loadConfig, type Config } from './config.js';

loadDotenv({ quiet: true });

let config: Config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}

const app = await buildApp(config);
app.log.info(`backends: ${describeBackends(config)}`);
app.log.info(
  {
    workers: config.workerPoolSize,
    cache: config.cache,
    maxUploadBytes: config.maxUploadBytes,
    streaming: config.streamingEnabled,
    background: config.backgroundEnabled,
    apiKeyRequired: config.apiKeyRequired,
    rateLimitPerHour: config.rateLimitPerHour,
    pixelBudget: config.pixelBudget,
  },
  'configuration',
);
if (process.platform === 'linux' && process.env.MALLOC_ARENA_MAX === undefined) {
  app.log.warn(
    'MALLOC_ARENA_MAX is not set: glibc may keep freed conversion memory and RSS creep up under load; set MALLOC_ARENA_MAX=2, MALLOC_MMAP_THRESHOLD_=131072 and MALLOC_TRIM_THRESHOLD_=131072 (docs/DEPLOYMENT.md, "Memory")',
  );
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
  try {
    await app.close();
    process.exit(0);
  } catch (e) {
    app.log.error({ err: e }, 'error while shutting down');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.listen({ host: config.host, port: config.port });
} catch (e) {
  app.log.error({ err: e }, `cannot listen on ${config.host}:${config.port} (BACKEND_HOST, BACKEND_PORT)`);
  process.exit(1);
}
