import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { expandDocumentEnv } from './env.ts';
import { ConfigError, type ConfigIssue, describeFound, formatPath } from './errors.ts';
import { referenceIssues } from './references.ts';
import { type EcosystemConfig, ecosystemSchema } from './schema.ts';

/** A loaded, validated config: the catalog, the settings, and where they came from. */
export interface Config extends EcosystemConfig {
  /** Absolute path of the file the config was read from. */
  file: string;
}

export interface LoadOptions {
  /** Variables for `${NAME}` expansion (default: none; the CLI passes `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Reads, expands and validates an `ecosystem.yaml`. Throws {@link ConfigError} naming the file,
 * the line, the path in the document, what was expected and what was found.
 *
 * @example
 * const config = await loadConfig('examples/ecosystem.yaml', { env: process.env });
 */
export async function loadConfig(file: string, options: LoadOptions = {}): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(file, [{ path: '', message: reason }]);
  }
  return parseConfig(text, file, options);
}

/** Validates config text; `file` is used for messages and to resolve relative paths. */
export function parseConfig(text: string, file: string, options: LoadOptions = {}): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return {
          path: '',
          message: `invalid YAML: ${error.message.split('\n')[0]}`,
          line: pos.line,
          column: pos.col,
        };
      }),
    );
  }
  const envProblems = expandDocumentEnv(doc, options.env ?? {});
  const expanded = doc.toJS() ?? {};
  if (typeof expanded !== 'object' || Array.isArray(expanded)) {
    throw new ConfigError(file, [
      { path: '', message: `expected a mapping at the top level, found ${describeFound(expanded)}` },
    ]);
  }
  const locate = (path: (string | number)[], key?: string) => position(doc.contents, path, key, lineCounter);
  if (envProblems.length > 0) {
    throw new ConfigError(
      file,
      envProblems.map((p) => ({ path: formatPath(p.path), message: p.message, ...locate(p.path) })),
    );
  }

  const result = ecosystemSchema.safeParse(expanded);
  if (!result.success) {
    const issues = toIssues(result.error.issues, expanded, locate);
    // Zod skips the cross-reference checks when anything else failed; run them anyway, so one
    // pass reports every problem.
    const seen = new Set(issues.map((i) => `${i.path}\n${i.message}`));
    for (const ref of referenceIssues(expanded)) {
      const issue = { path: formatPath(ref.path), message: ref.message, ...locate(ref.path) };
      if (!seen.has(`${issue.path}\n${issue.message}`)) issues.push(issue);
    }
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigError(file, issues);
  }
  const config = result.data;
  const base = dirname(resolve(file));
  const storagePath = config.settings.storage.path;
  if (storagePath !== ':memory:' && !isAbsolute(storagePath))
    config.settings.storage.path = resolve(base, storagePath);
  for (const integration of config.integrations) {
    const probe = integration.probe;
    if (probe?.type !== 'http') continue;
    for (const key of ['cert', 'key', 'ca'] as const) {
      const path = probe.tls[key];
      if (path !== undefined && !isAbsolute(path)) probe.tls[key] = resolve(base, path);
    }
  }
  return { ...config, file: resolve(file) };
}

type Locate = (path: (string | number)[], key?: string) => { line?: number; column?: number };

function toIssues(issues: z.core.$ZodIssue[], input: unknown, locate: Locate): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...path, key]), message: `unknown key "${key}"`, ...locate(path, key) });
      }
      continue;
    }
    const found = valueAt(input, path);
    out.push({ path: formatPath(path), message: describeIssue(issue, found), ...locate(path) });
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, found: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.message.startsWith('expected ') ? issue.message : `expected ${issue.expected}`;
      if (found === undefined) return `required, ${expected}`;
      return `${expected}, found ${describeFound(found)}`;
    }
    case 'invalid_value':
      if (found === undefined)
        return `required, expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describeFound(found)}`;
    case 'invalid_union':
      return `${issue.message}, found ${describeFound(found)}`;
    case 'too_small':
    case 'too_big': {
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const foundText = Array.isArray(found) ? `${found.length}` : describeFound(found);
      if (issue.message && !issue.message.startsWith('Too ')) return `${issue.message}, found ${foundText}`;
      if (issue.origin === 'array') return `expected ${word} ${bound} items, found ${foundText}`;
      if (issue.origin === 'string' && issue.code === 'too_small' && Number(bound) === 1)
        return `expected a non-empty string, found ${describeFound(found)}`;
      if (issue.origin === 'string')
        return `expected ${word} ${bound} characters, found ${describeFound(found)}`;
      const strict =
        issue.inclusive === false ? (issue.code === 'too_small' ? 'more than' : 'less than') : word;
      return `expected a number ${strict} ${bound}, found ${describeFound(found)}`;
    }
    case 'custom':
      if (issue.params?.self) return issue.message;
      return `${issue.message}, found ${describeFound(found)}`;
    default:
      return `${issue.message.startsWith('Invalid') ? issue.message.toLowerCase() : issue.message}, found ${describeFound(found)}`;
  }
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Finds the line and column of the node at `path` (or of `key` inside it), walking up to the nearest node that exists. */
function position(
  root: Node | null,
  path: (string | number)[],
  key: string | undefined,
  lineCounter: LineCounter,
): { line?: number; column?: number } {
  let node: unknown = root;
  let best: unknown = root;
  for (const segment of path) {
    const next = child(node, segment);
    if (next === undefined) break;
    node = next;
    best = next;
  }
  if (key !== undefined && node === best && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (pair) best = pair.key;
  }
  const range = (best as { range?: [number, number, number] } | null)?.range;
  if (!range) return {};
  const pos = lineCounter.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function child(node: unknown, segment: string | number): unknown {
  if (node === null || typeof node !== 'object' || !('items' in node)) return undefined;
  const items = (node as { items: unknown[] }).items;
  if (typeof segment === 'number') return isMap(node) ? undefined : items[segment];
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
  return pair?.value ?? undefined;
}
