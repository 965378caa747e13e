/**
 * Base images pinned by digest. This repository cannot hold real digests (they
 * come from the registry at release time), so the production files name each
 * third-party image as `name:tag@${NAME_DIGEST:?...}` (Compose) or through the
 * kustomization's `images:` (Kubernetes) and the Dockerfiles' NODE_IMAGE /
 * NGINX_IMAGE arguments, and scripts/pin-images.sh fills the digests in. The
 * tests check that every image goes through that mechanism, and run the
 * script against a stand-in `docker` that plays the registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  kubectlBin,
  parseYamlDocs,
  readText,
  readYaml,
  readYamlDocs,
  repoPath,
  type Doc,
} from './deploy-files.js';

/** deploy/images.txt: image:tag → the variable holding its digest. */
const PINNED = new Map(
  readText('deploy/images.txt')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [variable, image] = l.trim().split(/\s+/);
      return [image, variable] as const;
    }),
);
const OWN_IMAGE = /^image2svg-(backend|frontend):/;
const PINNED_REF = /^(?<image>[^@\s]+)@\$\{(?<variable>[A-Z_]+_DIGEST):\?run scripts\/pin-images\.sh\}$/;

/** Every image reference of a Compose file: `image:` and the build args naming base images. */
function composeImages(file: string): string[] {
  const { services } = readYaml(file);
  return Object.values<Doc>(services).flatMap((s) => [
    ...(s.image ? [s.image] : []),
    ...Object.entries<string>(s.build?.args ?? {})
      .filter(([k]) => k.endsWith('_IMAGE'))
      .map(([, v]) => v),
  ]);
}

describe('production images are pinned by digest', () => {
  it.each(['docker-compose.prod.yml', 'docker-compose.logging.yml'])(
    '%s names every third-party image as name:tag@${VARIABLE_DIGEST} from deploy/images.txt',
    (file) => {
      const refs = composeImages(file).filter((r) => !OWN_IMAGE.test(r));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        const m = PINNED_REF.exec(ref);
        expect(m, `${file}: ${ref} is not pinned`).not.toBeNull();
        expect(PINNED.get(m!.groups!.image), `${file}: ${ref}`).toBe(m!.groups!.variable);
      }
    },
  );

  it('the Dockerfiles take their base images from NODE_IMAGE / NGINX_IMAGE, whose tags are in the list', () => {
    for (const file of ['Dockerfile', 'frontend/Dockerfile']) {
      const text = readText(file);
      const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
      for (const from of froms) expect(from, file).toMatch(/^\$\{(NODE|NGINX)_IMAGE\}$/);
      for (const [, tag] of text.matchAll(/^ARG (?:NODE|NGINX)_IMAGE=(\S+)$/gm))
        expect(PINNED.has(tag), `${file}: ${tag}`).toBe(true);
    }
  });

  it('Kubernetes: every third-party image has a kustomization entry that pin-images.sh pins', () => {
    const kustomization = readYaml('k8s/kustomization.yaml');
    const docs = kustomization.resources.flatMap((f: string) => readYamlDocs(`k8s/${f}`));
    const images = docs.flatMap((d: Doc) =>
      (d.spec?.template?.spec?.containers ?? []).map((c: Doc) => c.image as string),
    );
    for (const image of images.filter((i: string) => !OWN_IMAGE.test(i))) {
      expect(PINNED.has(image), image).toBe(true);
      const [name, tag] = image.split(':');
      expect(kustomization.images).toContainEqual(expect.objectContaining({ name, newTag: tag }));
    }
  });

  it('deploy/images.txt lists only images that the files use', () => {
    const used = new Set([
      ...composeImages('docker-compose.prod.yml'),
      ...composeImages('docker-compose.logging.yml'),
    ]);
    for (const [image, variable] of PINNED)
      expect(used.has(`${image}@\${${variable}:?run scripts/pin-images.sh}`), image).toBe(true);
  });
});

describe('scripts/pin-images.sh', () => {
  const digestOf = (image: string): string =>
    `sha256:${execFileSync('sha256sum', { input: image, encoding: 'utf8' }).slice(0, 64)}`;

  /** A copy of the files the script edits, and a `docker` that answers `buildx imagetools inspect` as a registry would. */
  function sandbox(answer = 'digest'): { root: string; env: NodeJS.ProcessEnv } {
    const root = mkdtempSync(join(tmpdir(), 'image2svg-pin-'));
    for (const dir of ['deploy', 'k8s', 'bin']) mkdirSync(join(root, dir));
    cpSync(repoPath('deploy/images.txt'), join(root, 'deploy/images.txt'));
    cpSync(repoPath('k8s'), join(root, 'k8s'), { recursive: true });
    writeFileSync(join(root, '.env'), 'REDIS_PASSWORD=keep-me\nNODE_DIGEST=sha256:old\n');
    const docker = join(root, 'bin/docker');
    writeFileSync(
      docker,
      answer === 'digest'
        ? `#!/bin/sh
[ "$1 $2 $3" = "buildx imagetools inspect" ] && [ "$5" = "--format" ] || exit 64
printf '%s' "$4" >>"${root}/asked"; echo >>"${root}/asked"
printf 'sha256:%s\\n' "$(printf '%s' "$4" | sha256sum | cut -c1-64)"\n`
        : `#!/bin/sh\necho "${answer}"\n`,
    );
    chmodSync(docker, 0o755);
    return { root, env: { ...process.env, IMAGE2SVG_ROOT: root, PATH: `${root}/bin:${process.env.PATH}` } };
  }
  const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
    spawnSync('bash', [repoPath('scripts/pin-images.sh'), ...args], { env, encoding: 'utf8' });

  it('--check fails naming every unpinned image, then passes once the script has pinned them', () => {
    const { root, env } = sandbox();
    const before = run(env, '--check');
    expect(before.status).toBe(1);
    for (const image of PINNED.keys()) expect(before.stderr).toContain(`not pinned: ${image}`);
    expect(before.stderr).toContain('redis:7.4-alpine (no digest in k8s/kustomization.yaml)');

    const pin = run(env);
    expect(pin.status, pin.stderr).toBe(0);
    expect(readFileSync(join(root, 'asked'), 'utf8').trim().split('\n')).toEqual([...PINNED.keys()]);
    const dotenv = readFileSync(join(root, '.env'), 'utf8');
    expect(dotenv).toContain('REDIS_PASSWORD=keep-me\n');
    expect(dotenv).not.toContain('sha256:old');
    for (const [image, variable] of PINNED) expect(dotenv).toContain(`${variable}=${digestOf(image)}\n`);
    const redis = readYaml('k8s/kustomization.yaml').images.find((i: Doc) => i.name === 'redis');
    const pinned = parseYamlDocs(readFileSync(join(root, 'k8s/kustomization.yaml'), 'utf8'))[0];
    expect(pinned.images.find((i: Doc) => i.name === 'redis')).toEqual({
      ...redis,
      digest: digestOf('redis:7.4-alpine'),
    });
    expect(run(env, '--check').status).toBe(0);
    // Idempotent: a second run leaves one line per variable.
    expect(run(env).status).toBe(0);
    const again = readFileSync(join(root, '.env'), 'utf8');
    expect(again.match(/^NODE_DIGEST=/gm)).toHaveLength(1);
    expect(readFileSync(join(root, 'k8s/kustomization.yaml'), 'utf8').match(/^ +digest:/gm)).toHaveLength(1);

    // What Compose would run: every third-party image as name:tag@sha256:<digest>.
    const vars = Object.fromEntries(
      again
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    );
    for (const ref of composeImages('docker-compose.prod.yml').filter((r) => !OWN_IMAGE.test(r))) {
      const resolved = ref.replace(/\$\{([A-Z_]+):\?[^}]*\}/, (_, v: string) => vars[v]);
      expect(resolved).toMatch(/^[^@]+:[^@]+@sha256:[0-9a-f]{64}$/);
    }
    const kubectl = kubectlBin();
    if (kubectl) {
      const rendered = execFileSync(kubectl, ['kustomize', join(root, 'k8s')], { encoding: 'utf8' });
      expect(rendered).toContain(`image: redis:7.4-alpine@${digestOf('redis:7.4-alpine')}`);
    }
  });

  it('refuses an answer that is not a digest, and writes nothing', () => {
    const { root, env } = sandbox('ERROR: not found');
    const result = run(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('node:26-trixie-slim: the registry answered "ERROR: not found"');
    expect(readFileSync(join(root, '.env'), 'utf8')).toBe('REDIS_PASSWORD=keep-me\nNODE_DIGEST=sha256:old\n');
  });
});
