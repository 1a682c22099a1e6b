// Checks a core dump and its executable before Delve reads them, so each common mistake gets
// its own message instead of Delve's: a file that is not a core, a core cut short, a core of
// another program, a stripped or non-Go executable. Reads only headers, notes and a few pages.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { CoreDumpError } from '../../core/delve/errors';
import { formatCount, formatPercent } from '../../core/format/units';
import {
  coreLayout,
  ET_CORE,
  findGoBuildIdNote,
  goBuildIdFromNotes,
  goVersionFromBuildInfo,
  isElf,
  readCoreNotes,
  readElfHeader,
  readNotes,
  readProgramHeaders,
  readSectionHeaders,
  type CoreNotes,
} from '../../core/elf/elf';

async function readAt(f: FileHandle, offset: number, size: number): Promise<Uint8Array> {
  const buf = new Uint8Array(size);
  const { bytesRead } = await f.read(buf, 0, size, offset);
  return buf.subarray(0, bytesRead);
}

export interface CoreFileInfo {
  size: number;
  notes: CoreNotes;
  /** The executable's path as the kernel recorded its mapping ('' when not recorded). */
  executablePath: string;
  /** The Go build ID read from the executable's first page in the core's memory ('' when absent). */
  goBuildId: string;
}

export interface ExecutableInfo {
  goVersion: string;
  goBuildId: string;
  isGo: boolean;
  hasDebugInfo: boolean;
}

/** Bounds what the checks read: notes of a process with thousands of threads stay under a few MB. */
const MAX_NOTES = 64 << 20;

async function openFile(path: string, what: string): Promise<FileHandle> {
  try {
    const s = await stat(path);
    if (s.isDirectory())
      throw new CoreDumpError('not-found', `${path} is a directory, not ${what}`);
    return await open(path, 'r');
  } catch (e) {
    if (e instanceof CoreDumpError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CoreDumpError('not-found', `${path}: no such file`);
    throw new CoreDumpError('not-found', `cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Reads a core dump's notes and checks it is a whole ELF core. */
export async function inspectCore(path: string): Promise<CoreFileInfo> {
  const f = await openFile(path, 'a core dump');
  try {
    const size = (await f.stat()).size;
    const head = await readAt(f, 0, 64);
    if (!isElf(head)) {
      throw new CoreDumpError(
        'not-core',
        `${basename(path)} is not a core dump (not an ELF file). A core is written by the kernel when a program crashes (GOTRACEBACK=crash and ulimit -c unlimited) or by Delve's dump command`,
      );
    }
    const header = readElfHeader(head);
    if (header.type !== ET_CORE) {
      const kind =
        header.type === 2 || header.type === 3
          ? 'an executable or shared library'
          : `an ELF file of type ${header.type}`;
      throw new CoreDumpError(
        'not-core',
        `${basename(path)} is ${kind}, not a core dump. Pick the core file (often named core or core.<pid>) and then its executable`,
      );
    }
    const phdrs = readProgramHeaders(
      header,
      await readAt(f, header.phoff, header.phnum * header.phentsize),
    );
    const layout = coreLayout(phdrs);
    if (size < layout.requiredSize) {
      throw new CoreDumpError(
        'truncated',
        `${basename(path)} is cut short: ${formatCount(size)} of ${formatCount(layout.requiredSize)} bytes (${formatPercent(size, layout.requiredSize)}). The core size limit (ulimit -c) or a full disk stopped it; set ulimit -c unlimited and capture again`,
      );
    }
    const noteBytes: Uint8Array[] = [];
    let total = 0;
    for (const n of layout.notes) {
      if (total + n.filesz > MAX_NOTES) break;
      noteBytes.push(await readAt(f, n.offset, n.filesz));
      total += n.filesz;
    }
    const notes = readCoreNotes(noteBytes.flatMap((b) => readNotes(b)));
    // The executable: the first file mapped from offset 0 (the kernel lists mappings by address;
    // the program's own text comes before the heap, libraries and the stack).
    const exe = notes.mappings.find((m) => m.offset === 0);
    let goBuildId = '';
    if (exe) {
      const seg = layout.loads.find((l) => l.vaddr === exe.start && l.filesz > 0);
      if (seg)
        goBuildId = findGoBuildIdNote(await readAt(f, seg.offset, Math.min(seg.filesz, 8192)));
    }
    return { size, notes, executablePath: exe?.path ?? '', goBuildId };
  } finally {
    await f.close();
  }
}

/** Reads an executable's Go build info, build ID and whether it has DWARF. */
export async function inspectExecutable(path: string): Promise<ExecutableInfo> {
  const f = await openFile(path, 'an executable');
  try {
    const head = await readAt(f, 0, 64);
    if (!isElf(head))
      throw new CoreDumpError(
        'not-go',
        `${basename(path)} is not an executable (not an ELF file). Pick the program that wrote the core`,
      );
    const header = readElfHeader(head);
    if (header.type === ET_CORE)
      throw new CoreDumpError(
        'not-go',
        `${basename(path)} is itself a core dump; pick the program's executable as the second file`,
      );
    const table = await readAt(f, header.shoff, header.shnum * header.shentsize);
    const unnamed = readSectionHeaders(header, table, () => new Uint8Array(0));
    const shstr = unnamed[header.shstrndx];
    const strtab = shstr
      ? await readAt(f, shstr.offset, Math.min(shstr.size, 1 << 20))
      : new Uint8Array(0);
    const named = readSectionHeaders(header, table, () => strtab);
    const byName = (n: string) => named.find((s) => s.name === n);
    const buildInfo = byName('.go.buildinfo');
    const goVersion = buildInfo
      ? goVersionFromBuildInfo(await readAt(f, buildInfo.offset, Math.min(buildInfo.size, 512)))
      : '';
    const idSection = byName('.note.go.buildid');
    const goBuildId = idSection
      ? goBuildIdFromNotes(
          readNotes(await readAt(f, idSection.offset, Math.min(idSection.size, 4096))),
        )
      : '';
    return {
      goVersion,
      goBuildId,
      isGo: buildInfo !== undefined || byName('.gopclntab') !== undefined,
      hasDebugInfo: named.some((s) => s.name === '.debug_info' || s.name === '.zdebug_info'),
    };
  } finally {
    await f.close();
  }
}

/**
 * Checks that `exe` is the Go program `core` is a core of, with debug info; throws the
 * CoreDumpError that names the mismatch.
 */
export async function checkCoreAndExecutable(
  executable: string,
  core: string,
): Promise<{ core: CoreFileInfo; exe: ExecutableInfo }> {
  const coreInfo = await inspectCore(core);
  const exe = await inspectExecutable(executable);
  const recorded = coreInfo.executablePath || coreInfo.notes.fileName;
  if (!exe.isGo) {
    throw new CoreDumpError(
      'not-go',
      `${basename(executable)} is not a Go program (it has no Go build info), so Go Lens cannot list goroutines from its core${recorded ? ` (the core is of ${recorded})` : ''}. Use gdb for cores of C/C++ programs`,
    );
  }
  const otherName =
    recorded && basename(recorded).slice(0, 15) !== basename(executable).slice(0, 15);
  if (
    (coreInfo.goBuildId && exe.goBuildId && coreInfo.goBuildId !== exe.goBuildId) ||
    (!coreInfo.goBuildId && otherName)
  ) {
    throw new CoreDumpError(
      'other-executable',
      `${basename(core)} is a core of ${recorded || 'another program'}${coreInfo.notes.pid ? ` (pid ${coreInfo.notes.pid})` : ''}, not of ${executable}${coreInfo.goBuildId ? ' (their Go build IDs differ)' : ''}. Pick the exact binary that crashed (the same build), not a rebuilt one`,
    );
  }
  if (!exe.hasDebugInfo) {
    throw new CoreDumpError(
      'stripped',
      `${basename(executable)} has no debug information (built with -ldflags="-s -w"), and Delve needs it to find goroutines and frames. Rebuild it without -s -w from the same source and Go version — the build ID must match — or keep an unstripped copy of each release`,
    );
  }
  return { core: coreInfo, exe };
}
