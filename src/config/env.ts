import { type Document, isPair, isScalar, isSeq, type Node, type Pair, visit } from 'yaml';

/** A `${NAME}` or `${NAME:-default}` reference; `$${` escapes a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

export interface EnvProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Expands `${NAME}` and `${NAME:-default}` in one string. A variable that is unset or empty takes
 * its default; without one, `onMissing` is told and it expands to nothing.
 */
export function expandString(
  text: string,
  env: Record<string, string | undefined>,
  onMissing: (name: string) => void,
): string {
  return text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    const found = env[name as string];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    onMissing(name as string);
    return '';
  });
}

/** A plain scalar's text read as YAML would: integers and decimals as numbers, true/false as booleans. */
function typedScalar(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function pathOf(ancestors: readonly unknown[], node: Node): (string | number)[] {
  const chain = [...ancestors, node];
  const path: (string | number)[] = [];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i];
    if (isSeq(parent)) path.push(parent.items.indexOf(chain[i + 1] as Node));
    else if (isPair(parent) && isScalar((parent as Pair).key)) path.push(String((parent as Pair<Node>).key));
  }
  return path;
}

/**
 * Expands environment references in every scalar value of a parsed document, in place. Expansion
 * happens after parsing, so a variable's value can never change the document's structure. An
 * unquoted value that is exactly one reference takes the type its text has, as YAML would give it
 * (`port: ${PORT}` is a number); a quoted one stays a string (`name: "${NAME}"`).
 */
export function expandDocumentEnv(doc: Document, env: Record<string, string | undefined>): EnvProblem[] {
  const problems: EnvProblem[] = [];
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const text = node.value;
      const expanded = expandString(text, env, (name) =>
        problems.push({ path: pathOf(ancestors, node), message: `environment variable ${name} is not set` }),
      );
      node.value = node.type === 'PLAIN' && WHOLE_REFERENCE.test(text) ? typedScalar(expanded) : expanded;
    },
  });
  return problems;
}
