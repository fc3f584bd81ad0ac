export {
  AVAILABILITY_WINDOWS,
  type AvailabilityTable,
  type AvailabilityWindow,
  availabilityJob,
} from './availability.ts';
export { type RetentionOptions, retentionJob } from './retention.ts';
export {
  createScheduler,
  type Job,
  type JobContext,
  type Scheduler,
  type SchedulerOptions,
} from './scheduler.ts';
