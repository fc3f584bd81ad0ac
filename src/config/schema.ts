import { z } from 'zod';
import {
  datasetSchema,
  integrationSchema,
  participantSchema,
  systemSchema,
  valueModelSchema,
  workflowSchema,
} from './catalog-schema.ts';
import { settingsSchema } from './settings-schema.ts';

type Entry = { id: string };
type Path = (string | number)[];

/** Reports every id that appears twice in one list, pointing at the second occurrence. */
function checkUniqueIds(list: Entry[], key: string, ctx: z.RefinementCtx): Map<string, number> {
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const first = seen.get(entry.id);
    if (first === undefined) seen.set(entry.id, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [key, index, 'id'],
        input: entry.id,
        params: { self: true },
        message: `duplicate id "${entry.id}" (first defined at ${key}[${first}])`,
      });
  });
  return seen;
}

function checkRef(ids: Map<string, number>, kind: string, value: string, path: Path, ctx: z.RefinementCtx) {
  if (ids.has(value)) return;
  ctx.addIssue({
    code: 'custom',
    path,
    input: value,
    params: { self: true },
    message: `unknown ${kind} "${value}"`,
  });
}

/**
 * The whole `ecosystem.yaml`: service settings and the catalog. Every object is strict (unknown
 * keys are errors), every default is set here, and references between entries are checked.
 */
export const ecosystemSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'JSON Schema reference for editors; ignored.' }),
    settings: settingsSchema.prefault({}),
    valueModel: valueModelSchema.prefault({}),
    participants: z.array(participantSchema).default([]),
    systems: z.array(systemSchema).default([]),
    integrations: z.array(integrationSchema).default([]),
    workflows: z.array(workflowSchema).default([]),
    datasets: z.array(datasetSchema).default([]),
  })
  .superRefine((doc, ctx) => {
    const participants = checkUniqueIds(doc.participants, 'participants', ctx);
    const systems = checkUniqueIds(doc.systems, 'systems', ctx);
    const integrations = checkUniqueIds(doc.integrations, 'integrations', ctx);
    checkUniqueIds(doc.workflows, 'workflows', ctx);
    checkUniqueIds(doc.datasets, 'datasets', ctx);
    doc.systems.forEach((s, i) => {
      checkRef(participants, 'participant', s.participant, ['systems', i, 'participant'], ctx);
    });
    doc.integrations.forEach((integration, i) => {
      checkRef(systems, 'system', integration.from, ['integrations', i, 'from'], ctx);
      checkRef(systems, 'system', integration.to, ['integrations', i, 'to'], ctx);
      if (integration.from === integration.to)
        ctx.addIssue({
          code: 'custom',
          path: ['integrations', i, 'to'],
          input: integration.to,
          params: { self: true },
          message: 'expected "to" to name a different system than "from"',
        });
    });
    doc.workflows.forEach((w, i) => {
      w.steps.forEach((step, j) => {
        const stepId = typeof step === 'string' ? step : step.integration;
        const path =
          typeof step === 'string'
            ? ['workflows', i, 'steps', j]
            : ['workflows', i, 'steps', j, 'integration'];
        checkRef(integrations, 'integration', stepId, path, ctx);
      });
    });
    doc.datasets.forEach((d, i) => {
      checkRef(systems, 'system', d.system, ['datasets', i, 'system'], ctx);
    });
  });

export type EcosystemConfig = z.output<typeof ecosystemSchema>;
export type EcosystemInput = z.input<typeof ecosystemSchema>;
