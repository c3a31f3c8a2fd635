// Linear-time forms of the few syslog regexes that V8 would retry from every
// candidate position, each retry running to the end of the line: on hostile
// messages (`COMMAND=` or `CMD` repeated, `pam_unix` repeated, a long run of
// line breaks) they took time quadratic in the line (34 s for 256 KB). Each
// function returns exactly what its regex returns (a unit test compares them
// on random short strings); the regexes stay in patterns.ts as the reference.

/** JS's line terminators, which `.` does not match. */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function lastLineBreak(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (isLineBreak(text.charCodeAt(i))) return i;
  return -1;
}

/** `raw.replace(/[\r\n]+$/, '')`. */
export function trimLineEnd(raw: string): string {
  let end = raw.length;
  while (end > 0 && (raw.charCodeAt(end - 1) === 10 || raw.charCodeAt(end - 1) === 13)) end--;
  return end === raw.length ? raw : raw.slice(0, end);
}

/**
 * KQL `extract("(COMMAND=|\\(command continued\\))(.*)$", 2, msg)` (SUDO.command):
 * `.*$` must reach the end, so the match is the first keyword after the last line break.
 */
export function sudoCommand(message: string): string {
  const from = lastLineBreak(message) + 1;
  const a = message.indexOf('COMMAND=', from);
  const b = message.indexOf('(command continued)', from);
  if (a < 0 && b < 0) return '';
  return a >= 0 && (b < 0 || a < b) ? message.slice(a + 8) : message.slice(b + 19);
}

const isUpper = (c: number) => c >= 65 && c <= 90;

/** KQL `extract("[A-Z]+ EDIT", 0, msg)` (CRON.editStatus): the first run of capitals followed by ` EDIT`, whole. */
export function cronEditStatus(message: string): string {
  // A match starts where a run of capitals starts, and ends right after one ` EDIT`:
  // the runs before each ` EDIT` are the only candidates, and the first one wins.
  for (let e = message.indexOf(' EDIT'); e >= 0; e = message.indexOf(' EDIT', e + 1)) {
    let s = e;
    while (s > 0 && isUpper(message.charCodeAt(s - 1))) s--;
    if (s < e) return message.slice(s, e + 5);
  }
  return '';
}

/** The first occurrence of `needle` at or after a position that only moves forward (Infinity: none): each part of the text is searched once. */
function forwardSearch(text: string, needle: string): (from: number) => number {
  let at = -1;
  return (from) => {
    if (at < from) {
      const i = text.indexOf(needle, from);
      at = i < 0 ? Infinity : i;
    }
    return at;
  };
}

/** `new RegExp(first + '.+' + second).test(text)` for literal words: both on one line, at least one character between. */
export function wordsInOrderOnOneLine(text: string, first: string, second: string): boolean {
  const nextFirst = forwardSearch(text, first);
  const nextSecond = forwardSearch(text, second);
  for (let lineStart = 0; lineStart <= text.length; ) {
    let lineEnd = lineStart;
    while (lineEnd < text.length && !isLineBreak(text.charCodeAt(lineEnd))) lineEnd++;
    const p = nextFirst(lineStart);
    if (p + first.length <= lineEnd && nextSecond(p + first.length + 1) + second.length <= lineEnd) return true;
    lineStart = lineEnd + 1;
  }
  return false;
}
