/**
 * Prometheus and Grafana files: every query parses as PromQL, selects only
 * metrics the service (or prom-client's default Node metrics) exports, reads
 * counters and histogram buckets through rate(), and computes quantiles as
 * histogram_quantile(sum by (le) (rate(...))). With promtool on the machine
 * (scripts/install-deploy-test-tools.sh), the alert rules' own unit tests
 * (monitoring/alerts.test.yml) run too.
 */
import { execFileSync } from 'node:child_process';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
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

/**
 * What the service exports by the deployment guide (src/server metrics), plus
 * the queue gauges this deployment's dashboard and alerts rely on. The
 * service's own metrics test checks that each one is there and moves.
 */
const SERVICE_METRICS = [
  'uploads_total',
  'vectorizations_total',
  'processing_seconds_bucket',
  'processing_seconds_sum',
  'processing_seconds_count',
  'cache_hits_total',
  'http_requests_total',
  'image2svg_queue_depth',
  'image2svg_pool_queue_depth',
  'image2svg_jobs_in_progress',
  'image2svg_redis_up',
  'image2svg_ready',
  'image2svg_jobs_failed_total',
  'image2svg_jobs_stalled_total',
];
/** Series Prometheus writes itself for every target. */
const PROMETHEUS_SERIES = ['up'];
const RATE_FUNCTIONS = ['rate', 'irate', 'increase'];

let exported: Set<string>;
beforeAll(async () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = (await registry.getMetricsAsJSON()).map((m) => m.name);
  exported = new Set([...SERVICE_METRICS, ...PROMETHEUS_SERIES, ...defaults]);
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
  it('scrapes every backend replica on port 8000 as job image2svg-backend and loads the alerts', () => {
    const config = readYaml('monitoring/prometheus.yml');
    expect(config.rule_files).toEqual(['alerts.yml']);
    const job = config.scrape_configs.find((j: Doc) => j.job_name === 'image2svg-backend');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.dns_sd_configs).toEqual([
      { names: ['backend'], type: 'A', port: 8000, refresh_interval: '15s' },
    ]);
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
      expect(rule.expr, rule.alert).toContain('job="image2svg-backend"');
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
