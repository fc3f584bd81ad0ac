export * from './catalog-schema.ts';
export { formatDuration, parseDuration } from './duration.ts';
export { ConfigError, type ConfigIssue, formatIssue } from './errors.ts';
export { configJsonSchema } from './json-schema.ts';
export { type Config, type LoadOptions, loadConfig, parseConfig } from './load.ts';
export type { EcosystemConfig, EcosystemInput } from './schema.ts';
export type { Settings } from './settings-schema.ts';
