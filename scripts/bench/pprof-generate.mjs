// Writes a large, valid, gzip'd pprof profile for the decode benchmark, with its own small
// protobuf writer (no dependencies). Shape, chosen to resemble a long-running service's CPU
// profile rather than noise: ~200k locations in 50k functions (4 call sites each, ~15% with
// inlined Lines), 100k call paths 10–60 deep that share prefixes the way real call trees do,
// and 1M samples drawn from those paths with a skewed distribution and a varying leaf PC.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

/** A seeded xorshift32 PRNG: the same profile on every machine. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** A profile's string table: `str` interns a string and returns its index (0 is ""). */
function stringTable() {
  const strings = [''];
  const intern = new Map([['', 0]]);
  const str = (s) => {
    let i = intern.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      intern.set(s, i);
    }
    return i;
  };
  return { strings, str };
}

class Writer {
  constructor(size) {
    this.buf = new Uint8Array(size);
    this.pos = 0;
  }
  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }
  /** Non-negative integers below 2^53. */
  varint(v) {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }
  tag(field, wire) {
    this.varint(field * 8 + wire);
  }
  uintField(field, v) {
    if (v === 0) return;
    this.tag(field, 0);
    this.varint(v);
  }
  bytesField(field, bytes) {
    this.tag(field, 2);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
  /** A nested message written by `body` into a scratch writer. */
  message(field, scratch, body) {
    scratch.pos = 0;
    body(scratch);
    this.bytesField(field, scratch.buf.subarray(0, scratch.pos));
  }
  packed(field, values, from, to, scratch) {
    scratch.pos = 0;
    for (let i = from; i < to; i++) scratch.varint(values[i]);
    this.bytesField(field, scratch.buf.subarray(0, scratch.pos));
  }
}

export const SHAPE = {
  functions: 50_000,
  locations: 200_000,
  paths: 100_000,
  samples: 1_000_000,
  minDepth: 10,
  maxDepth: 60,
};

/** Returns the gzip'd profile bytes and a few facts about it. */
export function generateProfile(shape = SHAPE, seed = 20240601) {
  const rand = rng(seed);
  const F = shape.functions;
  const L = shape.locations;
  const sitesPerFunction = Math.floor(L / F);

  // Strings: function names over ~500 packages and ~2000 files.
  const { strings, str } = stringTable();
  const typeSamples = str('samples');
  const unitCount = str('count');
  const typeCpu = str('cpu');
  const unitNs = str('nanoseconds');
  const fnName = new Int32Array(F);
  const fnFile = new Int32Array(F);
  for (let f = 0; f < F; f++) {
    const pkg = `example.com/svc/internal/pkg${f % 500}`;
    fnName[f] = str(f % 3 === 0 ? `${pkg}.(*Type${f % 97}).Method${f}` : `${pkg}.func${f}`);
    fnFile[f] = str(`/home/build/src/${pkg}/file${f % 4}.go`);
  }
  const mappingFile = str('/usr/local/bin/svc');

  // Location l is call site (l / F) of function (l % F); some also carry an inlined callee.
  const locFn = (l) => l % F;
  const inlined = new Int32Array(L).fill(-1);
  for (let l = 0; l < L; l++) if (rand() < 0.15) inlined[l] = Math.floor(rand() * F);

  // Call paths: a tree. Each new path copies a prefix of an earlier one and walks on from there,
  // choosing call sites of the current function and callees by a per-site hash.
  const maxDepth = shape.maxDepth;
  const pathLoc = new Int32Array(shape.paths * maxDepth);
  const pathLen = new Int32Array(shape.paths);
  for (let p = 0; p < shape.paths; p++) {
    const depth = shape.minDepth + Math.floor(rand() * (maxDepth - shape.minDepth + 1));
    let k = 0;
    let fn;
    if (p > 0) {
      const q = Math.floor(rand() * p);
      const keep = Math.min(pathLen[q], Math.floor(rand() * depth));
      for (; k < keep; k++) pathLoc[p * maxDepth + k] = pathLoc[q * maxDepth + k];
    }
    if (k === 0)
      fn = Math.floor(rand() * 16); // a handful of roots (main, goroutine entry points)
    else {
      const prev = pathLoc[p * maxDepth + k - 1];
      fn = (Math.imul(prev, 2654435761) >>> 0) % F;
      fn = (fn + Math.floor(rand() * 3)) % F;
    }
    for (; k < depth; k++) {
      const site = Math.floor(rand() * rand() * sitesPerFunction);
      const loc = site * F + fn;
      pathLoc[p * maxDepth + k] = loc;
      fn = ((Math.imul(loc, 2654435761) >>> 0) + Math.floor(rand() * 3)) % F;
    }
    pathLen[p] = depth;
  }

  const w = new Writer(1 << 27);
  const scratch = new Writer(1 << 12);
  const inner = new Writer(1 << 10);
  // sample_type
  w.message(1, scratch, (m) => {
    m.uintField(1, typeSamples);
    m.uintField(2, unitCount);
  });
  w.message(1, scratch, (m) => {
    m.uintField(1, typeCpu);
    m.uintField(2, unitNs);
  });
  // samples, leaf first; ids are index + 1
  const ids = new Float64Array(maxDepth);
  const values = [0, 0];
  let totalFrames = 0;
  for (let s = 0; s < shape.samples; s++) {
    // Skewed towards low path numbers: the hot paths of the service.
    const p = Math.floor(shape.paths * rand() ** 3);
    const len = pathLen[p];
    for (let k = 0; k < len; k++) ids[len - 1 - k] = pathLoc[p * maxDepth + k] + 1;
    // The leaf PC varies between the function's call sites.
    const leafFn = locFn(ids[0] - 1);
    ids[0] = Math.floor(rand() * sitesPerFunction) * F + leafFn + 1;
    totalFrames += len;
    const n = 1 + Math.floor(rand() * rand() * 4);
    values[0] = n;
    values[1] = n * 10_000_000;
    w.message(2, scratch, (m) => {
      m.packed(1, ids, 0, len, inner);
      m.packed(2, values, 0, 2, inner);
    });
  }
  // mapping
  w.message(3, scratch, (m) => {
    m.uintField(1, 1);
    m.uintField(2, 0x400000);
    m.uintField(3, 0x400000 + L * 16 + 0x1000);
    m.uintField(5, mappingFile);
    m.uintField(7, 1);
    m.uintField(8, 1);
    m.uintField(9, 1);
    m.uintField(10, 1);
  });
  // locations
  for (let l = 0; l < L; l++) {
    w.message(4, scratch, (m) => {
      m.uintField(1, l + 1);
      m.uintField(2, 1);
      m.uintField(3, 0x400000 + l * 16);
      if (inlined[l] >= 0)
        m.message(4, inner, (ln) => {
          ln.uintField(1, inlined[l] + 1);
          ln.uintField(2, 10 + (l % 50));
        });
      m.message(4, inner, (ln) => {
        ln.uintField(1, locFn(l) + 1);
        ln.uintField(2, 20 + Math.floor(l / F) * 7);
      });
    });
  }
  // functions
  for (let f = 0; f < F; f++) {
    w.message(5, scratch, (m) => {
      m.uintField(1, f + 1);
      m.uintField(2, fnName[f]);
      m.uintField(3, fnName[f]);
      m.uintField(4, fnFile[f]);
      m.uintField(5, 10);
    });
  }
  // string table (last, as Go writes it)
  const enc = new TextEncoder();
  for (const s of strings) w.bytesField(6, enc.encode(s));
  w.uintField(9, 1_700_000_000_000_000_000 / 1e3); // time_nanos (rounded, < 2^53)
  w.uintField(10, 3600e9);
  w.message(11, scratch, (m) => {
    m.uintField(1, typeCpu);
    m.uintField(2, unitNs);
  });
  w.uintField(12, 10_000_000);

  const raw = w.buf.subarray(0, w.pos);
  // BestSpeed, as Go's runtime/pprof writes profiles.
  const gz = gzipSync(raw, { level: constants.Z_BEST_SPEED });
  return { gz, rawBytes: raw.length, totalFrames };
}

/**
 * The large benchmark profile, generated once into $TMPDIR/golens-bench (outside the repository,
 * so nothing generated is committed by accident) and reused by every benchmark.
 */
export function benchProfilePath() {
  const cacheDir = join(tmpdir(), 'golens-bench');
  mkdirSync(cacheDir, { recursive: true });
  const shapeKey = `${SHAPE.samples}-${SHAPE.locations}-${SHAPE.functions}-${SHAPE.paths}-v1`;
  const profilePath = join(cacheDir, `pprof-${shapeKey}.pb.gz`);
  if (!existsSync(profilePath)) {
    console.log(`generating ${profilePath} …`);
    const t = performance.now();
    const { gz, rawBytes, totalFrames } = generateProfile();
    writeFileSync(profilePath, gz);
    console.log(
      `  ${(gz.length / 1e6).toFixed(1)} MB gzip'd, ${(rawBytes / 1e6).toFixed(1)} MB raw, ${totalFrames} stack entries, ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  return profilePath;
}

/**
 * A gzip'd CPU profile (one sample type, cpu/nanoseconds) with exactly the given stacks: each
 * `[frames, nanoseconds]` with frames root first, one function and location per distinct name.
 * For tests that need a profile of a given shape (e.g. more call-tree nodes than a view keeps).
 */
export function stacksProfile(stacks) {
  const { strings, str } = stringTable();
  const typeCpu = str('cpu');
  const unitNs = str('nanoseconds');
  const file = str('example.com/shape/shape.go');
  const fnOf = new Map();
  const w = new Writer(1 << 20);
  const scratch = new Writer(1 << 12);
  const inner = new Writer(1 << 10);
  w.message(1, scratch, (m) => {
    m.uintField(1, typeCpu);
    m.uintField(2, unitNs);
  });
  const ids = [];
  for (const [frames, value] of stacks) {
    ids.length = 0;
    for (let k = frames.length - 1; k >= 0; k--) {
      let id = fnOf.get(frames[k]);
      if (id === undefined) fnOf.set(frames[k], (id = fnOf.size + 1));
      ids.push(id);
    }
    w.message(2, scratch, (m) => {
      m.packed(1, ids, 0, ids.length, inner);
      m.packed(2, [value], 0, 1, inner);
    });
  }
  // Location i and function i are the same frame; each function on its own line.
  for (const [name, id] of fnOf) {
    w.message(4, scratch, (m) => {
      m.uintField(1, id);
      m.message(4, inner, (ln) => {
        ln.uintField(1, id);
        ln.uintField(2, 10 + (id % 1000));
      });
    });
    w.message(5, scratch, (m) => {
      m.uintField(1, id);
      m.uintField(2, str(name));
      m.uintField(3, str(name));
      m.uintField(4, file);
    });
  }
  const enc = new TextEncoder();
  for (const s of strings) w.bytesField(6, enc.encode(s));
  w.message(11, scratch, (m) => {
    m.uintField(1, typeCpu);
    m.uintField(2, unitNs);
  });
  w.uintField(12, 10_000_000);
  return gzipSync(w.buf.subarray(0, w.pos), { level: constants.Z_BEST_SPEED });
}
