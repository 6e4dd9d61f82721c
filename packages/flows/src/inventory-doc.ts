import { PermanentError } from '@sync/errors';
import type { DocLabel } from './base-data';
import { jstDatePart } from './dates';

/** Pure helpers shared by the inventory flows (transfer, stocktake). */

/** Business date of an inventory document: io_date, else the date JST last changed it. */
export function inventoryBillDate(doc: { io_date?: string; modified: string }, who: DocLabel): string {
  const date = jstDatePart(doc.io_date) ?? jstDatePart(doc.modified);
  if (date) return date;
  throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${who.flow} ${who.text}: neither io_date nor modified is a date`, {
    flow: who.flow, docId: who.docId, field: 'io_date',
  });
}

/** A note of at most 255 characters from its parts (empty parts left out). */
export function shortNote(parts: ReadonlyArray<string | undefined | false>): string {
  const text = parts.filter((p): p is string => typeof p === 'string' && p !== '').join('; ');
  return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}

/** A sub-warehouse id as the lookup key part (`<wms_co_id>/<wh_id>`), or undefined. */
export function whKey(whId: number | undefined): string | undefined {
  return whId === undefined || whId === 0 ? undefined : String(whId);
}

/**
 * The version of a window-scanned document: the digits of its `modified` text (`2024-06-07 10:21:33` →
 * `20240607102133`), so job ids and logs carry no spaces. Changes whenever JST changes the document.
 */
export function modifiedVersion(modified: string): string {
  return modified.replace(/\D/g, '');
}
