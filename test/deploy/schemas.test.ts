/**
 * The deployment files against their JSON schemas: every Kubernetes object
 * in k8s/ (and k8s/optional/) against its kind's schema from Kubernetes'
 * OpenAPI (kubernetes-models, KEDA's from @kubernetes-models/keda), and every
 * Compose file against the Compose Specification's schema, both with ajv.
 * With kubectl on the machine (scripts/install-deploy-test-tools.sh), the
 * kustomization's rendered output is checked too.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  composeSchema,
  kubectlBin,
  parseYamlDocs,
  readYaml,
  readYamlDocs,
  repoPath,
  unknownK8sFields,
  validateK8sObject,
  type Doc,
} from './deploy-files.js';

const K8S_FILES = [
  ...readdirSync(repoPath('k8s'))
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .map((f) => `k8s/${f}`),
  ...readdirSync(repoPath('k8s/optional')).map((f) => `k8s/optional/${f}`),
];
const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.prod.yml', 'docker-compose.logging.yml'];

describe('Kubernetes schemas', () => {
  it.each(K8S_FILES)('%s: every object matches its kind’s schema', async (file) => {
    const docs = readYamlDocs(file);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) await validateK8sObject(doc);
  });

  it('rejects a wrong type, a missing required field and an unknown kind', async () => {
    const deployment = readYamlDocs('k8s/worker-deployment.yaml').find((d) => d.kind === 'Deployment');
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'metrics';
    await expect(validateK8sObject(broken)).rejects.toThrow(/containerPort must be integer/);
    const unnamed = structuredClone(deployment);
    delete unnamed.spec.template.spec.containers[0].name;
    await expect(validateK8sObject(unnamed)).rejects.toThrow(/must have required property '?name'?/);
    const scaled = readYaml('k8s/worker-scaledobject.yaml');
    const noTrigger = structuredClone(scaled);
    delete noTrigger.spec.triggers[0].type;
    await expect(validateK8sObject(noTrigger)).rejects.toThrow(/required property '?type'?/);
    await expect(validateK8sObject({ apiVersion: 'apps/v1', kind: 'Deploymnet' })).rejects.toThrow(
      /no schema for Deploymnet/,
    );
  });

  it('no object has a field its kind does not define (TypeScript’s excess-property check on the kinds’ types)', () => {
    const docs = K8S_FILES.flatMap((f) => readYamlDocs(f));
    expect(unknownK8sFields(docs)).toEqual([]);
  });

  it('the field check names a misspelt field and the object it is in', () => {
    const deployment = readYamlDocs('k8s/worker-deployment.yaml').find((d) => d.kind === 'Deployment');
    const typo = structuredClone(deployment);
    typo.spec.template.spec.containers[0].readinesProbe =
      typo.spec.template.spec.containers[0].readinessProbe;
    const scaled = structuredClone(readYaml('k8s/worker-scaledobject.yaml'));
    scaled.spec.minReplicas = 1;
    const problems = unknownK8sFields([typo, scaled]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^Deployment worker: .*'"readinesProbe"' does not exist in type 'IContainer'/,
    );
    expect(problems[1]).toMatch(/^ScaledObject worker: .*'"minReplicas"' does not exist/);
  });

  const kubectl = kubectlBin();
  it.skipIf(!kubectl)('kubectl kustomize k8s/ renders objects that match their schemas', async () => {
    const rendered = parseYamlDocs(
      execFileSync(kubectl!, ['kustomize', repoPath('k8s')], { encoding: 'utf8' }),
      'kubectl kustomize k8s',
    );
    expect(rendered.map((d: Doc) => d.kind)).toContain('ScaledObject');
    for (const doc of rendered) {
      await validateK8sObject(doc);
      expect(doc.metadata.labels?.['app.kubernetes.io/part-of'], doc.metadata.name).toBe('image2svg');
    }
  });
});

describe('Compose schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(composeSchema());
  const problems = (doc: Doc): string[] =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

  it.each(COMPOSE_FILES)('%s matches the Compose Specification', (file) => {
    expect(problems(readYaml(file))).toEqual([]);
  });

  it('rejects a misspelt key and a wrong type', () => {
    const prod = readYaml('docker-compose.prod.yml');
    const misspelt = structuredClone(prod);
    misspelt.services.worker.enviroment = {};
    expect(problems(misspelt).join('\n')).toMatch(/must NOT have additional properties/);
    const wrong = structuredClone(prod);
    wrong.services.backend.healthcheck = { retries: [3] };
    expect(problems(wrong).join('\n')).toMatch(/healthcheck\/retries must be/);
  });
});
