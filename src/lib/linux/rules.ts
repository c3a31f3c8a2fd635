// Risky command-line rules in msticpy's cmd_line_rules.json format
// ({"<log type>": ["<python regex>", ...]}), compiled for Python `re.match`
// (anchored at the start) on the linear-time engine RE2: JavaScript's engine
// backtracks exponentially on the default rules themselves (issue 13). RE2 reads
// Python's `(?P<name>…)`, and its `.` refuses only `\n`, as Python's does.
import { linearMatchAtStart, type LinearRegex } from '../util/linear-regex';

/** msticpy/resources/cmd_line_rules.json (MIT), the default `Syslog` rules. */
export const DEFAULT_RULES_JSON = String.raw`{
    "Syslog" : [
        ".*authorized_keys.*",
        ".*(wget|curl).*\\|?.*sh.*",
        ".*(:\\(\\){:\\|:&};:).*",
        ".*(mv.*\/dev\/null).*",
        ".*\/bin\/bash.*"
    ]
}`;

export class RulesError extends Error {}

export interface Rule {
  source: string;
  regex: LinearRegex;
}

/** Parses rules JSON (empty = the upstream default) and compiles the rules of `logType`; a rule RE2 cannot run is refused, named. */
export function loadRules(text: string | undefined, logType = 'Syslog'): Rule[] {
  const json = text && text.trim() !== '' ? text : DEFAULT_RULES_JSON;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new RulesError(`rules is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[logType] : undefined;
  if (!Array.isArray(list)) throw new RulesError(`rules must be a JSON array of regexes or an object with a "${logType}" array (the cmd_line_rules.json format)`);
  return list.map((source, i) => {
    if (typeof source !== 'string' || source === '') throw new RulesError(`rules ${logType}[${i}] must be a non-empty string`);
    try {
      return { source, regex: compilePythonMatch(source) };
    } catch (err) {
      throw new RulesError(`rules ${logType}[${i}] ${JSON.stringify(source)} is not a valid regex: ${(err as Error).message}`);
    }
  });
}

/** A Python regex used with re.match, on the linear-time engine. */
export function compilePythonMatch(pattern: string): LinearRegex {
  return linearMatchAtStart(pattern);
}

/** Longest command text a rule sees (64 KiB): one match then takes a few ms at most; the cut is reported. */
export const DEFAULT_MAX_COMMAND_LENGTH = 65_536;

/** What the rules found in one command. */
export interface CommandCheck {
  /** Indices of the matching rules, in rule order. */
  hits: number[];
  /** The command's length when it was longer than the limit (the rules saw only its start). */
  cutFrom?: number;
}

/**
 * All rules as one alternation: most commands match none, and one RE2 call
 * costs ~2 µs whatever the pattern (the text is copied into wasm), so one call
 * answers "none" instead of one call per rule. Null when it would not compile.
 */
const anyRule = new WeakMap<readonly Rule[], LinearRegex | null>();
function anyOf(rules: readonly Rule[]): LinearRegex | null {
  let re = anyRule.get(rules);
  if (re === undefined) {
    try {
      // Each rule in its own group, so an inline flag such as (?i) stays within it.
      re = rules.length > 1 ? linearMatchAtStart(rules.map((r) => `(?:${r.source})`).join('|')) : null;
    } catch {
      re = null;
    }
    anyRule.set(rules, re);
  }
  return re;
}

/** Tests `command` (its first `maxLength` characters) against every rule. */
export function checkCommand(rules: readonly Rule[], command: string, maxLength = DEFAULT_MAX_COMMAND_LENGTH): CommandCheck {
  const cut = command.length > maxLength;
  const text = cut ? command.slice(0, maxLength) : command;
  const hits: number[] = [];
  const any = anyOf(rules);
  if (!any || any.test(text)) for (let i = 0; i < rules.length; i++) if (rules[i].regex.test(text)) hits.push(i);
  return cut ? { hits, cutFrom: command.length } : { hits };
}
