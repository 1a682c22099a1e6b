import { hasOnlyKeys, isIndex, isRecord, isShortString } from './validate';

/** A place in source code as a profile or trace recorded it; the host resolves it to a file. */
export interface SourceLocation {
  /** Function name, e.g. `main.countPrimes`. Shown when the file cannot be found. */
  func: string;
  /** File as the Go toolchain recorded it: absolute, or module-relative under -trimpath. */
  file: string;
  /** 1-based line; 0 when unknown (the file opens at its top). */
  line: number;
}

/** Validates a SourceLocation coming from a webview. */
export function isSourceLocation(v: unknown): v is SourceLocation {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ['func', 'file', 'line']) &&
    isShortString(v.func) &&
    isShortString(v.file) &&
    v.file.length > 0 &&
    isIndex(v.line, 10_000_000)
  );
}
