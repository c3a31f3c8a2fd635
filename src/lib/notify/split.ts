// Overflow handling (S5): split at the last newline before the limit, else at
// whitespace, else hard; never inside a surrogate pair, an html tag or an entity.
// At most maxParts parts; the last one ends with "[truncated N chars]".
import type { Overflow } from './types';

export const MAX_PARTS = 5;

/** Where a piece of at most `limit` characters of `text` (from `start`) may end. */
function cutPoint(text: string, start: number, limit: number): number {
  const hard = start + limit;
  if (hard >= text.length) return text.length;
  const window = text.slice(start, hard);
  const newline = window.lastIndexOf('\n');
  if (newline > 0) return start + newline + 1;
  const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
  if (space > 0) return start + space + 1;
  let cut = hard;
  // Not between the halves of a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  // Not inside a tag or an entity.
  const piece = text.slice(start, cut);
  const lt = piece.lastIndexOf('<');
  if (lt > 0 && piece.indexOf('>', lt) < 0) cut = start + lt;
  const amp = piece.lastIndexOf('&');
  if (amp > 0 && piece.indexOf(';', amp) < 0 && cut - (start + amp) <= 10) cut = Math.min(cut, start + amp);
  return cut > start ? cut : hard;
}

/**
 * Splits `body` into parts: the first may hold `firstLimit` characters (the
 * title takes room there), the rest `limit`.
 */
export function splitBody(body: string, limit: number, overflow: Overflow, firstLimit = limit, maxParts = MAX_PARTS): string[] {
  if (overflow === 'upstream' || body.length <= firstLimit) return [body];
  if (overflow === 'truncate') return [body.slice(0, cutPoint(body, 0, Math.max(1, firstLimit)))];
  const parts: string[] = [];
  let at = 0;
  while (at < body.length) {
    const room = parts.length === 0 ? Math.max(1, firstLimit) : limit;
    if (parts.length === maxParts - 1) {
      const remaining = body.length - at;
      if (remaining <= room) {
        parts.push(body.slice(at));
        break;
      }
      // Room for the marker; N counts what is dropped.
      let keep = room - 24;
      let end = cutPoint(body, at, Math.max(1, keep));
      keep = end - at;
      end = at + keep;
      parts.push(`${body.slice(at, end)}[truncated ${body.length - end} chars]`);
      break;
    }
    const end = cutPoint(body, at, room);
    parts.push(body.slice(at, end));
    at = end;
  }
  return parts;
}
