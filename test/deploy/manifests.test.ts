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

  it('backend: node 20 slim stages, npm ci, build, production dependencies, non-root, port 8000, /health check', () => {
    const steps = readDockerfile('Dockerfile');
    const froms = steps.filter((s) => s.keyword === 'FROM').map((s) => s.args);
    expect(readText('Dockerfile')).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
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
    expect(last('EXPOSE')).toBe('8000');
    expect(last('HEALTHCHECK')).toContain("'/health'");
    expect(last('CMD')).toBe('["node", "dist/server/main.js"]');
  });

  it('frontend: builds the UI with node, serves dist/web from nginx with the proxy template', () => {
    const steps = readDockerfile('frontend/Dockerfile');
    expect(steps.filter((s) => s.keyword === 'FROM').at(-1)?.args).toMatch(
      /^nginx:[\d.]*-?alpine AS runtime$/,
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

  it.each(composeFiles)('%s gives the backend only variables the service reads', (file) => {
    const env = readYaml(file).services.backend.environment ?? {};
    for (const key of Object.keys(env)) expect(configNames, `${file}: ${key}`).toContain(key);
  });

  it('single machine: backend on 8000, frontend on 3000, Redis only in its profile', () => {
    const { services } = readYaml('docker-compose.yml');
    expect(services.backend.ports).toEqual(['${BACKEND_PUBLISH_PORT:-8000}:8000']);
    expect(services.frontend.ports).toEqual(['${FRONTEND_PUBLISH_PORT:-3000}:80']);
    expect(services.backend.profiles).toBeUndefined();
    expect(services.redis.profiles).toEqual(['redis']);
  });

  it('production: password-protected append-only Redis, 3 limited backends, 2 frontends, monitoring', () => {
    const { services } = readYaml('docker-compose.prod.yml');
    const redisCommand = services.redis.command.join(' ');
    expect(redisCommand).toContain('--appendonly yes');
    expect(redisCommand).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(services.backend.deploy.replicas).toBe(3);
    expect(services.backend.deploy.resources.limits).toEqual({ cpus: '2', memory: '2G' });
    expect(services.backend.environment.REDIS_HOST).toBe('redis');
    expect(services.backend.ports).toBeUndefined();
    expect(services.frontend.deploy.replicas).toBe(2);
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['redis', 'backend', 'frontend', 'edge', 'prometheus', 'grafana']),
    );
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

  it('backend: port 8000, liveness /health, readiness /ready, resources, config and secrets', () => {
    const backend = container(find('Deployment', 'backend'), 'backend');
    expect(backend.ports).toEqual([{ name: 'http', containerPort: 8000 }]);
    expect(backend.livenessProbe.httpGet).toEqual({ path: '/health', port: 8000 });
    expect(backend.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8000 });
    expect(backend.resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(backend.resources.limits).toEqual({ cpu: '2000m', memory: '2Gi' });
    expect(backend.envFrom).toEqual([{ configMapRef: { name: 'backend-config' } }]);
    const secretKeys = backend.env.map((e: Doc) => e.valueFrom.secretKeyRef);
    expect(secretKeys.map((r: Doc) => `${r.name}/${r.key}`)).toEqual([
      'image2svg-secrets/REDIS_PASSWORD',
      'image2svg-secrets/API_KEYS',
    ]);
    const service = find('Service', 'backend');
    expect(service.spec.ports[0].port).toBe(8000);
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

  it('Redis: append-only with the password from the Secret, on a persistent volume', () => {
    const redis = container(find('Deployment', 'redis'), 'redis');
    expect(redis.command.join(' ')).toContain('--appendonly yes --requirepass "$REDIS_PASSWORD"');
    expect(redis.env[0].valueFrom.secretKeyRef).toEqual({ name: 'image2svg-secrets', key: 'REDIS_PASSWORD' });
    expect(find('PersistentVolumeClaim', 'redis-pvc').spec.resources.requests.storage).toBe('10Gi');
  });

  it('frontend: 2 replicas, probes on /healthz, backend reached by its full service name', () => {
    const deployment = find('Deployment', 'frontend');
    expect(deployment.spec.replicas).toBe(2);
    const frontend = container(deployment, 'frontend');
    expect(frontend.readinessProbe.httpGet.path).toBe('/healthz');
    expect(frontend.env).toEqual([
      { name: 'BACKEND_UPSTREAM', value: 'backend.image2svg.svc.cluster.local:8000' },
    ]);
  });
});
