// Running processes on Linux (from /proc), with whether each is a Go program, for picking one to
// record with perf.
import { open, readdir, readFile, readlink } from 'node:fs/promises';

export interface ProcessInfo {
  pid: number;
  name: string;
  cmdline: string;
  exe: string;
  isGo: boolean;
}

/**
 * Whether the ELF file at `path` is a Go binary: it has a `.go.buildinfo` or `.gopclntab` section
 * (read from the section headers, a few KB, not the whole binary).
 */
export async function isGoBinary(path: string): Promise<boolean> {
  let f;
  try {
    f = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(64);
    await f.read(head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return false; // ELF64, little-endian
    const shoff = Number(head.readBigUInt64LE(0x28));
    const shentsize = head.readUInt16LE(0x3a);
    const shnum = head.readUInt16LE(0x3c);
    const shstrndx = head.readUInt16LE(0x3e);
    if (shnum === 0 || shnum > 4096 || shstrndx >= shnum) return false;
    const table = Buffer.alloc(shentsize * shnum);
    await f.read(table, 0, table.length, shoff);
    const strOff = Number(table.readBigUInt64LE(shstrndx * shentsize + 0x18));
    const strSize = Math.min(Number(table.readBigUInt64LE(shstrndx * shentsize + 0x20)), 1 << 16);
    const names = Buffer.alloc(strSize);
    await f.read(names, 0, strSize, strOff);
    const text = names.toString('latin1');
    return text.includes('.go.buildinfo') || text.includes('.gopclntab');
  } catch {
    return false;
  } finally {
    await f.close();
  }
}

/** Every process this user can see, Go programs first, then by name. */
export async function listProcesses(excludePids: number[] = []): Promise<ProcessInfo[]> {
  const out: ProcessInfo[] = [];
  const goCache = new Map<string, Promise<boolean>>();
  const entries = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  await Promise.all(
    entries.map(async (entry) => {
      const pid = Number(entry);
      if (excludePids.includes(pid)) return;
      try {
        const [name, rawCmd] = await Promise.all([
          readFile(`/proc/${pid}/comm`, 'utf8'),
          readFile(`/proc/${pid}/cmdline`, 'utf8'),
        ]);
        if (rawCmd === '') return; // kernel threads
        const exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
        let go = goCache.get(exe);
        if (!go)
          goCache.set(exe, (go = exe ? isGoBinary(`/proc/${pid}/exe`) : Promise.resolve(false)));
        out.push({
          pid,
          name: name.trim(),
          cmdline: rawCmd
            .split('\0')
            .filter((x) => x)
            .join(' '),
          exe,
          isGo: await go,
        });
      } catch {
        // Gone, or not ours to read.
      }
    }),
  );
  return out.sort(
    (a, b) => Number(b.isGo) - Number(a.isGo) || a.name.localeCompare(b.name) || a.pid - b.pid,
  );
}
