/** A `${NAME}` or `${NAME:-default}` reference; `$${` escapes a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

function typedScalar(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export interface EnvProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Expands `${NAME}` and `${NAME:-default}` in every string of a parsed YAML document.
 * Expansion happens after parsing, so a variable's value is always a plain string and can never
 * change the document's structure. Unset variables without a default are reported, not guessed.
 */
export function expandEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  problems: EnvProblem[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const expanded = value.replace(
      REFERENCE,
      (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$${') return '${';
        const found = env[name as string];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        problems.push({ path, message: `environment variable ${name} is not set` });
        return '';
      },
    );
    // A value that is one whole reference takes the type its text has, so `port: ${PORT:-9480}` is a number.
    return WHOLE_REFERENCE.test(value) ? typedScalar(expanded) : expanded;
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandEnv(item, env, problems, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = expandEnv(item, env, problems, [...path, key]);
    return out;
  }
  return value;
}
