/** One problem in a config file, located by its path in the document and, where known, its line. */
export interface ConfigIssue {
  /** Path in the document, e.g. `integrations[3].probe.timeout`; empty for the whole document. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/**
 * Thrown when a config file cannot be used. `message` lists every problem, one per line, each
 * starting with `file:line:column` so editors and terminals can jump to it.
 */
export class ConfigError extends Error {
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    const lines = issues.map((issue) => `  ${formatIssue(file, issue)}`);
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`${file}: ${count}\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Renders a path as `integrations[3].probe.timeout`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** Describes a value found in a document for an error message: `string "abc"`, `a list`, `nothing`. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
