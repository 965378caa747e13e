/**
 * The cloud deployment files of deploy/ (AWS ECS task definitions, a Google
 * Cloud Run service, an Azure container group): they parse, give the service
 * only variables it reads, run the API and the worker roles with the ports
 * and health checks those roles serve, keep secrets out of plain values,
 * and fit each platform's stop deadline and request timeout.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readYaml, repoPath, serviceConfigNames, type Doc } from './deploy-files.js';

const names = serviceConfigNames();
const envOf = (pairs: { name: string; value?: string }[] = []): Record<string, string | undefined> =>
  Object.fromEntries(pairs.map((e) => [e.name, e.value]));
const expectServiceNames = (env: Record<string, unknown>, where: string): void => {
  for (const key of Object.keys(env)) expect(names, `${where}: ${key}`).toContain(key);
};

describe('AWS ECS task definitions', () => {
  const task = (file: string): Doc => JSON.parse(readFileSync(repoPath(`deploy/aws/${file}`), 'utf8'));
  const api = task('ecs-api-task-definition.json');
  const worker = task('ecs-worker-task-definition.json');

  it('are Fargate task definitions whose containers use only the service’s variables', () => {
    for (const t of [api, worker]) {
      expect(t.requiresCompatibilities).toEqual(['FARGATE']);
      expect(t.networkMode).toBe('awsvpc');
      for (const c of t.containerDefinitions.filter((c: Doc) => c.name !== 'frontend')) {
        expectServiceNames(envOf(c.environment), `${t.family}/${c.name}`);
        for (const s of c.secrets ?? []) {
          expect(names).toContain(s.name);
          expect(s.valueFrom).toMatch(/^arn:aws:secretsmanager:/);
        }
      }
    }
  });

  it('the API task: SERVICE_ROLE=api on 8000 with the frontend beside it on 8080, keys from Secrets Manager', () => {
    const [backend, frontend] = api.containerDefinitions;
    const env = envOf(backend.environment);
    expect(env).toMatchObject({ SERVICE_ROLE: 'api', API_KEY_REQUIRED: 'true', RATE_LIMIT: '100' });
    expect(env.API_KEYS).toBeUndefined();
    expect(backend.secrets.map((s: Doc) => s.name)).toEqual(['API_KEYS']);
    expect(backend.portMappings[0].containerPort).toBe(8000);
    expect(backend.healthCheck.command.join(' ')).toContain('http://127.0.0.1:8000/health');
    expect(envOf(frontend.environment).BACKEND_UPSTREAM).toBe('127.0.0.1:8000');
    expect(frontend.portMappings[0].containerPort).toBe(8080);
  });

  it('the worker task: SERVICE_ROLE=worker, health on WORKER_METRICS_PORT', () => {
    const [c] = worker.containerDefinitions;
    const env = envOf(c.environment);
    expect(env).toMatchObject({ SERVICE_ROLE: 'worker', WORKER_METRICS_PORT: '9100' });
    expect(c.healthCheck.command.join(' ')).toContain('http://127.0.0.1:9100/health');
  });

  it('a conversion and the drain fit ECS’s stop timeout (120 s at most on Fargate)', () => {
    for (const t of [api, worker]) {
      const c = t.containerDefinitions[0];
      const env = envOf(c.environment);
      expect(c.stopTimeout).toBeLessThanOrEqual(120);
      expect(Number(env.SHUTDOWN_DRAIN_SECONDS) + Number(env.VECTORIZATION_TIMEOUT)).toBeLessThanOrEqual(
        c.stopTimeout,
      );
    }
  });
});

describe('Google Cloud Run service', () => {
  const service = readYaml('deploy/gcp/cloud-run-service.yaml');
  const spec = service.spec.template.spec;
  const [container] = spec.containers;
  const env = envOf(container.env);

  it('one Knative service on port 8000 serving the UI and the API, with only the service’s variables', () => {
    expect(service.apiVersion).toBe('serving.knative.dev/v1');
    expect(service.kind).toBe('Service');
    expect(spec.containers).toHaveLength(1);
    expect(container.ports).toEqual([{ name: 'http1', containerPort: 8000 }]);
    expectServiceNames(env, 'cloud run');
    expect(container.image).toMatch(/^REGION-docker\.pkg\.dev\//);
  });

  it('reads its secrets from mounted Secret Manager files', () => {
    expect(env.REDIS_PASSWORD).toBeUndefined();
    expect(env.API_KEYS).toBeUndefined();
    const mounted = container.volumeMounts.flatMap((m: Doc) => {
      const volume = spec.volumes.find((v: Doc) => v.name === m.name);
      return volume.secret.items.map((i: Doc) => `${m.mountPath}/${i.path}`);
    });
    expect(mounted).toEqual(expect.arrayContaining([env.REDIS_PASSWORD_FILE, env.API_KEYS_FILE]));
  });

  it('keeps CPU for background jobs, answers within its request timeout and drains within 10 s', () => {
    const annotations = service.spec.template.metadata.annotations;
    expect(env.SERVICE_ROLE).toBe('all');
    expect(annotations['run.googleapis.com/cpu-throttling']).toBe('false');
    expect(spec.timeoutSeconds).toBeGreaterThan(Number(env.VECTORIZATION_TIMEOUT));
    expect(spec.timeoutSeconds).toBeLessThanOrEqual(3600);
    expect(Number(env.SHUTDOWN_DRAIN_SECONDS)).toBeLessThan(10);
  });
});

describe('Azure container group', () => {
  const group = readYaml('deploy/azure/container-group.yaml');
  const containers = Object.fromEntries(group.properties.containers.map((c: Doc) => [c.name, c.properties]));

  it('exposes only the frontend’s unprivileged port; the others talk over the group’s localhost', () => {
    expect(group.type).toBe('Microsoft.ContainerInstance/containerGroups');
    expect(group.properties.ipAddress.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(containers.frontend.ports).toEqual([{ port: 8080 }]);
    expect(envOf(containers.frontend.environmentVariables).BACKEND_UPSTREAM).toBe('127.0.0.1:8000');
    for (const name of ['backend', 'worker'])
      expect(envOf(containers[name].environmentVariables).REDIS_HOST, name).toBe('127.0.0.1');
  });

  it('runs the API and worker roles with only the service’s variables and secrets as files', () => {
    const secretFiles = Object.keys(
      group.properties.volumes.find((v: Doc) => v.name === 'secrets').secret,
    ).map((k) => `/run/secrets/image2svg/${k}`);
    for (const [name, role] of [
      ['backend', 'api'],
      ['worker', 'worker'],
    ]) {
      const env = envOf(containers[name].environmentVariables);
      expectServiceNames(env, name);
      expect(env.SERVICE_ROLE).toBe(role);
      expect(env.REDIS_PASSWORD).toBeUndefined();
      expect(secretFiles).toContain(env.REDIS_PASSWORD_FILE);
    }
    expect(secretFiles).toContain(envOf(containers.backend.environmentVariables).API_KEYS_FILE);
    expect(containers.worker.livenessProbe.httpGet.port).toBe(9100);
  });

  it('Redis runs with a memory bound and noeviction', () => {
    const command = containers.redis.command.join(' ');
    expect(command).toMatch(/--maxmemory \d+mb --maxmemory-policy noeviction/);
    expect(containers.redis.image).toMatch(/^redis:7\.4-alpine@sha256:/);
  });
});
