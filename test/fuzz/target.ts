// What a fuzz target is: one reader, run on one input, and what it may do. A new reader gets a
// target by adding one file to targets/ that default-exports a FuzzTarget (the engine and the
// tests find every file there).

export interface FuzzTarget {
  /** Short name: the folder of its findings (test/robustness/fuzz-findings/<name>) and of ../shared/fuzz-repro/<name>. */
  name: string;
  /**
   * Reads one input the way the CLI and the parse worker do. It may return anything or throw
   * the reader's own typed error; any other exception is a finding.
   */
  run(input: Uint8Array): unknown;
  /** True for the reader's own, user-facing error. */
  isTypedError(err: unknown): boolean;
  /**
   * Where seed inputs are: files or folders relative to the repository root (searched
   * recursively); `../shared/...` folders are used when present.
   */
  seeds: string[];
  /** Only seed files whose name matches (default: every file). */
  seedFilter?: RegExp;
  /** Longest input the mutator makes (default 64 KiB): shorter runs faster, so more inputs per second. */
  maxLen?: number;
  /** Byte strings the mutator inserts (keywords of the format), besides its generic mutations. */
  dictionary?: string[];
}

/**
 * The budget an input must stay in: under a second when it is under 1 MB (proportionally more
 * above), and memory held at the end of the run at most 50× the input plus a fixed floor.
 */
export function timeBudgetMs(inputBytes: number): number {
  return 1000 * Math.max(1, inputBytes / (1 << 20));
}

export const MEMORY_FLOOR_BYTES = 32 << 20;

export function memoryBudgetBytes(inputBytes: number): number {
  return MEMORY_FLOOR_BYTES + 50 * inputBytes;
}
