export { applyCatalog, describeApply } from './apply.ts';
export { catalogSnapshot } from './snapshot.ts';
