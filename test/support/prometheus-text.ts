// A strict parser for the Prometheus text exposition format (0.0.4), written from the
// spec ("Exposition formats", prometheus.io) so tests can check secflow's output
// independently of the code that writes it. It rejects what a Prometheus server
// would reject: bad names, unknown escapes, unterminated label values, bad
// numbers, duplicate series, a TYPE after its samples, a family split in two.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help?: string;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

function parseValue(text: string, line: number): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value ${JSON.stringify(text)}`);
  return Number(text);
}

function unescapeHelp(text: string, line: number): string {
  return text.replace(/\\(.?)/g, (_m, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    throw new Error(`line ${line}: bad escape \\${c} in HELP`);
  });
}

/** The families in exposition text, in order; throws naming the line on any violation. */
export function parsePrometheusText(text: string): ParsedFamily[] {
  const families: ParsedFamily[] = [];
  const byName = new Map<string, ParsedFamily>();
  const seriesSeen = new Set<string>();
  let current: ParsedFamily | undefined;
  const lines = text.split('\n');
  if (text.length > 0 && lines[lines.length - 1] !== '') throw new Error('the text must end with a newline');

  const familyOf = (name: string): string => {
    for (const f of byName.values()) {
      if (f.name === name) return name;
      for (const s of SUFFIXES[f.type] ?? []) if (name === f.name + s) return f.name;
    }
    return name;
  };
  const enter = (name: string, line: number): ParsedFamily => {
    let f = byName.get(name);
    if (f && f !== current) throw new Error(`line ${line}: metric family ${name} is not one group`);
    if (!f) {
      f = { name, type: 'untyped', samples: [] };
      byName.set(name, f);
      families.push(f);
    }
    current = f;
    return f;
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(raw);
      if (!m) return; // a plain comment
      const [, keyword, name, rest = ''] = m;
      if (METRIC_NAME.exec(name)?.[0] !== name) throw new Error(`line ${line}: bad metric name ${name}`);
      const f = enter(name, line);
      if (keyword === 'HELP') {
        if (f.help !== undefined) throw new Error(`line ${line}: second HELP for ${name}`);
        f.help = unescapeHelp(rest, line);
      } else {
        if (!TYPES.has(rest.trim())) throw new Error(`line ${line}: bad type ${rest}`);
        if (f.samples.length) throw new Error(`line ${line}: TYPE for ${name} after its samples`);
        if (f.type !== 'untyped' || (f as { typed?: boolean }).typed) throw new Error(`line ${line}: second TYPE for ${name}`);
        f.type = rest.trim();
        (f as { typed?: boolean }).typed = true;
      }
      return;
    }
    const name = METRIC_NAME.exec(raw)?.[0];
    if (!name) throw new Error(`line ${line}: no metric name`);
    let pos = name.length;
    const labels: Record<string, string> = {};
    if (raw[pos] === '{') {
      pos++;
      for (;;) {
        if (raw[pos] === '}') {
          pos++;
          break;
        }
        const label = LABEL_NAME.exec(raw.slice(pos))?.[0];
        if (!label) throw new Error(`line ${line}: bad label name at column ${pos + 1}`);
        pos += label.length;
        if (raw.slice(pos, pos + 2) !== '="') throw new Error(`line ${line}: expected =" after ${label}`);
        pos += 2;
        let value = '';
        for (;;) {
          const c = raw[pos];
          if (c === undefined) throw new Error(`line ${line}: unterminated value of ${label}`);
          pos++;
          if (c === '"') break;
          if (c === '\\') {
            const e = raw[pos++];
            if (e === '\\') value += '\\';
            else if (e === '"') value += '"';
            else if (e === 'n') value += '\n';
            else throw new Error(`line ${line}: bad escape \\${e ?? ''} in ${label}`);
            continue;
          }
          value += c;
        }
        if (Object.hasOwn(labels, label)) throw new Error(`line ${line}: label ${label} twice`);
        labels[label] = value;
        if (raw[pos] === ',') pos++;
        else if (raw[pos] !== '}') throw new Error(`line ${line}: expected , or } at column ${pos + 1}`);
      }
    }
    const tail = raw.slice(pos);
    const parts = /^[ \t]+(\S+)(?:[ \t]+(-?\d+))?[ \t]*$/.exec(tail);
    if (!parts) throw new Error(`line ${line}: expected a value after the labels: ${JSON.stringify(tail)}`);
    const family = enter(familyOf(name), line);
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seriesSeen.has(series)) throw new Error(`line ${line}: duplicate series ${series}`);
    seriesSeen.add(series);
    family.samples.push({ name, labels, value: parseValue(parts[1], line), timestampMs: parts[2] === undefined ? undefined : Number(parts[2]) });
  });
  for (const f of families) delete (f as { typed?: boolean }).typed;
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`; throws when none or several match. */
export function sampleValue(families: ParsedFamily[], name: string, labels: Record<string, string>): number {
  const hits = families.flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length !== 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return hits[0].value;
}
