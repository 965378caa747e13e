/**
 * The deployment files, checked without Docker or a cluster: they parse, say
 * what the deployment guide asks for (probes, replicas, limits, HPA, ingress
 * routes), use only configuration names the service reads, and refer only to
 * files that exist and reach the image build context.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  contextCopySources,
  dockerignorePatterns,
  isDockerIgnored,
  readDockerfile,
  readText,
  readYaml,
  readYamlDocs,
  repoPath,
  serviceConfigNames,
  type Doc,
} from './deploy-files.js';

const K8S_FILES = readdirSync(repoPath('k8s')).filter((f) => f.endsWith('.yaml'));
const k8sDocs = (): Doc[] =>
  K8S_FILES.filter((f) => f !== 'kustomization.yaml').flatMap((f) => readYamlDocs(`k8s/${f}`));
const find = (kind: string, name: string): Doc => {
  const doc = k8sDocs().find((d) => d.kind === kind && d.metadata?.name === name);
  if (!doc) throw new Error(`no ${kind} ${name} in k8s/`);
  return doc;
};
const container = (deployment: Doc, name: string): Doc =>
  deployment.spec.template.spec.containers.find((c: Doc) => c.name === name);

describe('.dockerignore matching', () => {
  const patterns = ['*', '!src', '!web', '**/node_modules', 'web/dist'];
  it('lets in what is re-included, with its subfolders', () => {
    expect(isDockerIgnored(patterns, 'src/server/main.ts')).toBe(false);
    expect(isDockerIgnored(patterns, 'web')).toBe(false);
  });
  it('keeps out everything else and the later exclusions inside re-included folders', () => {
    expect(isDockerIgnored(patterns, '.env')).toBe(true);
    expect(isDockerIgnored(patterns, 'web/dist/index.html')).toBe(true);
    expect(isDockerIgnored(patterns, 'src/node_modules/x.js')).toBe(true);
  });
});

describe('Dockerfiles', () => {
  const files = ['Dockerfile', 'frontend/Dockerfile'];

  it.each(files)('%s copies only paths that exist and that .dockerignore lets into the context', (file) => {
    const sources = contextCopySources(readDockerfile(file));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(repoPath(source)), `${file} copies ${source}, which does not exist`).toBe(true);
      expect(isDockerIgnored(dockerignorePatterns(), source), `${source} is excluded by .dockerignore`).toBe(
        false,
      );
    }
  });

  it('.dockerignore keeps secrets, local builds and dependencies out', () => {
    for (const path of ['.env', '.git/config', 'node_modules/sharp/package.json', 'dist/server/main.js'])
      expect(isDockerIgnored(dockerignorePatterns(), path), path).toBe(true);
  });

  it('backend: Node 26 (Active LTS) slim stages, npm ci, build, production dependencies, non-root, ports 8000 and 9100, /health check', () => {
    const steps = readDockerfile('Dockerfile');
    const froms = steps.filter((s) => s.keyword === 'FROM').map((s) => s.args);
    expect(readText('Dockerfile')).toMatch(/^ARG NODE_IMAGE=node:26-trixie-slim$/m);
    expect(froms.every((f) => f.startsWith('${NODE_IMAGE}'))).toBe(true);
    const run = (stage: string) =>
      steps.filter((s) => s.stage === stage && s.keyword === 'RUN').map((s) => s.args);
    expect(run('build').join(' ')).toMatch(/npm ci.*npm run build/s);
    expect(run('prod-deps').join(' ')).toContain('npm ci --omit=dev');
    const runtime = steps.filter((s) => s.stage === 'runtime');
    expect(runtime.filter((s) => s.keyword === 'COPY').map((s) => s.args)).toEqual([
      'package.json ./',
      '--from=prod-deps /app/node_modules ./node_modules',
      '--from=build /app/dist ./dist',
    ]);
    const last = (k: string) => runtime.filter((s) => s.keyword === k).at(-1)?.args;
    expect(last('USER')).toBe('node');
    expect(last('EXPOSE')).toBe('8000 9100');
    expect(last('HEALTHCHECK')).toContain("'/health'");
    expect(last('HEALTHCHECK')).toContain("SERVICE_ROLE === 'worker' ? e.WORKER_METRICS_PORT || 9100");
    expect(last('CMD')).toBe('["node", "dist/server/main.js"]');
  });

  it('frontend: builds the UI with node, serves dist/web from unprivileged nginx (user 101, port 8080)', () => {
    const steps = readDockerfile('frontend/Dockerfile');
    expect(readText('frontend/Dockerfile')).toMatch(/^ARG NODE_IMAGE=node:26-trixie-slim$/m);
    expect(readText('frontend/Dockerfile')).toMatch(
      /^ARG NGINX_IMAGE=nginxinc\/nginx-unprivileged:[\d.]+-alpine$/m,
    );
    expect(steps.filter((s) => s.keyword === 'FROM').at(-1)?.args).toBe('${NGINX_IMAGE} AS runtime');
    const runtime = steps.filter((s) => s.stage === 'runtime');
    expect(runtime.filter((s) => s.keyword === 'USER').at(-1)?.args).toBe('101');
    expect(runtime.filter((s) => s.keyword === 'EXPOSE').at(-1)?.args).toBe('8080');
    expect(runtime.filter((s) => s.keyword === 'HEALTHCHECK').at(-1)?.args).toContain(
      'http://127.0.0.1:8080/healthz',
    );
    expect(steps.find((s) => s.keyword === 'RUN' && s.args.includes('npm run build:web'))).toBeDefined();
    const copies = steps.filter((s) => s.stage === 'runtime' && s.keyword === 'COPY').map((s) => s.args);
    expect(copies).toContain('--from=build /app/dist/web /usr/share/nginx/html');
    expect(copies).toContain('frontend/nginx.conf /etc/nginx/templates/default.conf.template');
    expect(readText('frontend/nginx.conf')).toContain('include /etc/nginx/image2svg/api-proxy.conf;');
    expect(copies).toContain('frontend/api-proxy.conf /etc/nginx/image2svg/api-proxy.conf');
  });
});

describe('docker compose files', () => {
  const composeFiles = ['docker-compose.yml', 'docker-compose.prod.yml'];
  const configNames = serviceConfigNames();

  it.each(composeFiles)('%s builds from existing Dockerfiles and mounts existing files', (file) => {
    const { services } = readYaml(file);
    for (const [name, service] of Object.entries<Doc>(services)) {
      if (service.build) {
        expect(existsSync(repoPath(`${service.build.context}/${service.build.dockerfile}`)), name).toBe(true);
      }
      for (const volume of service.volumes ?? []) {
        const source = String(volume).split(':')[0];
        if (source.startsWith('./'))
          expect(existsSync(repoPath(source)), `${name} mounts ${source}`).toBe(true);
      }
    }
  });

  it.each(composeFiles)('%s gives the backend and worker only variables the service reads', (file) => {
    const { services } = readYaml(file);
    for (const name of ['backend', 'worker']) {
      const env = services[name].environment ?? {};
      for (const key of Object.keys(env)) expect(configNames, `${file} ${name}: ${key}`).toContain(key);
    }
    expect(services.worker.environment.SERVICE_ROLE).toBe('worker');
    expect(services.worker.image).toBe(services.backend.image);
  });

  it.each(composeFiles)('%s runs Redis with a memory bound and noeviction', (file) => {
    const command = [readYaml(file).services.redis.command].flat().join(' ');
    expect(command).toMatch(/--maxmemory \d+mb/);
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('single machine: backend on 8000, frontend on 3000, Redis only in its profile', () => {
    const { services } = readYaml('docker-compose.yml');
    expect(services.backend.ports).toEqual(['${BACKEND_PUBLISH_PORT:-8000}:8000']);
    expect(services.frontend.ports).toEqual(['${FRONTEND_PUBLISH_PORT:-3000}:8080']);
    expect(services.backend.profiles).toBeUndefined();
    expect(services.redis.profiles).toEqual(['redis']);
    expect(services.worker.profiles).toEqual(['redis']);
    expect(services.worker.environment.REDIS_HOST).toBe('redis');
  });

  it('production: password-protected append-only Redis, 3 limited APIs, 2 workers, 2 frontends, monitoring', () => {
    const { services } = readYaml('docker-compose.prod.yml');
    const redisCommand = services.redis.command.join(' ');
    expect(redisCommand).toContain('--appendonly yes');
    expect(redisCommand).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(services.backend.deploy.replicas).toBe(3);
    expect(services.backend.environment.SERVICE_ROLE).toBe('api');
    expect(services.worker.deploy.replicas).toBe(2);
    expect(services.worker.ports).toBeUndefined();
    expect(services.backend.deploy.resources.limits).toEqual({ cpus: '2', memory: '2G' });
    expect(services.backend.environment.REDIS_HOST).toBe('redis');
    expect(services.backend.ports).toBeUndefined();
    expect(services.frontend.deploy.replicas).toBe(2);
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['redis', 'backend', 'worker', 'frontend', 'edge', 'prometheus', 'grafana']),
    );
    expect(services.edge.ports).toEqual(['${HTTP_PORT:-80}:8080']);
    expect(services.edge.environment.FRONTEND_UPSTREAM).toBe('frontend:8080');
    expect(services.grafana.volumes).toContain(
      './monitoring/grafana/provisioning:/etc/grafana/provisioning:ro',
    );
    // Replicas cannot share a host port: only the edge publishes the site.
    const published = Object.entries<Doc>(services).filter(([, s]) =>
      s.ports?.some((p: string) => !/^127\./.test(p)),
    );
    expect(published.map(([n]) => n).sort()).toEqual(['edge', 'grafana']);
  });
});

/** Mount path of each secret file of a container → `secret/key`, from its volumes. */
function secretFiles(deployment: Doc, name: string): Record<string, string> {
  const spec = deployment.spec.template.spec;
  const files: Record<string, string> = {};
  for (const mount of container(deployment, name).volumeMounts ?? []) {
    const volume = spec.volumes.find((v: Doc) => v.name === mount.name);
    if (!volume?.secret) continue;
    expect(mount.readOnly, mount.name).toBe(true);
    for (const item of volume.secret.items)
      files[`${mount.mountPath}/${item.path}`] = `${volume.secret.secretName}/${item.key}`;
  }
  return files;
}

const seconds = (value: string): number => Number(/^(\d+)s?$/.exec(value)?.[1] ?? NaN);

describe('Kubernetes manifests', () => {
  it('every resource is in the image2svg namespace and listed in the kustomization', () => {
    const kustomization = readYaml('k8s/kustomization.yaml');
    expect(new Set(kustomization.resources)).toEqual(
      new Set(K8S_FILES.filter((f) => f !== 'kustomization.yaml')),
    );
    for (const doc of k8sDocs()) {
      if (doc.kind === 'Namespace') expect(doc.metadata.name).toBe('image2svg');
      else expect(doc.metadata.namespace, `${doc.kind} ${doc.metadata.name}`).toBe('image2svg');
    }
  });

  it('every Deployment selector matches its pod labels, and every Service selects a Deployment', () => {
    const deployments = k8sDocs().filter((d) => d.kind === 'Deployment');
    for (const d of deployments)
      expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
    for (const s of k8sDocs().filter((d) => d.kind === 'Service')) {
      const target = deployments.find((d) =>
        Object.entries(s.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      expect(target, `Service ${s.metadata.name}`).toBeDefined();
    }
  });

  it('backend: the API role on port 8000, liveness /health, readiness /ready, resources, config and secret files', () => {
    const deployment = find('Deployment', 'backend');
    const backend = container(deployment, 'backend');
    expect(backend.ports).toEqual([{ name: 'http', containerPort: 8000 }]);
    expect(backend.livenessProbe.httpGet).toEqual({ path: '/health', port: 8000 });
    expect(backend.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8000 });
    expect(backend.resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(backend.resources.limits).toEqual({ cpu: '2000m', memory: '2Gi' });
    expect(backend.envFrom).toEqual([{ configMapRef: { name: 'backend-config' } }]);
    expect(backend.env).toEqual([{ name: 'SERVICE_ROLE', value: 'api' }]);
    expect(secretFiles(deployment, 'backend')).toEqual({
      '/run/secrets/image2svg/REDIS_PASSWORD': 'image2svg-secrets/REDIS_PASSWORD',
      '/run/secrets/image2svg/API_KEYS': 'image2svg-secrets/API_KEYS',
    });
    const service = find('Service', 'backend');
    expect(service.spec.ports[0].port).toBe(8000);
  });

  it('no secret value in any pod environment: secrets are files read through *_FILE', () => {
    const { data } = find('ConfigMap', 'backend-config');
    expect(data.REDIS_PASSWORD_FILE).toBe('/run/secrets/image2svg/REDIS_PASSWORD');
    expect(data.API_KEYS_FILE).toBe('/run/secrets/image2svg/API_KEYS');
    for (const name of ['backend', 'worker']) {
      const c = container(find('Deployment', name), name);
      for (const e of c.env ?? []) expect(['REDIS_PASSWORD', 'API_KEYS'], name).not.toContain(e.name);
      expect(
        (c.env ?? []).filter((e: Doc) => e.valueFrom?.secretKeyRef),
        name,
      ).toEqual([]);
    }
  });

  it('production ConfigMap: API keys required and the guide’s rate limit', () => {
    const { data } = find('ConfigMap', 'backend-config');
    expect(data.API_KEY_REQUIRED).toBe('true');
    expect(data.RATE_LIMIT).toBe('100');
  });

  it('the backend ConfigMap uses only variable names the service reads, with string values', () => {
    const { data } = find('ConfigMap', 'backend-config');
    const names = serviceConfigNames();
    for (const [key, value] of Object.entries(data)) {
      expect(names, key).toContain(key);
      expect(typeof value, key).toBe('string');
    }
  });

  it('HPA scales the backend Deployment from 3 to 20 pods at 70% CPU', () => {
    const hpa = find('HorizontalPodAutoscaler', 'backend-hpa');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 20]);
    expect(hpa.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);
  });

  it('ingress: /api to backend:8000, / to frontend:80, large streamed uploads', () => {
    const ingress = find('Ingress', 'image2svg-ingress');
    const routes = ingress.spec.rules[0].http.paths.map(
      (p: Doc) => `${p.path} ${p.pathType} ${p.backend.service.name}:${p.backend.service.port.number}`,
    );
    expect(routes).toEqual(['/api Prefix backend:8000', '/ Prefix frontend:80']);
    const a = ingress.metadata.annotations;
    expect(a['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('128m');
    expect(a['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    expect(a['nginx.ingress.kubernetes.io/proxy-request-buffering']).toBe('off');
  });

  it('Redis: append-only, bounded memory with noeviction, the password from the Secret, on a persistent volume', () => {
    const redis = container(find('Deployment', 'redis'), 'redis');
    const command = redis.command.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--requirepass "$REDIS_PASSWORD"');
    expect(command).toContain('--maxmemory-policy noeviction');
    // Below the container's limit, with room for the append-only rewrite.
    const maxmemoryMb = Number(/--maxmemory (\d+)mb/.exec(command)?.[1]);
    expect(maxmemoryMb).toBeGreaterThan(0);
    expect(maxmemoryMb).toBeLessThanOrEqual(0.8 * 1024);
    expect(redis.resources.limits.memory).toBe('1Gi');
    expect(redis.env[0].valueFrom.secretKeyRef).toEqual({ name: 'image2svg-secrets', key: 'REDIS_PASSWORD' });
    expect(find('PersistentVolumeClaim', 'redis-pvc').spec.resources.requests.storage).toBe('10Gi');
  });

  it('frontend: 2 replicas, non-root nginx on 8080, probes on /healthz, backend reached by its full service name', () => {
    const deployment = find('Deployment', 'frontend');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 101,
    });
    const frontend = container(deployment, 'frontend');
    expect(frontend.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(frontend.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(frontend.volumeMounts.map((m: Doc) => m.mountPath).sort()).toEqual(['/etc/nginx/conf.d', '/tmp']);
    expect(find('Service', 'frontend').spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
    expect(frontend.readinessProbe.httpGet.path).toBe('/healthz');
    expect(frontend.env).toEqual([
      { name: 'BACKEND_UPSTREAM', value: 'backend.image2svg.svc.cluster.local:8000' },
    ]);
  });
});

describe('workers, scaling, network policy and shutdown', () => {
  it('worker Deployment: the backend image with SERVICE_ROLE=worker, probes and metrics on 9100, only the Redis password', () => {
    const deployment = find('Deployment', 'worker');
    const worker = container(deployment, 'worker');
    expect(worker.image).toBe(container(find('Deployment', 'backend'), 'backend').image);
    expect(worker.envFrom).toEqual([{ configMapRef: { name: 'backend-config' } }]);
    const env = Object.fromEntries(worker.env.map((e: Doc) => [e.name, e.value]));
    expect(env).toMatchObject({
      SERVICE_ROLE: 'worker',
      WORKER_METRICS_PORT: '9100',
      API_KEY_REQUIRED: 'false',
    });
    expect(worker.ports).toEqual([{ name: 'metrics', containerPort: 9100 }]);
    expect(worker.livenessProbe.httpGet).toEqual({ path: '/health', port: 'metrics' });
    expect(worker.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'metrics' });
    expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe('9100');
    expect(secretFiles(deployment, 'worker')).toEqual({
      '/run/secrets/image2svg/REDIS_PASSWORD': 'image2svg-secrets/REDIS_PASSWORD',
    });
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('KEDA scales the workers on the shared queue depth; the API keeps its CPU HPA', () => {
    const scaled = find('ScaledObject', 'worker');
    expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
    expect([scaled.spec.minReplicaCount, scaled.spec.maxReplicaCount]).toEqual([1, 20]);
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('prometheus');
    expect(trigger.metadata.query).toBe('max(image2svg_queue_depth)');
    expect(Number(trigger.metadata.threshold)).toBeGreaterThan(0);
    const hpas = k8sDocs().filter((d) => d.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.spec.scaleTargetRef.name)).toEqual(['backend']);
    const alternative = readYaml('k8s/optional/worker-hpa.yaml');
    expect(alternative.spec.scaleTargetRef.name).toBe('worker');
    expect(alternative.spec.metrics[0].external.metric.name).toBe('image2svg_queue_depth');
    expect(readYaml('k8s/kustomization.yaml').resources).not.toContain('optional/worker-hpa.yaml');
  });

  it('NetworkPolicy: only the API and worker pods reach Redis, on 6379', () => {
    const policy = find('NetworkPolicy', 'redis');
    const redisLabels = find('Deployment', 'redis').spec.template.metadata.labels;
    expect(redisLabels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toHaveLength(1);
    const [rule] = policy.spec.ingress;
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 6379 }]);
    expect(rule.from).toHaveLength(1);
    const [{ matchExpressions }] = rule.from.map((f: Doc) => f.podSelector);
    expect(rule.from[0].namespaceSelector).toBeUndefined();
    expect(matchExpressions).toEqual([{ key: 'app', operator: 'In', values: ['backend', 'worker'] }]);
    // Which Deployments does the rule admit? Exactly the API and the workers.
    const admitted = k8sDocs()
      .filter((d) => d.kind === 'Deployment')
      .filter((d) => matchExpressions[0].values.includes(d.spec.template.metadata.labels.app))
      .map((d) => d.metadata.name);
    expect(admitted.sort()).toEqual(['backend', 'worker']);
  });

  it('the stop sequence fits: preStop + SHUTDOWN_DRAIN_SECONDS + VECTORIZATION_TIMEOUT within the grace period', () => {
    const { data } = find('ConfigMap', 'backend-config');
    const drain = Number(data.SHUTDOWN_DRAIN_SECONDS);
    expect(drain).toBe(5);
    const timeout = Number(data.VECTORIZATION_TIMEOUT);
    const backend = find('Deployment', 'backend');
    const preStop = container(backend, 'backend').lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('sleep');
    const sleep = Number(preStop[1]);
    // The ingress needs the preStop pause to stop sending before /ready turns 503.
    expect(sleep).toBeGreaterThanOrEqual(drain);
    expect(backend.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      sleep + drain + timeout,
    );
    const worker = find('Deployment', 'worker');
    expect(container(worker, 'worker').lifecycle).toBeUndefined();
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(timeout);
    for (const file of ['docker-compose.prod.yml', 'docker-compose.yml']) {
      const { services } = readYaml(file);
      for (const name of ['backend', 'worker'])
        expect(seconds(services[name].stop_grace_period), `${file} ${name}`).toBeGreaterThanOrEqual(
          drain + timeout,
        );
    }
    expect(readYaml('docker-compose.prod.yml').services.backend.environment.SHUTDOWN_DRAIN_SECONDS).toBe(
      String(drain),
    );
  });
});

describe('comments', () => {
  // These files once said that replicas share nothing until Redis support
  // lands; it has, and workers now run the background jobs.
  it.each(['docker-compose.prod.yml', 'k8s/hpa.yaml', 'k8s/redis-deployment.yaml'])(
    '%s does not describe the service as it was before Redis and workers',
    (file) => {
      const comments = readText(file)
        .split('\n')
        .filter((l) => /^\s*#/.test(l))
        .join(' ');
      expect(comments).not.toMatch(/share nothing|until the service|adapters (land|are in)|does not use it/);
      expect(comments).toMatch(/worker/);
    },
  );
});

describe('production Compose secrets', () => {
  const { services, secrets } = readYaml('docker-compose.prod.yml');

  it('the API and workers read Redis password and API keys from Docker secrets, never from their environment', () => {
    expect(Object.keys(secrets).sort()).toEqual(['api_keys', 'redis_password']);
    for (const name of ['backend', 'worker']) {
      const env = services[name].environment;
      expect(env.REDIS_PASSWORD, name).toBe('');
      expect(env.API_KEYS, name).toBe('');
      expect(env.REDIS_PASSWORD_FILE, name).toBe('/run/secrets/redis_password');
    }
    expect(services.backend.environment.API_KEYS_FILE).toBe('/run/secrets/api_keys');
    expect(services.backend.secrets.map((s: Doc) => s.source)).toEqual(['redis_password', 'api_keys']);
    expect(services.worker.secrets.map((s: Doc) => s.source)).toEqual(['redis_password']);
    expect(services.worker.environment.API_KEYS_FILE).toBeUndefined();
  });

  it('the guide’s production values: API keys required, 100 requests per hour', () => {
    expect(services.backend.environment.API_KEY_REQUIRED).toBe('true');
    expect(services.backend.environment.RATE_LIMIT).toBe('${RATE_LIMIT:-100}');
  });
});
