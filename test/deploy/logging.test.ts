/**
 * Log aggregation (docker-compose.logging.yml): the Logstash pipeline is
 * accepted by a parser of Logstash's configuration language, uses only
 * plugins Logstash ships, and reads fields that the service's real log lines
 * (pino with the service's logger options) carry, in the formats the
 * pipeline expects. Filebeat's and Compose's YAML parse and agree with it.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/server/logger.js';
import { readText, readYaml, type Doc } from './deploy-files.js';
import {
  logstashConditions,
  logstashPlugins,
  parseLogstashConfig,
  type LogstashPlugin,
  type LogstashValue,
} from './logstash-config.js';

/** Plugins in Logstash's default distribution (no `logstash-plugin install` needed). */
const BUNDLED = {
  input: ['beats', 'tcp', 'udp', 'http', 'file', 'stdin', 'syslog'],
  filter: ['json', 'date', 'mutate', 'translate', 'grok', 'drop', 'ruby', 'kv'],
  output: ['elasticsearch', 'stdout', 'file'],
};

const setting = (plugin: LogstashPlugin, name: string): LogstashValue | undefined =>
  plugin.settings.find((s) => s.name === name)?.value;
const plain = (v: LogstashValue | undefined): unknown => {
  if (!v) return undefined;
  if (v.type === 'array') return v.value.map(plain);
  if (v.type === 'hash') return Object.fromEntries(v.value.map((e) => [e.key, plain(e.value)]));
  return v.value;
};

describe('Logstash configuration parser', () => {
  it('reads sections, plugins, every kind of value, and branches', () => {
    const sections = parseLogstashConfig(`
      # comment
      input { beats { port => 5044 ssl => false } }
      filter {
        if [a][b] == "x" and ![c] or ([d] in ["p", 'q'] and [e] !~ /z\\/y/) {
          mutate { add_field => { "k" => "v" 10 => 'w' } remove_field => ["f", "g"] }
        } else if [n] >= 3 { drop {} } else { json { source => message } }
      }
      output { stdout { codec => rubydebug } }`);
    expect(sections.map((s) => s.type)).toEqual(['input', 'filter', 'output']);
    const plugins = logstashPlugins(sections);
    expect(plugins.map((p) => `${p.section}/${p.name}`)).toEqual([
      'input/beats',
      'filter/mutate',
      'filter/drop',
      'filter/json',
      'output/stdout',
    ]);
    expect(plain(setting(plugins[0], 'port'))).toBe(5044);
    expect(plain(setting(plugins[1], 'add_field'))).toEqual({ k: 'v', 10: 'w' });
    expect(plain(setting(plugins[1], 'remove_field'))).toEqual(['f', 'g']);
    expect(logstashConditions(sections)).toEqual([
      '[a][b] == "x" and ![c] or ([d] in ["p", \'q\'] and [e] !~ /z\\/y/)',
      '[n] >= 3',
    ]);
  });

  it.each([
    ['input { beats { port = 5044 } }', /line 1, column 22: expected => after setting port/],
    ['filter {\n  json { source => "message" }\n', /line 3, .*expected }/],
    ['inputs { }', /expected input, filter or output/],
    ['filter { if [a] == { drop {} } }', /expected a field reference, string/],
    ['output { elasticsearch { hosts => ["a", } }', /expected a value/],
    ['', /expected at least one section/],
  ])('rejects %j', (config, message) => {
    expect(() => parseLogstashConfig(config)).toThrow(message);
  });
});

describe('deploy/logging/logstash.conf', () => {
  const sections = parseLogstashConfig(readText('deploy/logging/logstash.conf'));
  const plugins = logstashPlugins(sections);
  const one = (name: string): LogstashPlugin => {
    const found = plugins.filter((p) => p.name === name);
    expect(found, name).toHaveLength(1);
    return found[0];
  };

  it('takes Beats on 5044, writes daily image2svg indices to Elasticsearch, with bundled plugins only', () => {
    expect(sections.map((s) => s.type)).toEqual(['input', 'filter', 'output']);
    for (const p of plugins)
      expect(BUNDLED[p.section as keyof typeof BUNDLED], `${p.section} ${p.name}`).toContain(p.name);
    expect(plain(setting(one('beats'), 'port'))).toBe(5044);
    const es = one('elasticsearch');
    expect(plain(setting(es, 'hosts'))).toEqual(['http://elasticsearch:9200']);
    expect(plain(setting(es, 'index'))).toBe('image2svg-%{+YYYY.MM.dd}');
  });

  /** Lines the service really writes, with its logger options. */
  function serviceLines(): Doc[] {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const log = pino(loggerOptions('trace'), sink);
    log.info({ reqId: 'req-1', res: { statusCode: 200 }, responseTime: 3.2 }, 'request completed');
    log.warn({ apiKeys: ['secret-key-123'] }, 'configuration');
    log.error({ err: new Error('boom') }, 'request errored');
    log.trace('trace');
    log.debug('debug');
    log.fatal('fatal');
    return lines.map((l) => JSON.parse(l));
  }

  it('parses the service’s JSON lines by the fields they carry', () => {
    const lines = serviceLines();
    const json = one('json');
    expect(plain(setting(json, 'source'))).toBe('message');
    expect(plain(setting(json, 'target'))).toBe('image2svg');
    const conditions = logstashConditions(sections);
    expect(conditions).toContain('[message] =~ /^\\s*\\{/');
    expect(conditions).toContain('[image2svg][service] == "image2svg"');
    for (const line of lines) expect(line.service).toBe('image2svg');

    const [field, format] = plain(setting(one('date'), 'match')) as string[];
    expect([field, format]).toEqual(['[image2svg][time]', 'ISO8601']);
    for (const line of lines) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const translate = one('translate');
    expect(plain(setting(translate, 'source'))).toBe('[image2svg][level]');
    const names = plain(setting(translate, 'dictionary')) as Record<string, string>;
    expect(lines.map((l) => names[String(l.level)])).toEqual([
      'info',
      'warn',
      'error',
      'trace',
      'debug',
      'fatal',
    ]);

    const mutate = plugins.find((p) => p.name === 'mutate' && setting(p, 'replace'))!;
    expect(plain(setting(mutate, 'replace'))).toEqual({ message: '%{[image2svg][msg]}' });
    expect(lines.map((l) => l.msg)).toContain('request completed');
    // Redacted before it is written, so the pipeline never sees a key.
    expect(JSON.stringify(lines)).not.toContain('secret-key-123');
  });
});

describe('docker-compose.logging.yml and Filebeat', () => {
  const compose = readYaml('docker-compose.logging.yml');
  const filebeat = readYaml('deploy/logging/filebeat.yml');

  it('runs Elasticsearch, Logstash with the pipeline, Filebeat and Kibana on loopback', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['elasticsearch', 'filebeat', 'kibana', 'logstash']);
    expect(services.logstash.volumes).toContain(
      './deploy/logging/logstash.conf:/usr/share/logstash/pipeline/logstash.conf:ro',
    );
    expect(services.filebeat.volumes).toContain(
      './deploy/logging/filebeat.yml:/usr/share/filebeat/filebeat.yml:ro',
    );
    expect(services.kibana.ports).toEqual(['127.0.0.1:5601:5601']);
    expect(services.elasticsearch.ports).toBeUndefined();
  });

  it('Filebeat sends to the port Logstash listens on, only the API’s and workers’ lines', () => {
    expect(filebeat['output.logstash'].hosts).toEqual(['logstash:5044']);
    const drop = filebeat.processors.find((p: Doc) => p.drop_event).drop_event;
    const kept = drop.when.not.or.map((c: Doc) => c.equals['container.labels.com_docker_compose_service']);
    expect(kept).toEqual(['backend', 'worker']);
    const prod = readYaml('docker-compose.prod.yml').services;
    for (const service of kept) expect(prod[service], service).toBeDefined();
  });
});
