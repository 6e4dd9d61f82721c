import { isClassified } from '@sync/errors';
import { formatBeijingTime } from './beijing-time';
import type { JstApi } from './types';

/** What one probe of the Qimen route found. */
export type QimenProbe =
  | { ok: true; method: string; rows: number }
  | { ok: false; method: string; code: string; message: string; hint: string };

const HINTS: Readonly<Record<string, string>> = {
  AUTH_FAILED: 'check JST_QIMEN_APP_KEY / JST_QIMEN_APP_SECRET / JST_QIMEN_SIGN_METHOD, and that the Qimen app is approved for JST\'s custom scene (target_app_key 23060081)',
  JST_REJECTED: 'check JST_QIMEN_CUSTOMER_ID (issued by JST for this merchant) and JST_QIMEN_URL',
  CLOCK_SKEW: 'sync this server\'s clock (NTP): Qimen allows 10 minutes of skew',
  QIMEN_RATE_LIMIT: 'the Qimen call limit was hit: lower JST_QIMEN_CALLS_PER_SECOND or retry later',
};

/**
 * One cheap call through the Qimen route (the last minute of `method`, one row) to tell whether credentials,
 * signing and customer_id routing work, for a go-live check. Never throws: a failure is returned with its error
 * code, message and what to check. `now` is the clock (epoch ms).
 */
export async function probeQimen(api: JstApi, now: number, method = 'jushuitan.saleout.list.query'): Promise<QimenProbe> {
  try {
    const page = await api.queryPage(method, {
      page_index: 1, page_size: 1, date_type: 0, modified_begin: formatBeijingTime(now - 60_000), modified_end: formatBeijingTime(now),
    });
    return { ok: true, method, rows: page.datas.length };
  } catch (e) {
    const code = isClassified(e) ? e.code : 'UNEXPECTED';
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, method, code, message, hint: HINTS[code] ?? 'the Qimen gateway or JST behind it did not answer: check JST_QIMEN_URL and try again' };
  }
}
