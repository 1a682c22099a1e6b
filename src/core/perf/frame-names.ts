// How perf's frames are named and marked in the profile model, so a perf profile and a pprof
// profile of the same Go program compare frame by frame, and the flame graph can colour kernel
// and native frames apart from Go ones.
//
// Marking: a function's file name in brackets is not a source file but the object it came from.
// `[kernel.kallsyms]` (perf's own name for the kernel) marks kernel frames; any other bracketed
// name (`[/usr/lib/x86_64-linux-gnu/libc.so.6]`, `[unknown]`, `[jit]`) marks native frames.
// perf's srcline gives native frames a source file instead (`arena.c`): C, C++, Rust and gas
// (`.S`) sources are native too. Go's own assembly (`asm_amd64.s`) is Go.

/** The file name given to kernel frames. */
export const KERNEL_FILE = '[kernel.kallsyms]';

/** What a frame is, for colouring. */
export type FrameKind = 'go' | 'kernel' | 'native';

const NATIVE_SOURCE = /\.(c|h|cc|cpp|cxx|c\+\+|hh|hpp|hxx|S|rs)$/;

/** Whether a function's file name is a source file, not an object file named in brackets. */
export function isSourceFile(file: string): boolean {
  return !(
    file.length >= 2 &&
    file.charCodeAt(0) === 0x5b /* [ */ &&
    file.charCodeAt(file.length - 1) === 0x5d /* ] */
  );
}

/** The kind of a frame from its function's file name (see the marking rule above). */
export function frameKindOfFile(file: string): FrameKind {
  if (isSourceFile(file)) return NATIVE_SOURCE.test(file) ? 'native' : 'go';
  return file === KERNEL_FILE || file.startsWith('[kernel.') ? 'kernel' : 'native';
}

/** The file name marking a native frame of object file `dso`. */
export function nativeFile(dso: string): string {
  if (dso === '') return '[unknown]';
  return dso.startsWith('[') && dso.endsWith(']') ? dso : `[${dso}]`;
}

/** True for perf's names of kernel objects: `[kernel.kallsyms]`, `[kernel.vmlinux]`, kernel modules are `[name]` at kernel addresses. */
export function isKernelDso(dso: string): boolean {
  return dso.startsWith('[kernel.') || dso === 'vmlinux' || dso.endsWith('/vmlinux');
}

// Suffixes gcc and clang give to clones of C functions: `foo.constprop.0`, `bar.part.1`, `baz.cold`.
const C_CLONE = /\.(constprop|part|isra|cold|lto_priv|localalias)(\.|$)/;

/**
 * Whether `sym` looks like a Go symbol (`main.foo`, `net/http.(*Client).Do`, `pkg.F[...]`,
 * `main.main.func1`): a package path, a dot, a name; no C++ `::`, no spaces, not `_`-prefixed
 * (`_cgo_*`, `__libc_start_main`), no compiler clone suffix or `@plt`.
 */
export function looksLikeGoSymbol(sym: string): boolean {
  if (sym.length < 3 || sym.charCodeAt(0) === 0x5f /* _ */ || sym.charCodeAt(0) === 0x5b /* [ */)
    return false;
  const dot = sym.indexOf('.');
  if (dot <= 0 || dot === sym.length - 1) return false;
  if (sym.includes('::') || sym.includes(' ') || sym.includes('@') || C_CLONE.test(sym))
    return false;
  return /^[\w./~-]+$/.test(sym.slice(0, dot));
}

/**
 * The name pprof gives a Go function whose ELF symbol perf printed: the symbol table names
 * assembly functions with their ABI (`runtime.goexit.abi0`, `runtime.mcall`), while the runtime's
 * function table (which pprof reads) does not.
 */
export function goFunctionName(sym: string): string {
  return sym.endsWith('.abi0')
    ? sym.slice(0, -5)
    : sym.endsWith('.abiinternal')
      ? sym.slice(0, -12)
      : sym;
}

/** The last path element of an object file name, as stackcollapse-perf names its unknown frames. */
export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}
