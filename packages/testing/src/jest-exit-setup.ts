import { trackTimers } from './open-handles';

/** Jest's first global setup: remember where timers are created, for the report of jest-exit-watch.ts. */
export default async function exitSetup(): Promise<void> {
  trackTimers();
}
