/**
 * Prometheus and Grafana files: every query parses as PromQL, selects only
 * metrics that the service's processes really export (scraped from their
 * /metrics: the API, and a worker process where the service has that role), reads
 * counters and histogram buckets through rate(), and computes quantiles as
 * histogram_quantile(sum by (le) (rate(...))). With promtool on the machine
 * (scripts/install-deploy-test-tools.sh), the alert rules' own unit tests
 * (monitoring/alerts.test.yml) run too.
 */
import { execFileSync, spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../../src/server/config.js';
import { findRedisServer, freePort, startRedis } from '../server/redis-server.js';
import {
  expandGrafanaVariables,
  findExecutable,
  promqlSelectors,
  readText,
  readYaml,
  repoPath,
  TEST_TOOLS,
  type Doc,
} from './deploy-files.js';

/** Series Prometheus writes itself for every target. */
const PROMETHEUS_SERIES = ['up'];
const RATE_FUNCTIONS = ['rate', 'irate', 'increase'];

/** Metric names in a Prometheus text exposition: sample names, and each histogram's and summary's series. */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const [, name, kind] = type;
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      else if (kind === 'summary') for (const s of ['', '_sum', '_count']) names.add(name + s);
      else names.add(name);
    } else if (/^[a-zA-Z_:]/.test(line)) names.add(/^[a-zA-Z_:][\w:]*/.exec(line)![0]);
  }
  return names;
}

/**
 * Starts the built service (dist/server/main.js) as a process on a free port
 * with `env`, waits for `/ready` (or its exit), scrapes `/metrics` from
 * `metricsPort`, then stops it with SIGTERM.
 */
async function scrape(env: Record<string, string>, port: number, metricsPort = port): Promise<string> {
  const child = spawn(process.execPath, [repoPath('dist/server/main.js')], {
    env: { PATH: process.env.PATH, DOTENV_CONFIG_PATH: '/nonexistent', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited: ${stderr}`);
      const up = await fetch(`http://127.0.0.1:${metricsPort}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      // Polls until the process listens or exits: no deadline of its own (the test timeout bounds it).
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    return await res.text();
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const redisServer = findRedisServer();
let exported: Set<string>;
beforeAll(async () => {
  // The metrics of every process the deployment runs, scraped for real: the
  // API (with Redis, as deployed) and, where the service has the role, a
  // worker process. A metric a panel or an alert names must be among them.
  const redis = redisServer ? await startRedis(redisServer) : null;
  const base = {
    BACKEND_HOST: '127.0.0.1',
    WORKER_POOL_SIZE: '1',
    ...(redis ? { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redis.settings.port) } : {}),
  };
  try {
    const apiPort = await freePort();
    const texts = [await scrape({ ...base, BACKEND_PORT: String(apiPort) }, apiPort)];
    if (redis && ENV_VARIABLES.includes('SERVICE_ROLE')) {
      const [port, metricsPort] = [await freePort(), await freePort()];
      texts.push(
        await scrape(
          {
            ...base,
            SERVICE_ROLE: 'worker',
            BACKEND_PORT: String(port),
            WORKER_METRICS_PORT: String(metricsPort),
          },
          port,
          metricsPort,
        ),
      );
    }
    exported = new Set([...PROMETHEUS_SERIES, ...texts.flatMap((t) => [...exposedNames(t)])]);
  } finally {
    await redis?.stop();
  }
});

const dashboard = (): Doc => JSON.parse(readText('monitoring/grafana-dashboard.json'));
const dashboardQueries = (): { panel: string; expr: string }[] =>
  dashboard().panels.flatMap((p: Doc) =>
    (p.targets ?? []).map((t: Doc) => ({ panel: p.title, expr: expandGrafanaVariables(t.expr) })),
  );
const alertRules = (): Doc[] => readYaml('monitoring/alerts.yml').groups.flatMap((g: Doc) => g.rules);

/** The PromQL mistakes that make a panel or alert silently wrong. */
function checkQuery(where: string, expr: string): void {
  const selectors = promqlSelectors(expr);
  expect(selectors.length, `${where}: selects no metric`).toBeGreaterThan(0);
  for (const { metric, enclosing } of selectors) {
    expect(exported.has(metric), `${where}: ${metric} is not a metric the service exports`).toBe(true);
    if (/_(total|bucket|sum|count)$/.test(metric)) {
      expect(
        RATE_FUNCTIONS.includes(enclosing[0]),
        `${where}: counter ${metric} must be read through rate(), not ${enclosing[0] ?? 'raw'}`,
      ).toBe(true);
    }
    if (metric.endsWith('_bucket')) {
      expect(enclosing.slice(0, 3), `${where}: ${metric}`).toEqual(['rate', 'sum', 'histogram_quantile']);
      expect(expr, `${where}: quantiles need the le label kept`).toMatch(/sum by \(le\)/);
    }
  }
}

describe('metrics exposition', () => {
  it('reads sample names and the series of histograms and summaries', () => {
    const text = [
      '# HELP a_total x',
      '# TYPE a_total counter',
      '# TYPE h histogram',
      '# TYPE s summary',
      '# TYPE g gauge',
      'g{x="1"} 2',
      'other_metric 1',
    ].join('\n');
    expect([...exposedNames(text)].sort()).toEqual(
      ['a_total', 'g', 'h_bucket', 'h_count', 'h_sum', 'other_metric', 's', 's_count', 's_sum'].sort(),
    );
  });

  it('the scraped API exports the guide’s metrics and Node’s process metrics', () => {
    for (const name of [
      'uploads_total',
      'vectorizations_total',
      'processing_seconds_bucket',
      'cache_hits_total',
      'http_requests_total',
      'image2svg_queue_depth',
      'process_resident_memory_bytes',
    ])
      expect(exported, name).toContain(name);
  });
});

describe('PromQL checks', () => {
  it('finds metric names and the functions around them', () => {
    expect(promqlSelectors('histogram_quantile(0.9, sum by (le) (rate(a_bucket{x="1"}[5m]))) / b')).toEqual([
      { metric: 'a_bucket', enclosing: ['rate', 'sum', 'histogram_quantile'] },
      { metric: 'b', enclosing: [] },
    ]);
  });
  it('rejects a syntax error', () => {
    expect(() => promqlSelectors('sum(rate(a_total[5m])')).toThrow(/syntax error/);
  });
  it('rejects the deployment guide’s raw counter ratio and bare histogram_quantile', () => {
    expect(() =>
      checkQuery('guide', "cache_hits_total / (cache_hits_total + vectorizations_total{cached='false'})"),
    ).toThrow(/must be read through rate/);
    expect(() => checkQuery('guide', 'histogram_quantile(0.95, processing_seconds_bucket)')).toThrow();
    expect(() => checkQuery('typo', 'rate(upload_total[5m])')).toThrow(/not a metric the service exports/);
  });
});

describe('Grafana dashboard', () => {
  it('is an importable dashboard model with unique panel ids on a 24-column grid', () => {
    const d = dashboard();
    expect(d.uid).toBe('image2svg-overview');
    expect(d.panels.length).toBeGreaterThan(10);
    const ids = d.panels.map((p: Doc) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    const datasource = d.templating.list.find((v: Doc) => v.name === 'datasource');
    expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const p of d.panels.filter((p: Doc) => p.type !== 'row'))
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });

  it('every query parses, selects exported metrics and uses rate() and histogram_quantile correctly', () => {
    for (const { panel, expr } of dashboardQueries()) checkQuery(panel, expr);
  });

  it('shows request rate, cache hit rate, p50/p95/p99, errors, queue, jobs, memory and CPU', () => {
    const all = dashboardQueries()
      .map((q) => q.expr)
      .join('\n');
    for (const p of ['0.5', '0.95', '0.99']) expect(all).toContain(`histogram_quantile(${p}, sum by (le)`);
    for (const metric of [
      'http_requests_total',
      'uploads_total',
      'cache_hits_total',
      'vectorizations_total{job="x", cached="false"}',
      'status=~"5.."',
      'image2svg_queue_depth',
      'image2svg_jobs_in_progress',
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
    ])
      expect(all).toContain(metric);
  });

  it('is provisioned from the file compose mounts, with a Prometheus data source', () => {
    const provider = readYaml('monitoring/grafana/provisioning/dashboards/image2svg.yml').providers[0];
    expect(provider.options.path).toBe('/var/lib/grafana/dashboards');
    const compose = readYaml('docker-compose.prod.yml').services.grafana.volumes;
    expect(compose).toContain(
      './monitoring/grafana-dashboard.json:/var/lib/grafana/dashboards/image2svg.json:ro',
    );
    const [source] = readYaml('monitoring/grafana/provisioning/datasources/prometheus.yml').datasources;
    expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
  });
});

describe('Prometheus', () => {
  it('scrapes every backend replica on port 8000 and every worker on 9100, and loads the alerts', () => {
    const config = readYaml('monitoring/prometheus.yml');
    expect(config.rule_files).toEqual(['alerts.yml']);
    const job = config.scrape_configs.find((j: Doc) => j.job_name === 'image2svg-backend');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.dns_sd_configs).toEqual([
      { names: ['backend'], type: 'A', port: 8000, refresh_interval: '15s' },
    ]);
    const workers = config.scrape_configs.find((j: Doc) => j.job_name === 'image2svg-worker');
    expect(workers.dns_sd_configs).toEqual([
      { names: ['worker'], type: 'A', port: 9100, refresh_interval: '15s' },
    ]);
    const compose = readYaml('docker-compose.prod.yml').services;
    expect(compose.worker.environment.WORKER_METRICS_PORT).toBe('9100');
  });

  it('alert rules parse, query exported metrics correctly and carry severity and a summary', () => {
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'HighErrorRate',
        'LowCacheHitRate',
        'SlowConversions',
        'ConversionQueueBacklog',
      ]),
    );
    for (const rule of rules) {
      checkQuery(rule.alert, rule.expr);
      // Each rule names the scrape job it watches: the API replicas' or the workers'.
      expect(rule.expr, rule.alert).toMatch(/job="image2svg-(backend|worker)"/);
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
    }
  });

  it('HighErrorRate and LowCacheHitRate are ratios of summed rates', () => {
    const byName = new Map(alertRules().map((r) => [r.alert, r.expr.replace(/\s+/g, ' ')]));
    expect(byName.get('HighErrorRate')).toMatch(
      /^sum\(rate\(http_requests_total\{[^}]*status=~"5\.\."\}\[5m\]\)\) \/ sum\(rate\(http_requests_total\{[^}]*\}\[5m\]\)\) > 0\.05/,
    );
    expect(byName.get('LowCacheHitRate')).toContain('sum(rate(cache_hits_total');
    expect(byName.get('LowCacheHitRate')).toContain('cached="false"');
  });

  const promtool = findExecutable('PROMTOOL', 'promtool', [`${TEST_TOOLS}/usr/bin/promtool`]);
  it.skipIf(!promtool)('promtool accepts the config and passes the alert unit tests', () => {
    const run = (...args: string[]) =>
      execFileSync(promtool!, args, { cwd: repoPath('monitoring'), encoding: 'utf8', stdio: 'pipe' });
    expect(run('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
    expect(run('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
  });
});
