// A LEEF parser written from IBM's LEEF guides (QRadar "Log Event Extended Format",
// 1.0 and 2.0), independent of secflow's formatter:
// - header `LEEF:1.0|Vendor|Product|Version|EventID|` (five fields), or
//   `LEEF:2.0|Vendor|Product|Version|EventID|Delimiter|` where the delimiter is one
//   character or its hex code as `xHH` / `0xHH` (empty: tab); LEEF 1.0 always uses tab;
// - then `key=value` attributes separated by the delimiter; a key runs to the first `=`.
// Escapes, as secflow documents them: in the header `\|` and `\\`; in values `\\`,
// `\t`, `\r`, `\n` and a backslash before the delimiter.

export interface ParsedLeef {
  version: '1.0' | '2.0';
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  delimiter: string;
  attributes: Array<[string, string]>;
}

function splitHeader(line: string, from: number, count: number): { fields: string[]; rest: number } {
  const fields: string[] = [];
  let cur = '';
  let i = from;
  while (fields.length < count) {
    if (i >= line.length) throw new Error(`truncated LEEF header: ${fields.length} of ${count} fields`);
    const c = line[i];
    if (c === '\\' && (line[i + 1] === '|' || line[i + 1] === '\\')) {
      cur += line[i + 1];
      i += 2;
      continue;
    }
    if (c === '|') {
      fields.push(cur);
      cur = '';
      i++;
      continue;
    }
    cur += c;
    i++;
  }
  return { fields, rest: i };
}

function delimiterOf(field: string): string {
  if (field === '') return '\t';
  const hex = /^(?:0x|x)([0-9a-fA-F]{2,4})$/.exec(field);
  if (hex) return String.fromCharCode(Number.parseInt(hex[1], 16));
  if ([...field].length === 1) return field;
  throw new Error(`LEEF 2.0 delimiter must be one character or xHH, got ${JSON.stringify(field)}`);
}

export function parseLeef(line: string): ParsedLeef {
  const m = /^LEEF:(1\.0|2\.0)\|/.exec(line);
  if (!m) throw new Error('not a LEEF record: missing "LEEF:1.0|" or "LEEF:2.0|"');
  const version = m[1] as '1.0' | '2.0';
  const { fields, rest } = splitHeader(line, m[0].length, version === '2.0' ? 5 : 4);
  const delimiter = version === '2.0' ? delimiterOf(fields[4]) : '\t';
  const attributes: Array<[string, string]> = [];
  let key: string | undefined;
  let cur = '';
  const flush = () => {
    if (key === undefined) {
      if (cur !== '') throw new Error(`attribute without "=": ${JSON.stringify(cur)}`);
    } else attributes.push([key, cur]);
    key = undefined;
    cur = '';
  };
  for (let i = rest; i < line.length; i++) {
    const c = line[i];
    if (c === '\r' || c === '\n') throw new Error('a raw line break inside a LEEF record');
    if (key !== undefined && c === '\\' && i + 1 < line.length) {
      const n = line[i + 1];
      if (n === '\\' || n === delimiter) cur += n;
      else if (n === 't') cur += '\t';
      else if (n === 'r') cur += '\r';
      else if (n === 'n') cur += '\n';
      else {
        cur += c;
        continue;
      }
      i++;
      continue;
    }
    if (c === delimiter) {
      flush();
      continue;
    }
    if (key === undefined && c === '=') {
      key = cur;
      cur = '';
      continue;
    }
    cur += c;
  }
  flush();
  return { version, vendor: fields[0], product: fields[1], productVersion: fields[2], eventId: fields[3], delimiter, attributes };
}
