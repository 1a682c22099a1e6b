// Go's own function table (pclntab), read from an ELF binary's bytes: the frames of a pc as the
// Go runtime's profiler gives them, inlined calls expanded. perf cannot expand Go's inlining (its
// DWARF reader gives Go code `??:0`), and `go tool addr2line` gives only the outer function, so a
// perf recording would lack the inlined frames a pprof profile of the same program has.
//
// The format (Go 1.20 and later, magic 0xfffffff1; see the Go runtime's symtab.go, symtabinl.go
// and internal/abi/symtab.go):
//  - pcHeader: magic u32, 2 pad bytes, minLC u8 (pc quantum), ptrSize u8, then words: nfunc,
//    nfiles, textStart (unused since 1.26), and the offsets from the header of funcnametab, cutab,
//    filetab, pctab and the function table.
//  - function table: nfunc+1 pairs (entry offset from the text start, offset of the _func record).
//  - _func: entryOff, nameOff, args, deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset, startLine
//    (u32/i32 each), funcID, flag, pad, nfuncdata (u8 each), then pcdata[npcdata] (offsets into
//    pctab) and funcdata[nfuncdata] (offsets from the go:func.* symbol, ^0 for none).
//  - pc-value tables: pairs of a zig-zag varint value delta and a varint pc delta (× minLC),
//    from value -1 at the function's entry; a zero value delta after the first pair ends it.
//  - the inline tree (funcdata 3) is an array of 16-byte inlinedCall records (funcID, 3 pad bytes,
//    nameOff, parentPc, startLine); pcdata 2 gives the innermost inlined call at a pc (-1: none).
// The text start and go:func.* come from the symbol table, or, in a stripped binary, from the
// runtime's moduledata record, which points at the pcHeader.

const MAGIC_GO120 = 0xfffffff1;
const PCDATA_INL_TREE_INDEX = 2;
const FUNCDATA_INL_TREE = 3;
const INLINED_CALL_SIZE = 16;
/** Words of moduledata before its `text` and `gofunc` fields (Go 1.20+). */
const MODULEDATA_TEXT_WORD = 22;
const MODULEDATA_GOFUNC_WORD = 40;

/** One frame of a pc, innermost (inlined callee) first, named as the Go runtime names it. */
export interface GoFrame {
  name: string;
  file: string;
  line: number;
  /** The line of the function's `func` keyword. */
  startLine: number;
}

interface Section {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

/** Why a binary's table could not be read, for the caller's fallback and messages. */
export class GoTableError extends Error {}

function cString(b: Uint8Array, at: number, decoder: TextDecoder): string {
  let end = at;
  while (end < b.length && b[end] !== 0) end++;
  return decoder.decode(b.subarray(at, end));
}

/**
 * The name the Go runtime prints for a function: a generic function's instantiation
 * (`pkg.F[go.shape.int]`) is `pkg.F[...]`, as in pprof profiles.
 */
export function goPrintName(name: string): string {
  const open = name.indexOf('[');
  const close = name.lastIndexOf(']');
  if (open < 0 || close < open) return name;
  return name.slice(0, open) + '[...]' + name.slice(close + 1);
}

export class GoFunctionTable {
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly is64: boolean;
  private readonly sections: Section[] = [];
  private readonly symbols = new Map<string, number>();
  private readonly tab: number;
  private readonly ptrSize: number;
  private readonly quantum: number;
  private readonly nfunc: number;
  private readonly funcnametab: number;
  private readonly cutab: number;
  private readonly filetab: number;
  private readonly pctab: number;
  private readonly functab: number;
  private readonly text: number;
  private readonly gofunc: number;
  private byName: Map<string, number> | undefined;

  /** Reads the tables of the ELF binary `bytes`; throws GoTableError when it has none this reads. */
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (
      bytes.length < 64 ||
      bytes[0] !== 0x7f ||
      bytes[1] !== 0x45 ||
      bytes[2] !== 0x4c ||
      bytes[3] !== 0x46
    )
      throw new GoTableError('not an ELF binary');
    if (bytes[5] !== 1) throw new GoTableError('a big-endian ELF binary');
    this.is64 = bytes[4] === 2;
    this.readSections();
    const pcln = this.sections.find((s) => s.name === '.gopclntab');
    const start = pcln ? pcln.offset : this.fileOffset(this.symbols.get('runtime.pclntab') ?? -1);
    if (start < 0) throw new GoTableError('no Go function table (.gopclntab)');
    this.tab = start;
    const magic = this.u32(start);
    if (magic !== MAGIC_GO120)
      throw new GoTableError(
        `a Go function table of a release this does not read (magic 0x${magic.toString(16)}; Go 1.20 and later are read)`,
      );
    this.quantum = bytes[start + 6];
    this.ptrSize = bytes[start + 7];
    if (this.ptrSize !== 8 && this.ptrSize !== 4)
      throw new GoTableError('a Go function table with a bad pointer size');
    const word = (i: number): number => this.word(start + 8 + i * this.ptrSize);
    this.nfunc = word(0);
    this.funcnametab = start + word(3);
    this.cutab = start + word(4);
    this.filetab = start + word(5);
    this.pctab = start + word(6);
    this.functab = start + word(7);
    const pclnAddr = pcln ? pcln.addr : (this.symbols.get('runtime.pclntab') ?? 0);
    const moduledata = this.findModuledata(pclnAddr, word(3));
    const text =
      this.symbols.get('runtime.text') ??
      (moduledata >= 0 ? this.word(moduledata + MODULEDATA_TEXT_WORD * this.ptrSize) : 0) ??
      0;
    this.text = text || word(2) || (this.sections.find((s) => s.name === '.text')?.addr ?? 0);
    this.gofunc =
      this.symbols.get('go:func.*') ??
      this.symbols.get('go.func.*') ??
      (moduledata >= 0 ? this.word(moduledata + MODULEDATA_GOFUNC_WORD * this.ptrSize) : -1);
  }

  private u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  private i32(at: number): number {
    return this.view.getInt32(at, true);
  }

  private word(at: number): number {
    return this.ptrSize === 8
      ? Number(this.view.getBigUint64(at, true))
      : this.view.getUint32(at, true);
  }

  private readSections(): void {
    const v = this.view;
    const shoff = this.is64 ? Number(v.getBigUint64(0x28, true)) : v.getUint32(0x20, true);
    const shentsize = v.getUint16(this.is64 ? 0x3a : 0x2e, true);
    const shnum = v.getUint16(this.is64 ? 0x3c : 0x30, true);
    const shstrndx = v.getUint16(this.is64 ? 0x3e : 0x32, true);
    if (shoff === 0 || shoff + shnum * shentsize > this.bytes.length)
      throw new GoTableError('an ELF binary without section headers');
    const raw: (Section & { nameOff: number; link: number; entsize: number })[] = [];
    for (let i = 0; i < shnum; i++) {
      const h = shoff + i * shentsize;
      const big = (o: number): number => Number(v.getBigUint64(h + o, true));
      raw.push(
        this.is64
          ? {
              name: '',
              nameOff: v.getUint32(h, true),
              type: v.getUint32(h + 4, true),
              flags: big(8),
              addr: big(0x10),
              offset: big(0x18),
              size: big(0x20),
              link: v.getUint32(h + 0x28, true),
              entsize: big(0x38),
            }
          : {
              name: '',
              nameOff: v.getUint32(h, true),
              type: v.getUint32(h + 4, true),
              flags: v.getUint32(h + 8, true),
              addr: v.getUint32(h + 0xc, true),
              offset: v.getUint32(h + 0x10, true),
              size: v.getUint32(h + 0x14, true),
              link: v.getUint32(h + 0x18, true),
              entsize: v.getUint32(h + 0x24, true),
            },
      );
    }
    for (const s of raw)
      if (s.type !== 8 /* SHT_NOBITS */ && s.offset + s.size > this.bytes.length)
        throw new GoTableError('the binary is cut off (its sections run past its end)');
    const names = raw[shstrndx];
    for (const s of raw) {
      if (names) s.name = cString(this.bytes, names.offset + s.nameOff, this.decoder);
      this.sections.push(s);
    }
    // The symbols this needs (absent from a stripped binary).
    const wanted = new Set(['runtime.text', 'runtime.pclntab', 'go:func.*', 'go.func.*']);
    for (const s of raw) {
      if (s.type !== 2 /* SHT_SYMTAB */ || s.entsize === 0 || s.offset + s.size > this.bytes.length)
        continue;
      const strtab = raw[s.link];
      if (!strtab) continue;
      for (let at = s.offset; at + s.entsize <= s.offset + s.size; at += s.entsize) {
        const nameOff = v.getUint32(at, true);
        // Cheap test of the first byte before decoding: every wanted name starts with `r` or `g`.
        const first = this.bytes[strtab.offset + nameOff];
        if (first !== 0x72 && first !== 0x67) continue;
        const name = cString(this.bytes, strtab.offset + nameOff, this.decoder);
        if (!wanted.has(name) || this.symbols.has(name)) continue;
        this.symbols.set(
          name,
          this.is64 ? Number(v.getBigUint64(at + 8, true)) : v.getUint32(at + 4, true),
        );
      }
    }
  }

  /** The file offset of virtual address `addr`, or -1. */
  private fileOffset(addr: number): number {
    if (addr < 0) return -1;
    for (const s of this.sections) {
      if (s.type === 8 /* SHT_NOBITS */ || s.addr === 0) continue;
      if (addr >= s.addr && addr < s.addr + s.size) return s.offset + (addr - s.addr);
    }
    return -1;
  }

  /** The file offset of the runtime's moduledata: the record whose first words point at the pcHeader and its funcnametab. */
  private findModuledata(pclnAddr: number, funcnameOffset: number): number {
    if (pclnAddr === 0) return -1;
    const p = this.ptrSize;
    for (const s of this.sections) {
      if (
        s.type !== 1 /* SHT_PROGBITS */ ||
        s.flags & 4 /* exec */ ||
        s.offset + s.size > this.bytes.length
      )
        continue;
      for (let at = s.offset; at + 2 * p <= s.offset + s.size; at += p) {
        if (this.word(at) === pclnAddr && this.word(at + p) === pclnAddr + funcnameOffset)
          return at;
      }
    }
    return -1;
  }

  /** The file offset of function `i`'s _func record. */
  private funcRecord(i: number): number {
    return this.functab + this.u32(this.functab + 8 * i + 4);
  }

  private entryOf(i: number): number {
    return this.text + this.u32(this.functab + 8 * i);
  }

  private funcName(nameOff: number): string {
    return cString(this.bytes, this.funcnametab + nameOff, this.decoder);
  }

  /** The entry pc of the function named `name` (as the symbol table names it; `.abi0` and `.abiinternal` suffixes are the same function), or undefined. */
  entry(name: string): number | undefined {
    if (!this.byName) {
      this.byName = new Map();
      for (let i = 0; i < this.nfunc; i++) {
        const n = this.funcName(this.i32(this.funcRecord(i) + 4));
        if (!this.byName.has(n)) this.byName.set(n, this.entryOf(i));
      }
    }
    const plain = name.endsWith('.abi0')
      ? name.slice(0, -5)
      : name.endsWith('.abiinternal')
        ? name.slice(0, -12)
        : name;
    return this.byName.get(name) ?? this.byName.get(plain);
  }

  /** The index of the function whose code holds `pc`, or -1. */
  private funcAt(pc: number): number {
    let lo = 0;
    let hi = this.nfunc - 1;
    if (
      this.nfunc === 0 ||
      pc < this.entryOf(0) ||
      pc >= this.text + this.u32(this.functab + 8 * this.nfunc)
    )
      return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.entryOf(mid) <= pc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private varint(at: number): [value: number, next: number] {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = this.bytes[at++];
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return [v, at];
      shift += 7;
      if (shift > 35) return [v, at];
    }
  }

  /** The value of the pc-value table at `tableOff` (0: none) for `pc` in a function starting at `entry`; -1 when absent. */
  private pcValue(tableOff: number, entry: number, pc: number): number {
    if (tableOff === 0) return -1;
    let at = this.pctab + tableOff;
    let value = -1;
    let cur = entry;
    for (let first = true; at < this.bytes.length; first = false) {
      let delta: number;
      [delta, at] = this.varint(at);
      if (delta === 0 && !first) return -1;
      value += delta & 1 ? -((delta + 1) / 2) : delta / 2;
      let pcDelta: number;
      [pcDelta, at] = this.varint(at);
      cur += pcDelta * this.quantum;
      if (pc < cur) return value;
    }
    return -1;
  }

  private fileName(rec: number, fileNo: number): string {
    if (fileNo < 0) return '?';
    const off = this.u32(this.cutab + 4 * (this.u32(rec + 32) + fileNo));
    return off === 0xffffffff ? '?' : cString(this.bytes, this.filetab + off, this.decoder);
  }

  /**
   * The frames at `pc`, innermost first: each inlined call, then the function the code is in,
   * with the file and line of each (the call site's for the outer ones). Empty when no function
   * holds `pc`.
   */
  frames(pc: number): GoFrame[] {
    const i = this.funcAt(pc);
    if (i < 0) return [];
    const rec = this.funcRecord(i);
    const entry = this.entryOf(i);
    const npcdata = this.u32(rec + 28);
    const nfuncdata = this.bytes[rec + 43];
    const pcfile = this.u32(rec + 20);
    const pcln = this.u32(rec + 24);
    const at = (p: number): { file: string; line: number } => ({
      file: this.fileName(rec, this.pcValue(pcfile, entry, p)),
      line: this.pcValue(pcln, entry, p),
    });
    const out: GoFrame[] = [];
    const inlIndexTable =
      npcdata > PCDATA_INL_TREE_INDEX ? this.u32(rec + 44 + 4 * PCDATA_INL_TREE_INDEX) : 0;
    const inlTreeOff =
      nfuncdata > FUNCDATA_INL_TREE
        ? this.u32(rec + 44 + 4 * npcdata + 4 * FUNCDATA_INL_TREE)
        : 0xffffffff;
    const tree =
      inlIndexTable !== 0 && inlTreeOff !== 0xffffffff && this.gofunc >= 0
        ? this.fileOffset(this.gofunc + inlTreeOff)
        : -1;
    let p = pc;
    if (tree >= 0) {
      // Each inlined call at p names the callee; its caller's position is at the call's parentPc.
      for (
        let ix = this.pcValue(inlIndexTable, entry, p), guard = 0;
        ix >= 0 && guard < 1000;
        guard++
      ) {
        const call = tree + ix * INLINED_CALL_SIZE;
        if (call + INLINED_CALL_SIZE > this.bytes.length) break;
        out.push({
          name: goPrintName(this.funcName(this.i32(call + 4))),
          ...at(p),
          startLine: this.i32(call + 12),
        });
        p = entry + this.i32(call + 8);
        ix = this.pcValue(inlIndexTable, entry, p);
      }
    }
    out.push({
      name: goPrintName(this.funcName(this.i32(rec + 4))),
      ...at(p),
      startLine: this.i32(rec + 36),
    });
    return out;
  }
}

/** The function table of the ELF binary `bytes`; throws GoTableError saying why there is none it reads (damage included). */
export function readGoFunctionTable(bytes: Uint8Array): GoFunctionTable {
  try {
    return new GoFunctionTable(bytes);
  } catch (e) {
    if (e instanceof GoTableError) throw e;
    throw new GoTableError(`the binary is cut off or damaged (${(e as Error).message})`);
  }
}
