// "Profile a test", without VS Code: finding `func TestXxx(t *testing.T)` and
// `func BenchmarkXxx(b *testing.B)` in a _test.go file, and the `go test` command line that
// profiles one of them.
import type { CaptureKind } from '../core/collect/capture-name';

/** What a test can be profiled for. Mutex and block only make sense with a benchmark's load. */
export type TestProfileKind = 'cpu' | 'memory' | 'trace' | 'mutex' | 'block';

export interface TestFunction {
  name: string;
  /** 0-based line of the `func` keyword. */
  line: number;
  benchmark: boolean;
}

// As `go test` decides (go/doc's isTest): the prefix, then the end of the name or a character
// that is not a lower-case letter ("Testing" is not a test); the parameter's type fixes T or B.
const FUNC = /^func\s+((Test|Benchmark)(?:[^\p{Ll}\s(]\w*)?)\s*\(\s*\w+\s+\*testing\.([TB])\s*\)/u;

/** The tests and benchmarks declared in a _test.go file's text, in file order. */
export function findTestFunctions(text: string): TestFunction[] {
  const out: TestFunction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('func')) continue;
    const m = FUNC.exec(lines[i]);
    if (!m) continue;
    const benchmark = m[2] === 'Benchmark';
    if ((benchmark ? 'B' : 'T') !== m[3]) continue;
    out.push({ name: m[1], line: i, benchmark });
  }
  return out;
}

const FLAGS: Record<TestProfileKind, string> = {
  cpu: '-cpuprofile',
  memory: '-memprofile',
  trace: '-trace',
  mutex: '-mutexprofile',
  block: '-blockprofile',
};

/** The capture kind (file name prefix, viewer) of what `go test` writes for a profile kind. */
export function captureKindOf(kind: TestProfileKind): CaptureKind {
  // testing's -memprofile writes runtime/pprof's "allocs" profile (every sampled allocation
  // since the start, with in-use figures too).
  return kind === 'memory' ? 'allocs' : kind;
}

export const TEST_PROFILE_TITLES: Record<TestProfileKind, string> = {
  cpu: 'CPU profile',
  memory: 'memory profile',
  trace: 'execution trace',
  mutex: 'mutex profile',
  block: 'block profile',
};

/**
 * `go test` arguments (after the binary) that run just `fn` in the package of the working
 * directory and write `outFile`:
 *  - a test runs alone (`-run '^TestXxx$'`); a benchmark runs with no tests (`-run '^$'`);
 *  - `-count=1`, so a cached result cannot skip the run and leave no profile;
 *  - `-o binFile`: with a profile flag go test otherwise leaves `<pkg>.test` in the package
 *    directory, among the user's sources.
 * -mutexprofile and -blockprofile turn their profiling on for the run (fraction / rate 1).
 */
export function goTestArgs(fn: Pick<TestFunction, 'name' | 'benchmark'>, kind: TestProfileKind, outFile: string, binFile: string): string[] {
  const select = fn.benchmark ? ['-run', '^$', '-bench', `^${fn.name}$`, '-benchmem'] : ['-run', `^${fn.name}$`];
  return ['test', ...select, '-count=1', '-o', binFile, FLAGS[kind], outFile, '.'];
}

/** A shell-readable command line, for the output channel and the capture's sidecar. */
export function commandLine(binary: string, args: readonly string[]): string {
  return [binary, ...args].map((a) => (/^[\w./=:@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The captures-folder name of a package's profiled tests: `go-test_<package dir>`. */
export function testSlug(packageLabel: string): string {
  return 'go-test_' + (packageLabel.replace(/[^a-zA-Z0-9.-]+/g, '_').replace(/^_+|_+$/g, '') || 'package');
}
