import { z } from 'zod';
import {
  datasetSchema,
  integrationSchema,
  maintenanceSchema,
  notificationChannelSchema,
  participantSchema,
  systemSchema,
  valueModelSchema,
  workflowSchema,
} from './catalog-schema.ts';
import { referenceIssues } from './references.ts';
import { settingsSchema } from './settings-schema.ts';

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
    notifications: z
      .strictObject({ channels: z.array(notificationChannelSchema).default([]) })
      .prefault({})
      .meta({ description: 'Where status changes are sent.' }),
    maintenance: z.array(maintenanceSchema).default([]),
  })
  .superRefine((doc, ctx) => {
    for (const issue of referenceIssues(doc)) {
      ctx.addIssue({
        code: 'custom',
        path: issue.path,
        message: issue.message,
        input: undefined,
        params: { self: true },
      });
    }
  });

export type EcosystemConfig = z.output<typeof ecosystemSchema>;
export type EcosystemInput = z.input<typeof ecosystemSchema>;
