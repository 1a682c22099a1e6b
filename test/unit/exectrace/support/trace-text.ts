// Builds binary execution traces from the raw text form `go tool trace -d=wire` prints
// ("EventBatch gen=1 m=0 time=0 size=…", "GoStart dt=5 g=1 g_seq=1", …) with a first line
// "Trace Go1.NN". Batch sizes are recomputed, so test cases are written like Go's own
// testdata/tests files, but the cases here are ours. Values may go up to 2^64−1.

import { SPECS, Ev } from '../../../../src/core/exectrace/spec';

const NAME_TO_TYPE = new Map<string, number>();
SPECS.forEach((s, t) => {
  if (s.name) NAME_TO_TYPE.set(s.name, t);
});

function varint(out: number[], v: bigint): void {
  if (v < 0n) v = BigInt.asUintN(64, v);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
}

/** Unquotes a Go double-quoted string literal into bytes. */
export function goUnquote(lit: string): number[] {
  if (!lit.startsWith('"') || !lit.endsWith('"')) throw new Error(`not a quoted string: ${lit}`);
  const s = lit.slice(1, -1);
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      out.push(...enc.encode(String.fromCodePoint(cp)));
      continue;
    }
    const e = s[++i];
    const simple: Record<string, number> = {
      n: 10,
      t: 9,
      r: 13,
      a: 7,
      b: 8,
      f: 12,
      v: 11,
      '\\': 92,
      '"': 34,
      "'": 39,
    };
    if (e in simple) out.push(simple[e]);
    else if (e === 'x') {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      out.push(...enc.encode(String.fromCodePoint(parseInt(s.slice(i + 1, i + 1 + n), 16))));
      i += n;
    } else if (e >= '0' && e <= '7') {
      out.push(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else throw new Error(`bad escape \\${e}`);
  }
  return out;
}

function parseArgs(parts: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new Error(`bad argument ${p}`);
    m.set(p.slice(0, eq), p.slice(eq + 1));
  }
  return m;
}

/** Converts the text form to trace bytes. Lines starting with '#' and blank lines are ignored. */
export function traceFromText(text: string): Uint8Array {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  let i = 0;
  while (i < lines.length && (lines[i].trim() === '' || lines[i].trim().startsWith('#'))) i++;
  const m = /^Trace Go1\.(\d+)$/.exec(lines[i]?.trim() ?? '');
  if (!m) throw new Error('first line must be "Trace Go1.NN"');
  const minor = Number(m[1]);
  const out: number[] = [...new TextEncoder().encode(`go 1.${minor} trace\x00\x00\x00`)];
  let header: number[] | null = null;
  let payload: number[] = [];
  const flush = () => {
    if (header) {
      out.push(...header);
      varint(out, BigInt(payload.length));
      out.push(...payload);
    }
    header = null;
    payload = [];
  };
  for (i++; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const [name, ...rest] = line.split(/\s+/);
    const typ = NAME_TO_TYPE.get(name);
    if (typ === undefined) throw new Error(`unknown event ${name} on line ${i + 1}`);
    const spec = SPECS[typ];
    if (typ === Ev.EventBatch) {
      flush();
      const a = parseArgs(rest);
      header = [typ];
      for (const k of ['gen', 'm', 'time']) varint(header, BigInt(a.get(k) ?? '0'));
      continue;
    }
    if (typ === Ev.ExperimentalBatch) {
      flush();
      const a = parseArgs(rest);
      const data = goUnquote(lines[++i].trim().replace(/^data=/, ''));
      out.push(typ, Number(a.get('exp') ?? '0'));
      for (const k of ['gen', 'm', 'time']) varint(out, BigInt(a.get(k) ?? '0'));
      varint(out, BigInt(data.length));
      out.push(...data);
      continue;
    }
    if (typ === Ev.EndOfGeneration) {
      flush();
      out.push(typ);
      continue;
    }
    const target = header ? payload : out;
    target.push(typ);
    const a = parseArgs(rest);
    for (const k of spec.args) {
      const v = a.get(k);
      if (v === undefined) throw new Error(`line ${i + 1}: ${name} needs ${k}`);
      varint(target, BigInt(v));
    }
    if (typ === Ev.Stack) {
      const n = Number(a.get('nframes'));
      for (let f = 0; f < n; f++) {
        const fa = parseArgs(lines[++i].trim().split(/\s+/));
        for (const k of ['pc', 'func', 'file', 'line']) varint(target, BigInt(fa.get(k) ?? '0'));
      }
    } else if (typ === Ev.String) {
      const data = goUnquote(lines[++i].trim().replace(/^data=/, ''));
      varint(target, BigInt(data.length));
      target.push(...data);
    }
  }
  flush();
  return new Uint8Array(out);
}
