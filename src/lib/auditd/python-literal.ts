// A small parser for Python literals (what `ast.literal_eval` reads): Sentinel
// exports of auditd keep `AuditdMessage` as the repr of a list of dicts, e.g.
// `[{'SYSCALL': ['arch=c000003e', "msg='op=PAM"]}]`.

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

export function parsePythonLiteral(text: string): PyValue {
  const p = new Parser(text);
  p.ws();
  const value = p.value();
  p.ws();
  if (p.i !== text.length) p.fail('unexpected text after the value');
  return value;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(why: string): never {
    throw new Error(`not a Python literal at offset ${this.i}: ${why}`);
  }

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  value(): PyValue {
    const c = this.s[this.i];
    if (c === '[' || c === '(') return this.list(c === '[' ? ']' : ')');
    if (c === '{') return this.dict();
    if (c === "'" || c === '"') return this.str();
    if (this.s.startsWith('True', this.i)) { this.i += 4; return true; }
    if (this.s.startsWith('False', this.i)) { this.i += 5; return false; }
    if (this.s.startsWith('None', this.i)) { this.i += 4; return null; }
    const m = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)/.exec(this.s.slice(this.i, this.i + 64));
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    return this.fail(`unexpected ${JSON.stringify(c ?? 'end of text')}`);
  }

  list(close: string): PyValue[] {
    this.i++;
    const out: PyValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) { this.i++; return out; }
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.fail(`expected , or ${close}`);
    }
  }

  dict(): { [key: string]: PyValue } {
    this.i++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') { this.i++; return out; }
      const key = this.value();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected :');
      this.i++;
      this.ws();
      out[String(key)] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail('expected , or }');
    }
  }

  str(): string {
    const quote = this.s[this.i++];
    const out: string[] = [];
    // Both positions are kept until passed: searching afresh after every escape
    // would scan to the closing quote each time (quadratic in the escapes).
    let next = -1;
    let esc = -1;
    for (;;) {
      if (next < this.i) {
        next = this.s.indexOf(quote, this.i);
        if (next < 0) this.fail('unterminated string');
      }
      if (esc < this.i) {
        const k = this.s.indexOf('\\', this.i);
        esc = k < 0 ? Infinity : k;
      }
      if (next < esc) {
        out.push(this.s.slice(this.i, next));
        this.i = next + 1;
        return out.join('');
      }
      out.push(this.s.slice(this.i, esc));
      const e = this.s[esc + 1];
      if (e === 'x') {
        out.push(String.fromCharCode(parseInt(this.s.slice(esc + 2, esc + 4), 16)));
        this.i = esc + 4;
      } else if (e === 'u') {
        out.push(String.fromCharCode(parseInt(this.s.slice(esc + 2, esc + 6), 16)));
        this.i = esc + 6;
      } else if (e === 'U') {
        out.push(String.fromCodePoint(parseInt(this.s.slice(esc + 2, esc + 10), 16)));
        this.i = esc + 10;
      } else if (e in ESCAPES) {
        out.push(ESCAPES[e]);
        this.i = esc + 2;
      } else {
        out.push(`\\${e}`);
        this.i = esc + 2;
      }
    }
  }
}
