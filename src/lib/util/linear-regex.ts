// The one place where user-supplied patterns (risky-command rules, the
// notifier's closeWhen, …) are compiled. They run on RE2 (re2-wasm), whose
// time is linear in the input: JavaScript's backtracking engine takes
// exponential time on patterns such as `.*(wget|curl).*\|?.*sh.*`, so one
// hostile log line could stall Node-RED. RE2 has no backreferences or
// lookarounds: such a pattern is refused when it is compiled.
//
// RE2 reads Python's named groups `(?P<name>…)` and inline flags `(?i)`;
// unlike Python 3 its `\d`, `\w`, `\s` and `\b` are ASCII-only.
import { RE2 } from 're2-wasm';

export class LinearRegexError extends Error {}

export interface LinearMatch {
  index: number;
  0: string;
  groups?: Record<string, string | undefined>;
}

export interface LinearRegex {
  /** The pattern as the user wrote it. */
  readonly source: string;
  test(text: string): boolean;
  exec(text: string): LinearMatch | null;
}

/** Flags that make sense for a user pattern; `g`/`y` (stateful lastIndex) are not offered. */
const FLAGS = /^[ims]*$/;

/** Compiles a user pattern (RE2 syntax) with JS flags i, m, s; throws LinearRegexError saying why. */
export function linearRegex(pattern: string, flags = ''): LinearRegex {
  if (!FLAGS.test(flags)) throw new LinearRegexError(`unsupported flags ${JSON.stringify(flags)} (only i, m and s)`);
  return wrap(pattern, compile(pattern, flags));
}

/**
 * Python's `re.match(pattern, text)`: a match must start at the start of the
 * text (it need not reach the end). The pattern alone compiles first, so its
 * parentheses are balanced and the anchoring group cannot be broken out of.
 */
export function linearMatchAtStart(pattern: string): LinearRegex {
  compile(pattern, '');
  return wrap(pattern, compile(`^(?:${pattern})`, ''));
}

/**
 * Compiled patterns by flags and source. re2-wasm never frees a compiled RE2
 * (its memory lives in the wasm heap, out of the GC's reach), so every deploy
 * would leak its rules again: the same pattern is compiled once per process.
 */
const compiled = new Map<string, RE2>();

function compile(pattern: string, flags: string): RE2 {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = compileNew(pattern, flags);
    compiled.set(key, re);
  }
  return re;
}

function compileNew(pattern: string, flags: string): RE2 {
  try {
    return new RE2(pattern, `u${flags}`);
  } catch (err) {
    // re2-wasm says "Invalid regular expression: /<pattern>/u: <why>": keep the why.
    const message = (err as Error).message;
    const at = message.lastIndexOf(`/u${flags}: `);
    const why = at < 0 ? message : message.slice(at + flags.length + 4);
    throw new LinearRegexError(`${why} (RE2 syntax: no backreferences or lookarounds)`);
  }
}

function wrap(source: string, re: RE2): LinearRegex {
  return {
    source,
    test: (text) => re.test(wellFormed(text)),
    exec: (text) => {
      re.lastIndex = 0;
      const m = re.exec(wellFormed(text));
      return m ? { index: m.index, 0: m[0] ?? '', groups: m.groups } : null;
    },
  };
}

type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * RE2 reads UTF-8: a lone surrogate would make the conversion fail and the
 * text match nothing, so a hostile line could hide behind one. It becomes
 * U+FFFD, which `.` matches, as Python does with any code point.
 */
function wellFormed(text: string): string {
  const t = text as WellFormed;
  return t.isWellFormed() ? text : t.toWellFormed();
}
