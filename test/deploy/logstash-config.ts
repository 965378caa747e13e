/**
 * A parser for Logstash's pipeline configuration language, enough to check a
 * pipeline file without a JVM: sections (`input`, `filter`, `output`) of
 * plugins, each with `name => value` settings (strings, numbers, barewords,
 * arrays, hashes), and `if` / `else if` / `else` branches whose conditions
 * compare field references (`[a][b]`), values, regular expressions and
 * `in` / `not in`, joined by `and`, `or`, `xor`, `nand` and negated with `!`.
 * `#` starts a comment. A syntax error throws, naming the line and column.
 */

export type LogstashValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'bareword'; value: string }
  | { type: 'array'; value: LogstashValue[] }
  | { type: 'hash'; value: { key: string; value: LogstashValue }[] };

export interface LogstashPlugin {
  kind: 'plugin';
  name: string;
  settings: { name: string; value: LogstashValue }[];
}

export interface LogstashBranch {
  kind: 'branch';
  /** Each `if` / `else if` with its condition's source text; `else` has condition null. */
  clauses: { condition: string | null; body: LogstashNode[] }[];
}

export type LogstashNode = LogstashPlugin | LogstashBranch;

export interface LogstashSection {
  type: 'input' | 'filter' | 'output';
  body: LogstashNode[];
}

const SECTIONS = new Set(['input', 'filter', 'output']);

export function parseLogstashConfig(source: string): LogstashSection[] {
  let pos = 0;

  const fail = (expected: string): never => {
    const before = source.slice(0, pos).split('\n');
    const near = JSON.stringify(source.slice(pos, pos + 20));
    throw new Error(
      `line ${before.length}, column ${before.at(-1)!.length + 1}: expected ${expected} at ${near}`,
    );
  };
  const skip = (): void => {
    for (;;) {
      const ws = /^(?:\s+|#[^\n]*)/.exec(source.slice(pos));
      if (!ws) return;
      pos += ws[0].length;
    }
  };
  const peek = (re: RegExp): RegExpExecArray | null => re.exec(source.slice(pos));
  const take = (re: RegExp, expected: string): string => {
    skip();
    const m = peek(re);
    if (!m) fail(expected);
    pos += m![0].length;
    return m![0];
  };
  const at = (re: RegExp): boolean => {
    skip();
    return peek(re) !== null;
  };

  const STRING = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/s;
  const NUMBER = /^-?\d+(?:\.\d*)?(?![\w.])/;
  const BAREWORD = /^[A-Za-z_][A-Za-z0-9_]*/;
  const NAME = /^[A-Za-z0-9_-]+/;
  const SELECTOR = /^(?:\[[^\][,]+\])+/;
  const REGEXP = /^\/(?:[^/\\\n]|\\.)*\//;

  const unquote = (s: string): string => s.slice(1, -1).replace(/\\(.)/g, '$1');

  function value(): LogstashValue {
    skip();
    if (peek(STRING)) return { type: 'string', value: unquote(take(STRING, 'a string')) };
    if (peek(NUMBER)) return { type: 'number', value: Number(take(NUMBER, 'a number')) };
    if (peek(/^\[/)) {
      take(/^\[/, '[');
      const items: LogstashValue[] = [];
      if (!at(/^\]/)) {
        items.push(value());
        while (at(/^,/)) {
          take(/^,/, ',');
          items.push(value());
        }
      }
      take(/^\]/, '] closing the array');
      return { type: 'array', value: items };
    }
    if (peek(/^\{/)) {
      take(/^\{/, '{');
      const entries: { key: string; value: LogstashValue }[] = [];
      while (!at(/^\}/)) {
        if (pos >= source.length) fail('} closing the hash');
        const key = peek(STRING)
          ? unquote(take(STRING, 'a key'))
          : take(/^(?:-?\d+(?:\.\d*)?|[A-Za-z_][A-Za-z0-9_]*)/, 'a hash key');
        take(/^=>/, '=> after the hash key');
        entries.push({ key, value: value() });
      }
      take(/^\}/, '} closing the hash');
      return { type: 'hash', value: entries };
    }
    if (peek(BAREWORD)) return { type: 'bareword', value: take(BAREWORD, 'a value') };
    return fail('a value (string, number, bareword, array or hash)');
  }

  function plugin(): LogstashPlugin {
    const name = take(NAME, 'a plugin name');
    take(/^\{/, `{ after plugin ${name}`);
    const settings: { name: string; value: LogstashValue }[] = [];
    while (!at(/^\}/)) {
      if (pos >= source.length) fail(`} closing plugin ${name}`);
      const setting = peek(STRING) ? unquote(take(STRING, 'a setting')) : take(NAME, 'a setting name');
      take(/^=>/, `=> after setting ${setting}`);
      settings.push({ name: setting, value: value() });
    }
    take(/^\}/, `} closing plugin ${name}`);
    return { kind: 'plugin', name, settings };
  }

  function rvalue(): void {
    skip();
    if (peek(STRING)) take(STRING, 'a string');
    else if (peek(NUMBER)) take(NUMBER, 'a number');
    else if (peek(SELECTOR)) take(SELECTOR, 'a field reference');
    else if (peek(REGEXP)) take(REGEXP, 'a regular expression');
    else if (peek(/^\[/)) value();
    else if (peek(/^[A-Za-z_]\w*\s*\(/)) {
      take(/^[A-Za-z_]\w*\s*\(/, 'a method call');
      if (!at(/^\)/)) {
        rvalue();
        while (at(/^,/)) {
          take(/^,/, ',');
          rvalue();
        }
      }
      take(/^\)/, ') closing the method call');
    } else fail('a field reference, string, number, array or regular expression');
  }

  function expression(): void {
    skip();
    if (peek(/^\(/)) {
      take(/^\(/, '(');
      condition();
      take(/^\)/, ') closing the condition');
      return;
    }
    if (peek(/^!(?!=)/)) {
      take(/^!/, '!');
      if (at(/^\(/)) expression();
      else take(SELECTOR, 'a field reference after !');
      return;
    }
    rvalue();
    if (at(/^(?:==|!=|<=|>=|<|>)/)) {
      take(/^(?:==|!=|<=|>=|<|>)/, 'a comparison');
      rvalue();
    } else if (at(/^(?:=~|!~)/)) {
      take(/^(?:=~|!~)/, 'a match operator');
      skip();
      if (peek(REGEXP)) take(REGEXP, 'a regular expression');
      else take(STRING, 'a regular expression or string');
    } else if (at(/^(?:not\s+in|in)\b/)) {
      take(/^(?:not\s+in|in)\b/, 'in');
      rvalue();
    }
  }

  function condition(): string {
    skip();
    const start = pos;
    expression();
    while (at(/^(?:and|or|xor|nand)\b/)) {
      take(/^(?:and|or|xor|nand)\b/, 'a boolean operator');
      expression();
    }
    return source.slice(start, pos).trim();
  }

  function body(): LogstashNode[] {
    take(/^\{/, '{');
    const nodes: LogstashNode[] = [];
    while (!at(/^\}/)) {
      if (pos >= source.length) fail('} closing the block');
      nodes.push(at(/^if\b/) ? branch() : plugin());
    }
    take(/^\}/, '}');
    return nodes;
  }

  function branch(): LogstashBranch {
    take(/^if\b/, 'if');
    const clauses: LogstashBranch['clauses'] = [{ condition: condition(), body: body() }];
    while (at(/^else\b/)) {
      take(/^else\b/, 'else');
      if (at(/^if\b/)) {
        take(/^if\b/, 'if');
        clauses.push({ condition: condition(), body: body() });
      } else {
        clauses.push({ condition: null, body: body() });
        break;
      }
    }
    return { kind: 'branch', clauses };
  }

  const sections: LogstashSection[] = [];
  skip();
  while (pos < source.length) {
    const type = take(BAREWORD, 'input, filter or output');
    if (!SECTIONS.has(type)) {
      pos -= type.length;
      fail('input, filter or output');
    }
    sections.push({ type: type as LogstashSection['type'], body: body() });
    skip();
  }
  if (sections.length === 0) fail('at least one section');
  return sections;
}

/** Every plugin of the sections, branches walked, with its section. */
export function logstashPlugins(sections: LogstashSection[]): (LogstashPlugin & { section: string })[] {
  const walk = (nodes: LogstashNode[], section: string): (LogstashPlugin & { section: string })[] =>
    nodes.flatMap((n) =>
      n.kind === 'plugin' ? [{ ...n, section }] : n.clauses.flatMap((c) => walk(c.body, section)),
    );
  return sections.flatMap((s) => walk(s.body, s.type));
}

/** Every condition of every branch, in order. */
export function logstashConditions(sections: LogstashSection[]): string[] {
  const walk = (nodes: LogstashNode[]): string[] =>
    nodes.flatMap((n) =>
      n.kind === 'plugin'
        ? []
        : n.clauses.flatMap((c) => [...(c.condition ? [c.condition] : []), ...walk(c.body)]),
    );
  return sections.flatMap((s) => walk(s.body));
}
