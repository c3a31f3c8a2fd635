// The KQL operators the Sentinel syslog queries use, with KQL's semantics:
// `contains`/`has`/`startswith` are case-insensitive, `extract` and
// `matches regex` are case-sensitive RE2 searches (unanchored) and `extract`
// returns "" when nothing matches.

/** KQL `extract(re, group, text)`: the group of the first match, or "". */
export function extract(re: RegExp, group: number, text: string): string {
  const m = re.exec(text);
  return m ? (m[group] ?? '') : '';
}

/** KQL `contains` on an already lower-cased haystack (lower-case the needle once, at build time). */
export function containsLower(haystackLower: string, needleLower: string): boolean {
  return haystackLower.includes(needleLower);
}

/**
 * Translates a regex as written in the msticpy query YAML into JS source:
 * Python format escaping (`{{` → `{`), the KQL string escape (`\\` → `\`) and
 * RE2's POSIX classes. Used by the tests to prove the ported regexes equal the YAML.
 */
export function kqlRegexToJs(yamlRegex: string): string {
  return yamlRegex
    .replace(/\{\{/g, '{')
    .replace(/\}\}/g, '}')
    .replace(/''/g, "'")
    .replace(/\\\\/g, '\\')
    .replace(/\[:alnum:\]/g, 'A-Za-z0-9')
    .replace(/\[:alpha:\]/g, 'A-Za-z')
    .replace(/\[:graph:\]/g, '!-~');
}
