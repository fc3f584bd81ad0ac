import { z } from 'zod';
import { ecosystemSchema } from './schema.ts';

/**
 * The JSON Schema (draft 2020-12) of `ecosystem.yaml`, describing what a user writes (durations
 * as strings, defaults shown), for editor autocompletion: `ecotone schema > ecotone.schema.json`.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ecosystemSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return {
    ...schema,
    $id: 'https://ecotone.dev/schema/ecosystem.json',
    title: 'Ecotone ecosystem.yaml',
    description:
      'Service settings and the ecosystem catalog: participants, systems, integrations, workflows, datasets and the value model.',
  };
}
