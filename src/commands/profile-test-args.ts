// "Profile a test", without VS Code: finding `func TestXxx(t *testing.T)` and
// `func BenchmarkXxx(b *testing.B)` in a _test.go file, and the `go test` command line that
// profiles one of them (as the test binary's own flags).
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
  cpu: '-test.cpuprofile',
  memory: '-test.memprofile',
  trace: '-test.trace',
  mutex: '-test.mutexprofile',
  block: '-test.blockprofile',
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
 * Test binary arguments (the binary `go test -c` built, run in the package directory) that run
 * just `fn` and write `outFile`, as `go test` passes them on:
 *  - a test runs alone (`-test.run '^TestXxx$'`); a benchmark runs with no tests
 *    (`-test.run '^$'`) and its allocation counts;
 *  - -test.mutexprofile and -test.blockprofile turn their profiling on for the run (the testing
 *    package's fraction / rate default to 1).
 */
export function testBinaryArgs(
  fn: Pick<TestFunction, 'name' | 'benchmark'>,
  kind: TestProfileKind,
  outFile: string,
): string[] {
  const select = fn.benchmark
    ? ['-test.run', '^$', '-test.bench', `^${fn.name}$`, '-test.benchmem']
    : ['-test.run', `^${fn.name}$`];
  return [...select, `${FLAGS[kind]}=${outFile}`];
}

/** The captures-folder name of a package's profiled tests: `go-test_<package dir>`. */
export function testSlug(packageLabel: string): string {
  return (
    'go-test_' +
    (packageLabel.replace(/[^a-zA-Z0-9.-]+/g, '_').replace(/^_+|_+$/g, '') || 'package')
  );
}
