/**
 * The Helm chart (deploy/helm/image2svg), rendered by the real `helm template`
 * (scripts/install-deploy-test-tools.sh unpacks helm and kubectl from an npm
 * package; skipped where neither is found): with its default values it
 * renders the same objects as `kubectl kustomize k8s/` (the namespace aside,
 * which `helm install --create-namespace` makes), every object matches its
 * schema, its values name only settings the service reads, and its switches
 * (worker autoscaling mode, digests, a chart-made Secret) render what they say.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  helmBin,
  kubectlBin,
  parseYamlDocs,
  readYaml,
  repoPath,
  serviceConfigNames,
  unknownK8sFields,
  validateK8sObject,
  type Doc,
} from './deploy-files.js';

const helm = helmBin();
const kubectl = kubectlBin();
const CHART = repoPath('deploy/helm/image2svg');

function template(...args: string[]): Doc[] {
  const out = execFileSync(helm!, ['template', 'image2svg', CHART, '--namespace', 'image2svg', ...args], {
    encoding: 'utf8',
  });
  return parseYamlDocs(out, 'helm template').filter((d) => d);
}
const key = (d: Doc): string => `${d.kind}/${d.metadata.name}`;

/** What Helm adds for its own bookkeeping, and the config checksum that rolls pods on a change. */
function withoutHelmMarks(doc: Doc): Doc {
  const copy = structuredClone(doc);
  delete copy.metadata.labels['helm.sh/chart'];
  delete copy.metadata.labels['app.kubernetes.io/managed-by'];
  const annotations = copy.spec?.template?.metadata?.annotations;
  if (annotations)
    for (const k of Object.keys(annotations)) if (k.startsWith('checksum/')) delete annotations[k];
  return copy;
}

describe.skipIf(!helm)('Helm chart', () => {
  it('helm lint passes', () => {
    expect(execFileSync(helm!, ['lint', CHART], { encoding: 'utf8' })).toContain('0 chart(s) failed');
  });

  it.skipIf(!kubectl)('with default values renders the objects of k8s/, field for field', () => {
    const chart = template();
    const kustomized = parseYamlDocs(
      execFileSync(kubectl!, ['kustomize', repoPath('k8s')], { encoding: 'utf8' }),
    );
    const expected = kustomized.filter((d) => d.kind !== 'Namespace');
    expect(chart.map(key).sort()).toEqual(expected.map(key).sort());
    for (const doc of chart) {
      const twin = expected.find((d) => key(d) === key(doc));
      expect(withoutHelmMarks(doc), key(doc)).toEqual(twin);
    }
  });

  it('every rendered object matches its schema and has no unknown field, in every autoscaling mode', async () => {
    const rendered = ['keda', 'hpa', 'none'].flatMap((mode) =>
      template('--set', `worker.autoscaling.mode=${mode}`),
    );
    for (const doc of rendered) await validateK8sObject(doc);
    expect(unknownK8sFields(rendered)).toEqual([]);
  });

  it('config holds only variables the service reads, as strings', () => {
    const { config } = readYaml('deploy/helm/image2svg/values.yaml');
    const names = serviceConfigNames();
    for (const [name, value] of Object.entries(config)) {
      expect(names, name).toContain(name);
      expect(typeof value, name).toBe('string');
    }
    const map = template('--set', 'config.RATE_LIMIT=500').find((d) => d.kind === 'ConfigMap');
    expect(map.data.RATE_LIMIT).toBe('500');
  });

  it('the plain-HPA mode renders k8s/optional/worker-hpa.yaml instead of the ScaledObject', () => {
    const docs = template('--set', 'worker.autoscaling.mode=hpa');
    expect(docs.map(key)).not.toContain('ScaledObject/worker');
    const hpa = docs.find((d) => key(d) === 'HorizontalPodAutoscaler/worker-hpa');
    expect(hpa.spec).toEqual(readYaml('k8s/optional/worker-hpa.yaml').spec);
    expect(template('--set', 'worker.autoscaling.mode=none').map(key)).not.toContain('ScaledObject/worker');
    const wrong = spawnSync(helm!, ['template', CHART, '--set', 'worker.autoscaling.mode=cpu'], {
      encoding: 'utf8',
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('worker.autoscaling.mode must be keda, hpa or none, not "cpu"');
  });

  it('pins images by digest when one is given, and makes the Secret only when asked with both values', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const redis = template('--set', `images.redis.digest=${digest}`).find(
      (d) => key(d) === 'Deployment/redis',
    );
    expect(redis.spec.template.spec.containers[0].image).toBe(`redis:7.4-alpine@${digest}`);
    expect(template().map(key)).not.toContain('Secret/image2svg-secrets');
    const made = template(
      '--set',
      'secrets.create=true',
      '--set',
      'secrets.redisPassword=pw-123456',
      '--set',
      'secrets.apiKeys=key-123456',
    ).find((d) => d.kind === 'Secret');
    expect(made.stringData).toEqual({ REDIS_PASSWORD: 'pw-123456', API_KEYS: 'key-123456' });
    const missing = spawnSync(helm!, ['template', CHART, '--set', 'secrets.create=true'], {
      encoding: 'utf8',
    });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('secrets.create=true needs secrets.redisPassword and secrets.apiKeys');
  });

  it('without the bundled Redis, no Redis objects and no NetworkPolicy for it', () => {
    const keys = template(
      '--set',
      'redis.enabled=false',
      '--set',
      'config.REDIS_HOST=redis.example.internal',
    ).map(key);
    expect(keys.filter((k) => /redis/.test(k))).toEqual([]);
  });
});
