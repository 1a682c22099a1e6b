// Just enough ELF to check a core dump and an executable before Delve is asked to read them:
// the file header, program headers (a core's memory and notes), section headers (an
// executable's Go build info and debug info), and the notes Linux writes into a core
// (NT_PRSTATUS, NT_PRPSINFO, NT_SIGINFO, NT_FILE). ELF64 little-endian only: the only cores
// Delve reads (linux/amd64, arm64, ppc64le, riscv64, loong64).

export class ElfError extends Error {
  override name = 'ElfError';
}

export interface ElfHeader {
  /** ET_EXEC 2, ET_DYN 3, ET_CORE 4. */
  type: number;
  machine: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  shoff: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export const ET_CORE = 4;
const PT_LOAD = 1;
const PT_NOTE = 4;

/** Reads a uint64 that fits a double (file offsets and addresses below 2^53). */
function u64(v: DataView, at: number): number {
  return Number(v.getBigUint64(at, true));
}

/** True when `bytes` start with the ELF magic. */
export function isElf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x7f &&
    bytes[1] === 0x45 &&
    bytes[2] === 0x4c &&
    bytes[3] === 0x46
  );
}

/** The ELF header from the first 64 bytes of a file. */
export function readElfHeader(bytes: Uint8Array): ElfHeader {
  if (!isElf(bytes)) throw new ElfError('not an ELF file');
  if (bytes.length < 64) throw new ElfError('the ELF header is cut short');
  if (bytes[4] !== 2) throw new ElfError('a 32-bit ELF file (Delve reads 64-bit cores only)');
  if (bytes[5] !== 1)
    throw new ElfError('a big-endian ELF file (Delve reads little-endian cores only)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    type: v.getUint16(16, true),
    machine: v.getUint16(18, true),
    entry: u64(v, 24),
    phoff: u64(v, 32),
    shoff: u64(v, 40),
    phentsize: v.getUint16(54, true),
    phnum: v.getUint16(56, true),
    shentsize: v.getUint16(58, true),
    shnum: v.getUint16(60, true),
    shstrndx: v.getUint16(62, true),
  };
}

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

/** Program headers from the bytes at `header.phoff` (`phnum * phentsize` of them). */
export function readProgramHeaders(header: ElfHeader, bytes: Uint8Array): ProgramHeader[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: ProgramHeader[] = [];
  for (let i = 0; i < header.phnum; i++) {
    const at = i * header.phentsize;
    if (at + 56 > bytes.length) throw new ElfError('the program headers are cut short');
    out.push({
      type: v.getUint32(at, true),
      offset: u64(v, at + 8),
      vaddr: u64(v, at + 16),
      filesz: u64(v, at + 32),
      memsz: u64(v, at + 40),
    });
  }
  return out;
}

export interface SectionHeader {
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
}

/** Section headers (at `header.shoff`) named from the section-name string table `shstrtab`. */
export function readSectionHeaders(
  header: ElfHeader,
  table: Uint8Array,
  readNames: (offset: number, size: number) => Uint8Array,
): SectionHeader[] {
  const v = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const raw: Omit<SectionHeader, 'name'>[] & { nameOff?: number }[] = [];
  const nameOffs: number[] = [];
  for (let i = 0; i < header.shnum; i++) {
    const at = i * header.shentsize;
    if (at + 64 > table.length) throw new ElfError('the section headers are cut short');
    nameOffs.push(v.getUint32(at, true));
    raw.push({
      type: v.getUint32(at + 4, true),
      addr: u64(v, at + 16),
      offset: u64(v, at + 24),
      size: u64(v, at + 32),
    });
  }
  const strtab =
    header.shstrndx < raw.length
      ? readNames(raw[header.shstrndx].offset, raw[header.shstrndx].size)
      : new Uint8Array();
  const dec = new TextDecoder();
  return raw.map((s, i) => {
    const start = nameOffs[i];
    let end = start;
    while (end < strtab.length && strtab[end] !== 0) end++;
    return { name: dec.decode(strtab.subarray(start, end)), ...s };
  });
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}

/** The notes of a PT_NOTE segment or SHT_NOTE section (4-byte aligned, as Linux writes them). */
export function readNotes(bytes: Uint8Array): ElfNote[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  const out: ElfNote[] = [];
  const align = (n: number) => (n + 3) & ~3;
  for (let at = 0; at + 12 <= bytes.length;) {
    const namesz = v.getUint32(at, true);
    const descsz = v.getUint32(at + 4, true);
    const type = v.getUint32(at + 8, true);
    const nameAt = at + 12;
    const descAt = nameAt + align(namesz);
    if (descAt + descsz > bytes.length) break;
    out.push({
      name: dec.decode(bytes.subarray(nameAt, nameAt + namesz)).replace(/\0+$/, ''),
      type,
      desc: bytes.subarray(descAt, descAt + descsz),
    });
    at = descAt + align(descsz);
  }
  return out;
}

/** What the kernel wrote about the process into a core's notes. */
export interface CoreNotes {
  pid: number;
  /** pr_fname: the executable's name, cut to 15 characters. */
  fileName: string;
  /** pr_psargs: the command line, cut to 80 characters. */
  commandLine: string;
  /** Threads (one NT_PRSTATUS each). */
  threads: number;
  /** The signal that ended the process (NT_SIGINFO, else pr_cursig of the first thread); 0 when none (a core written by a debugger). */
  signal: { number: number; code: number; addr: number };
  /** Files mapped into the process (NT_FILE), in address order. */
  mappings: { start: number; end: number; offset: number; path: string }[];
}

const NT_PRSTATUS = 1;
const NT_PRPSINFO = 3;
const NT_SIGINFO = 0x53494749;
const NT_FILE = 0x46494c45;

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end >= 0 ? bytes.subarray(0, end) : bytes);
}

/** Reads the process facts of a core's notes (linux x86-64/arm64 layouts). */
export function readCoreNotes(notes: readonly ElfNote[]): CoreNotes {
  const out: CoreNotes = {
    pid: 0,
    fileName: '',
    commandLine: '',
    threads: 0,
    signal: { number: 0, code: 0, addr: 0 },
    mappings: [],
  };
  let sawSiginfo = false;
  for (const n of notes) {
    const v = new DataView(n.desc.buffer, n.desc.byteOffset, n.desc.byteLength);
    if (n.name !== 'CORE') continue;
    if (n.type === NT_PRSTATUS && n.desc.length >= 40) {
      if (out.threads === 0) {
        out.pid = v.getUint32(32, true);
        if (!sawSiginfo) out.signal = { number: v.getUint16(12, true), code: 0, addr: 0 };
      }
      out.threads++;
    } else if (n.type === NT_PRPSINFO && n.desc.length >= 136) {
      out.fileName = cString(n.desc.subarray(40, 56));
      out.commandLine = cString(n.desc.subarray(56, 136)).trim();
    } else if (n.type === NT_SIGINFO && n.desc.length >= 24 && !sawSiginfo) {
      sawSiginfo = true;
      out.signal = { number: v.getInt32(0, true), code: v.getInt32(8, true), addr: u64(v, 16) };
    } else if (n.type === NT_FILE && n.desc.length >= 16) {
      const count = u64(v, 0);
      const pageSize = u64(v, 8);
      let names = 16 + count * 24;
      if (names > n.desc.length) continue;
      const dec = new TextDecoder();
      for (let i = 0; i < count; i++) {
        const end = n.desc.indexOf(0, names);
        const path = dec.decode(n.desc.subarray(names, end < 0 ? n.desc.length : end));
        names = end < 0 ? n.desc.length : end + 1;
        out.mappings.push({
          start: u64(v, 16 + i * 24),
          end: u64(v, 24 + i * 24),
          offset: u64(v, 32 + i * 24) * pageSize,
          path,
        });
      }
    }
  }
  return out;
}

/** Loadable segments and notes of a core, plus how long the file must be to hold them all. */
export function coreLayout(headers: readonly ProgramHeader[]): {
  notes: ProgramHeader[];
  loads: ProgramHeader[];
  requiredSize: number;
} {
  let requiredSize = 0;
  for (const h of headers) requiredSize = Math.max(requiredSize, h.offset + h.filesz);
  return {
    notes: headers.filter((h) => h.type === PT_NOTE),
    loads: headers.filter((h) => h.type === PT_LOAD),
    requiredSize,
  };
}

/** The Go build ID from a `.note.go.buildid` section or segment (note "Go", type 4), or ''. */
export function goBuildIdFromNotes(notes: readonly ElfNote[]): string {
  const n = notes.find((x) => x.name === 'Go' && x.type === 4);
  return n ? new TextDecoder().decode(n.desc) : '';
}

/**
 * Finds the Go build ID note in raw bytes (the first page of a mapped executable, as a core
 * holds it): `namesz=4, descsz, type=4, "Go\0\0"` followed by the ID.
 */
export function findGoBuildIdNote(bytes: Uint8Array): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 16 <= bytes.length; at += 4) {
    if (bytes[at + 12] !== 0x47 || bytes[at + 13] !== 0x6f || bytes[at + 14] !== 0) continue;
    if (v.getUint32(at, true) !== 4 || v.getUint32(at + 8, true) !== 4) continue;
    const size = v.getUint32(at + 4, true);
    if (size === 0 || size > 256 || at + 16 + size > bytes.length) continue;
    return new TextDecoder().decode(bytes.subarray(at + 16, at + 16 + size));
  }
  return '';
}

/**
 * The Go version (`go1.26.8`) from a `.go.buildinfo` section: `\xff Go buildinf:`, pointer
 * size, flags; since Go 1.18 (flag 2) the version follows inline as a varint-prefixed string.
 * '' for the older pointer form or anything else.
 */
export function goVersionFromBuildInfo(section: Uint8Array): string {
  const magic = '\xff Go buildinf:';
  for (let i = 0; i < magic.length; i++) if (section[i] !== magic.charCodeAt(i)) return '';
  if (section.length < 33 || (section[15] & 2) === 0) return '';
  let len = 0;
  let shift = 0;
  let at = 32;
  for (; at < section.length && at < 42; at++) {
    len |= (section[at] & 0x7f) << shift;
    shift += 7;
    if ((section[at] & 0x80) === 0) break;
  }
  at++;
  if (len <= 0 || len > 64 || at + len > section.length) return '';
  return new TextDecoder().decode(section.subarray(at, at + len));
}
