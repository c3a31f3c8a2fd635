// Risky command-line rules in msticpy's cmd_line_rules.json format
// ({"<log type>": ["<python regex>", ...]}), compiled for Python `re.match`
// parity: anchored at the start, and an unescaped `.` refuses only `\n`
// (JS's `.` also refuses `\r` and the Unicode line separators).

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
  regex: RegExp;
}

/** Parses rules JSON (empty = the upstream default) and compiles the rules of `logType`. */
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

/** A Python regex used with re.match, as a JS RegExp. */
export function compilePythonMatch(pattern: string): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in both dialects.
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
    } else if (c === '.') {
      out += '[^\\n]';
    } else if (c === '(' && pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (c === '(' && pattern.startsWith('(?P=', i)) {
      const close = pattern.indexOf(')', i);
      out += `\\k<${pattern.slice(i + 4, close)}>`;
      i = close;
    } else out += c;
  }
  return new RegExp(`^(?:${out})`);
}
