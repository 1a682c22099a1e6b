// A small profile.proto encoder for tests: builds profiles with exactly the wire shapes a test
// needs (packed or unpacked lists, shuffled field order, unknown fields, odd ids).
import { rng } from '../../support/random';

export { rng };

/** Protobuf writer; integers may be numbers (exact ones) or bigints. */
export class PbWriter {
  private bytes: number[] = [];

  varint(v: number | bigint): this {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  /** A varint field (written even when 0, so tests control presence). */
  int(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(v);
  }
  raw(bytes: Uint8Array | number[]): this {
    for (const b of bytes) this.bytes.push(b);
    return this;
  }
  len(field: number, body: Uint8Array | number[]): this {
    this.tag(field, 2).varint(body.length);
    return this.raw(body);
  }
  string(field: number, s: string): this {
    return this.len(field, new TextEncoder().encode(s));
  }
  message(field: number, build: (w: PbWriter) => void): this {
    const w = new PbWriter();
    build(w);
    return this.len(field, w.finish());
  }
  packed(field: number, values: (number | bigint)[]): this {
    const w = new PbWriter();
    for (const v of values) w.varint(v);
    return this.len(field, w.finish());
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export interface LabelSpec {
  key: string;
  str?: string;
  num?: number;
  unit?: string;
}
export interface SampleSpec {
  /** Location ids, leaf first. */
  locations: number[];
  values: (number | bigint)[];
  labels?: LabelSpec[];
}
export interface LocationSpec {
  id: number | bigint;
  mapping?: number;
  address?: number | bigint;
  /** Innermost first. */
  lines: { function: number; line: number }[];
  isFolded?: boolean;
}
export interface FunctionSpec {
  id: number | bigint;
  name: string;
  systemName?: string;
  file?: string;
  startLine?: number;
}
export interface MappingSpec {
  id: number;
  start?: number | bigint;
  limit?: number | bigint;
  offset?: number;
  file?: string;
  buildId?: string;
  hasFunctions?: boolean;
}
export interface ProfileSpec {
  sampleTypes: [string, string][];
  defaultSampleType?: string;
  samples: SampleSpec[];
  locations: LocationSpec[];
  functions: FunctionSpec[];
  mappings?: MappingSpec[];
  periodType?: [string, string];
  period?: number;
  timeNanos?: number | bigint;
  durationNanos?: number;
  comments?: string[];
  dropFrames?: string;
  keepFrames?: string;
}
export interface EncodeOptions {
  /** Write repeated scalars unpacked (one field per value). Default: packed. */
  unpacked?: boolean;
  /** Shuffle the top-level fields with this seed (string table included). */
  shuffleSeed?: number;
  /** Add unknown fields of every wire type at every level. */
  unknownFields?: boolean;
  /** Put the string table first instead of last. */
  stringsFirst?: boolean;
}

function unknown(w: PbWriter): void {
  w.int(1000, 7)
    .tag(1001, 1)
    .raw([1, 2, 3, 4, 5, 6, 7, 8])
    .string(1002, 'ignored')
    .tag(1003, 5)
    .raw([9, 9, 9, 9]);
}

/** Encodes a profile.proto message (uncompressed) from a spec. */
export function encodeProfile(spec: ProfileSpec, opts: EncodeOptions = {}): Uint8Array {
  const strings: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const s = (v: string | undefined): number => {
    if (v === undefined || v === '') return 0;
    let i = index.get(v);
    if (i === undefined) {
      i = strings.length;
      strings.push(v);
      index.set(v, i);
    }
    return i;
  };
  const list = (w: PbWriter, field: number, values: (number | bigint)[]): void => {
    if (opts.unpacked) for (const v of values) w.int(field, v);
    else if (values.length > 0) w.packed(field, values);
  };
  const parts: Uint8Array[] = [];
  const kinds: number[] = [];
  const top = (build: (w: PbWriter) => void): void => {
    const w = new PbWriter();
    build(w);
    const bytes = w.finish();
    parts.push(bytes);
    kinds.push(bytes[0] >> 3);
  };
  for (const [type, unit] of spec.sampleTypes) {
    top((w) =>
      w.message(1, (m) => {
        m.int(1, s(type)).int(2, s(unit));
        if (opts.unknownFields) unknown(m);
      }),
    );
  }
  for (const smp of spec.samples) {
    top((w) =>
      w.message(2, (m) => {
        list(m, 1, smp.locations);
        list(m, 2, smp.values);
        for (const l of smp.labels ?? []) {
          m.message(3, (lw) => {
            lw.int(1, s(l.key));
            if (l.str !== undefined) lw.int(2, s(l.str));
            if (l.num !== undefined) lw.int(3, l.num);
            if (l.unit !== undefined) lw.int(4, s(l.unit));
            if (opts.unknownFields) unknown(lw);
          });
        }
        if (opts.unknownFields) unknown(m);
      }),
    );
  }
  for (const mp of spec.mappings ?? []) {
    top((w) =>
      w.message(3, (m) => {
        m.int(1, mp.id)
          .int(2, mp.start ?? 0)
          .int(3, mp.limit ?? 0)
          .int(4, mp.offset ?? 0)
          .int(5, s(mp.file))
          .int(6, s(mp.buildId));
        if (mp.hasFunctions) m.int(7, 1);
        if (opts.unknownFields) unknown(m);
      }),
    );
  }
  for (const loc of spec.locations) {
    top((w) =>
      w.message(4, (m) => {
        m.int(1, loc.id);
        if (loc.mapping !== undefined) m.int(2, loc.mapping);
        if (loc.address !== undefined) m.int(3, loc.address);
        for (const ln of loc.lines) {
          m.message(4, (lw) => {
            lw.int(1, ln.function).int(2, ln.line);
            if (opts.unknownFields) unknown(lw);
          });
        }
        if (loc.isFolded) m.int(5, 1);
        if (opts.unknownFields) unknown(m);
      }),
    );
  }
  for (const fn of spec.functions) {
    top((w) =>
      w.message(5, (m) => {
        m.int(1, fn.id)
          .int(2, s(fn.name))
          .int(3, s(fn.systemName ?? fn.name))
          .int(4, s(fn.file))
          .int(5, fn.startLine ?? 0);
        if (opts.unknownFields) unknown(m);
      }),
    );
  }
  const scalars = new PbWriter();
  if (spec.dropFrames) scalars.int(7, s(spec.dropFrames));
  if (spec.keepFrames) scalars.int(8, s(spec.keepFrames));
  if (spec.timeNanos !== undefined) scalars.int(9, spec.timeNanos);
  if (spec.durationNanos !== undefined) scalars.int(10, spec.durationNanos);
  if (spec.periodType) {
    const [type, unit] = spec.periodType;
    scalars.message(11, (m) => m.int(1, s(type)).int(2, s(unit)));
  }
  if (spec.period !== undefined) scalars.int(12, spec.period);
  if (spec.comments?.length)
    list(
      scalars,
      13,
      spec.comments.map((c) => s(c)),
    );
  if (spec.defaultSampleType) scalars.int(14, s(spec.defaultSampleType));
  if (opts.unknownFields) unknown(scalars);
  parts.push(scalars.finish());
  kinds.push(0);

  const table = new PbWriter();
  for (const str of strings) table.string(6, str);
  if (opts.stringsFirst) {
    parts.unshift(table.finish());
    kinds.unshift(6);
  } else {
    parts.push(table.finish());
    kinds.push(6);
  }

  if (opts.shuffleSeed !== undefined) {
    // Repeated fields keep their relative order (it is meaning: sample i, sample type i); the
    // kinds are interleaved at random.
    const rand = rng(opts.shuffleSeed);
    const queues = new Map<number, Uint8Array[]>();
    parts.forEach((p, i) => {
      const kind = kinds[i];
      if (!queues.has(kind)) queues.set(kind, []);
      queues.get(kind)!.push(p);
    });
    const merged: Uint8Array[] = [];
    while (queues.size > 0) {
      const live = [...queues.keys()];
      const kind = live[Math.floor(rand() * live.length)];
      const q = queues.get(kind)!;
      merged.push(q.shift()!);
      if (q.length === 0) queues.delete(kind);
    }
    parts.splice(0, parts.length, ...merged);
  }
  const out = new PbWriter();
  for (const p of parts) out.raw(p);
  return out.finish();
}

/**
 * A CPU-like profile from root-first stacks of function names: one function per name (file
 * `<name>.go`), one location per (name, line) pair; frames given as `name` or `name:line`, and
 * `a+b` for a location with inlined frames (a inlined into b, innermost first).
 */
export function profileFromStacks(
  stacks: [string[], number][],
  sampleTypes: [string, string][] = [['samples', 'count']],
): ProfileSpec {
  const functions: FunctionSpec[] = [];
  const fnIds = new Map<string, number>();
  const fn = (name: string): number => {
    let id = fnIds.get(name);
    if (id === undefined) {
      id = functions.length + 1;
      fnIds.set(name, id);
      functions.push({ id, name, file: `${name.replace(/[^\w.]/g, '_')}.go`, startLine: 1 });
    }
    return id;
  };
  const locations: LocationSpec[] = [];
  const locIds = new Map<string, number>();
  const loc = (frame: string): number => {
    let id = locIds.get(frame);
    if (id === undefined) {
      id = locations.length + 1;
      locIds.set(frame, id);
      const lines = frame.split('+').map((part) => {
        const [name, line] = part.split(':');
        return { function: fn(name), line: line ? Number(line) : 10 };
      });
      locations.push({ id, mapping: 1, address: 0x1000 + id * 16, lines });
    }
    return id;
  };
  const samples: SampleSpec[] = stacks.map(([frames, v]) => ({
    locations: frames.map(loc).reverse(),
    values: sampleTypes.map((_, i) => v * (i + 1)),
  }));
  return {
    sampleTypes,
    samples,
    locations,
    functions,
    mappings: [{ id: 1, start: 0x1000, limit: 0x100000, file: '/bin/prog', hasFunctions: true }],
    periodType: ['cpu', 'nanoseconds'],
    period: 10_000_000,
  };
}
