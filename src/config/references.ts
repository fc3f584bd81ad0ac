export interface ReferenceIssue {
  path: (string | number)[];
  message: string;
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function entries(doc: Loose, key: string): [Loose, number][] {
  const list = doc[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, index): [Loose, number][] => (isObject(entry) ? [[entry, index]] : []));
}

/**
 * Checks ids and references across the catalog: duplicate ids per kind, references to
 * participants, systems and integrations that do not exist, an integration from a system to
 * itself. Written against unvalidated input so it can also run when other parts of the file are
 * wrong, and every problem is reported in one pass.
 */
export function referenceIssues(input: unknown): ReferenceIssue[] {
  if (!isObject(input)) return [];
  const issues: ReferenceIssue[] = [];
  const ids = (key: string) => {
    const seen = new Map<string, number>();
    for (const [entry, index] of entries(input, key)) {
      if (typeof entry.id !== 'string') continue;
      const first = seen.get(entry.id);
      if (first === undefined) seen.set(entry.id, index);
      else
        issues.push({
          path: [key, index, 'id'],
          message: `duplicate id "${entry.id}" (first defined at ${key}[${first}])`,
        });
    }
    return seen;
  };
  const check = (known: Map<string, number>, kind: string, value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string' && !known.has(value))
      issues.push({ path, message: `unknown ${kind} "${value}"` });
  };

  const participants = ids('participants');
  const systems = ids('systems');
  const integrations = ids('integrations');
  ids('workflows');
  const datasets = ids('datasets');
  ids('maintenance');
  if (isObject(input.notifications)) {
    const seen = new Map<string, number>();
    for (const [channel, i] of entries(input.notifications, 'channels')) {
      if (typeof channel.id !== 'string') continue;
      const first = seen.get(channel.id);
      if (first === undefined) seen.set(channel.id, i);
      else
        issues.push({
          path: ['notifications', 'channels', i, 'id'],
          message: `duplicate id "${channel.id}" (first defined at notifications.channels[${first}])`,
        });
    }
  }
  for (const [system, i] of entries(input, 'systems')) {
    check(participants, 'participant', system.participant, ['systems', i, 'participant']);
  }
  for (const [integration, i] of entries(input, 'integrations')) {
    check(systems, 'system', integration.from, ['integrations', i, 'from']);
    check(systems, 'system', integration.to, ['integrations', i, 'to']);
    if (typeof integration.to === 'string' && integration.from === integration.to)
      issues.push({
        path: ['integrations', i, 'to'],
        message: 'expected "to" to name a different system than "from"',
      });
  }
  for (const [workflow, i] of entries(input, 'workflows')) {
    if (!Array.isArray(workflow.steps)) continue;
    workflow.steps.forEach((step: unknown, j) => {
      if (isObject(step)) {
        if ('span' in step && !('integration' in step)) return;
        check(integrations, 'integration', step.integration, ['workflows', i, 'steps', j, 'integration']);
      } else check(integrations, 'integration', step, ['workflows', i, 'steps', j]);
    });
  }
  const checkList = (
    owner: Loose,
    key: string,
    known: Map<string, number>,
    kind: string,
    path: (string | number)[],
  ) => {
    const list = owner[key];
    if (!Array.isArray(list)) return;
    list.forEach((value, j) => {
      check(known, kind, value, [...path, key, j]);
    });
  };
  for (const [window, i] of entries(input, 'maintenance')) {
    checkList(window, 'integrations', integrations, 'integration', ['maintenance', i]);
    checkList(window, 'participants', participants, 'participant', ['maintenance', i]);
  }
  const notifications = input.notifications;
  if (isObject(notifications)) {
    for (const [channel, i] of entries(notifications, 'channels')) {
      checkList(channel, 'participants', participants, 'participant', ['notifications', 'channels', i]);
    }
  }
  for (const [dataset, i] of entries(input, 'datasets')) {
    check(systems, 'system', dataset.system, ['datasets', i, 'system']);
    if (!Array.isArray(dataset.checks)) continue;
    dataset.checks.forEach((qualityCheck: unknown, j) => {
      if (!isObject(qualityCheck) || qualityCheck.type !== 'consistency') return;
      const path = ['datasets', i, 'checks', j, 'reference'];
      check(datasets, 'dataset', qualityCheck.reference, path);
      if (typeof qualityCheck.reference === 'string' && qualityCheck.reference === dataset.id)
        issues.push({ path, message: 'expected a different dataset than the one checked' });
    });
  }
  return issues;
}
