import { reportOpenHandlesAfter } from './open-handles';

/** Jest's last global teardown: if the process outlives the tests by 5 s, say what keeps it alive. */
export default async function exitWatch(): Promise<void> {
  reportOpenHandlesAfter(Number(process.env.JEST_OPEN_HANDLES_REPORT_MS ?? 5000), 'jest');
}
