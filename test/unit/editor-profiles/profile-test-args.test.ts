// "Profile a test": which functions get lenses, and the exact test binary arguments — checked
// against a real run of the launcher's test build (`go test -c` through src/run/attach.ts) that
// must write the profile and leave the package clean.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incompatibility } from '../../../src/commands/compare-check';
import {
  captureKindOf,
  findTestFunctions,
  testBinaryArgs,
  testSlug,
} from '../../../src/commands/profile-test-args';
import { buildAttached } from '../../../src/run/attach';
import { quietSink } from '../run/support';

const SOURCE = `package demo

import "testing"

func TestCountPrimes(t *testing.T) {}
func TestX(t *testing.T) {}
func Test(t *testing.T) {}
func Test_under(t *testing.T) {}
func Testing(t *testing.T) {}
func TestWrongParam(b *testing.B) {}
func BenchmarkCountPrimes(b *testing.B) {}
func  BenchmarkSpaced( b  *testing.B ) {}
func BenchmarkWrong(t *testing.T) {}
func (s *suite) TestMethod(t *testing.T) {}
func helper(t *testing.T) {}
func FuzzParse(f *testing.F) {}
// func TestCommented(t *testing.T) {}
`;

describe('tests and benchmarks in a _test.go file', () => {
  it('finds what go test would run, by go test’s naming rule', () => {
    expect(findTestFunctions(SOURCE)).toEqual([
      { name: 'TestCountPrimes', line: 4, benchmark: false },
      { name: 'TestX', line: 5, benchmark: false },
      { name: 'Test', line: 6, benchmark: false },
      { name: 'Test_under', line: 7, benchmark: false },
      { name: 'BenchmarkCountPrimes', line: 10, benchmark: true },
      { name: 'BenchmarkSpaced', line: 11, benchmark: true },
    ]);
  });
});

describe('test binary arguments', () => {
  it('runs one test alone with the profile flag', () => {
    expect(
      testBinaryArgs({ name: 'TestCountPrimes', benchmark: false }, 'cpu', '/c/cpu.pb.gz'),
    ).toEqual(['-test.run', '^TestCountPrimes$', '-test.cpuprofile=/c/cpu.pb.gz']);
    expect(testBinaryArgs({ name: 'TestA', benchmark: false }, 'memory', 'm')).toContain(
      '-test.memprofile=m',
    );
    expect(testBinaryArgs({ name: 'TestA', benchmark: false }, 'trace', 't')).toContain(
      '-test.trace=t',
    );
  });

  it('runs one benchmark and no tests, with allocation counts', () => {
    expect(
      testBinaryArgs({ name: 'BenchmarkCountPrimes', benchmark: true }, 'mutex', '/c/m.pb.gz'),
    ).toEqual([
      '-test.run',
      '^$',
      '-test.bench',
      '^BenchmarkCountPrimes$',
      '-test.benchmem',
      '-test.mutexprofile=/c/m.pb.gz',
    ]);
    expect(testBinaryArgs({ name: 'BenchmarkX', benchmark: true }, 'block', 'o')).toContain(
      '-test.blockprofile=o',
    );
  });

  it('names captures by what the test writes', () => {
    expect(
      ['cpu', 'memory', 'trace', 'mutex', 'block'].map((k) => captureKindOf(k as never)),
    ).toEqual(['cpu', 'allocs', 'trace', 'mutex', 'block']);
    expect(testSlug('demo/internal/x y')).toBe('go-test_demo_internal_x_y');
  });

  it(
    'is what the launcher’s test binary accepts: a failing test still writes its profile, the package stays clean',
    { timeout: 120_000 },
    async () => {
      const pkg = mkdtempSync(join(tmpdir(), 'golens-ptest-'));
      const out = mkdtempSync(join(tmpdir(), 'golens-ptest-out-'));
      try {
        writeFileSync(join(pkg, 'go.mod'), 'module example.com/ptest\n\ngo 1.21\n');
        writeFileSync(
          join(pkg, 'x_test.go'),
          'package ptest\n\nimport "testing"\n\nfunc spin() int { s := 0; for i := 0; i < 3e7; i++ { s += i % 7 }; return s }\n\n' +
            'func TestFails(t *testing.T) { if spin() >= 0 { t.Fatal("boom") } }\n\nfunc BenchmarkSpin(b *testing.B) { for i := 0; i < b.N; i++ { spin() } }\n',
        );
        const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' };
        // The launcher's build of a test target, without the overlay (Profile Test's mode).
        const binary = join(out, 'bin', 'ptest.test');
        const b = await buildAttached({
          go: { binary: 'go', env },
          dir: pkg,
          output: binary,
          test: true,
          attach: false,
          sink: quietSink,
        });
        expect(b.built).toBe(true);
        const run = (args: string[]) => {
          try {
            execFileSync(binary, ['-test.v', ...args], { cwd: pkg, env, stdio: 'pipe' });
            return 0;
          } catch (err) {
            return (err as { status: number }).status;
          }
        };
        const fns = findTestFunctions(readFileSync(join(pkg, 'x_test.go'), 'utf8'));
        const failing = fns.find((f) => f.name === 'TestFails')!;
        expect(run(testBinaryArgs(failing, 'cpu', join(out, 'cpu.pb.gz')))).toBe(1);
        expect(statSync(join(out, 'cpu.pb.gz')).size).toBeGreaterThan(0);
        const bench = fns.find((f) => f.name === 'BenchmarkSpin')!;
        expect(
          run([...testBinaryArgs(bench, 'block', join(out, 'block.pb.gz')), '-test.benchtime=1x']),
        ).toBe(0);
        expect(existsSync(join(out, 'block.pb.gz'))).toBe(true);
        // Both are profiles go tool pprof reads.
        for (const f of ['cpu.pb.gz', 'block.pb.gz'])
          expect(
            execFileSync('go', ['tool', 'pprof', '-raw', join(out, f)], {
              env,
              stdio: 'pipe',
            }).toString(),
          ).toMatch(/PeriodType|Samples/);
        // No ptest.test binary or profile left among the sources.
        expect(readdirSync(pkg).sort()).toEqual(['go.mod', 'x_test.go']);
      } finally {
        rmSync(pkg, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});

describe('comparing two profiles', () => {
  const cpu = {
    kind: 'cpu',
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
  };
  const heap = {
    kind: 'heap',
    sampleTypes: [
      'alloc_objects/count',
      'alloc_space/bytes',
      'inuse_objects/count',
      'inuse_space/bytes',
    ].map((s) => ({ type: s.split('/')[0], unit: s.split('/')[1] })),
  };
  const contention = {
    kind: 'contention',
    sampleTypes: [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
  };

  it('accepts two profiles of one kind', () => {
    expect(
      incompatibility({ name: 'a', profile: cpu, captureKind: 'cpu' }, { name: 'b', profile: cpu }),
    ).toBeUndefined();
    // A heap capture against a go test -memprofile (allocs): the same data.
    expect(
      incompatibility(
        { name: 'a', profile: heap, captureKind: 'heap' },
        { name: 'b', profile: heap, captureKind: 'allocs' },
      ),
    ).toBeUndefined();
  });

  it('names both kinds and their sample types when they differ', () => {
    expect(
      incompatibility(
        { name: 'heap-1.pb.gz', profile: heap, captureKind: 'heap' },
        { name: 'cpu-2.pb.gz', profile: cpu, captureKind: 'cpu' },
      ),
    ).toBe(
      'Go Lens cannot compare these profiles: the base heap-1.pb.gz is a heap profile (alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes) ' +
        'and cpu-2.pb.gz is a CPU profile (samples/count, cpu/nanoseconds). Compare two profiles of the same kind, e.g. two CPU profiles of one service.',
    );
    // Mutex and block profiles share their sample types: the capture kind tells them apart.
    expect(
      incompatibility(
        { name: 'm', profile: contention, captureKind: 'mutex' },
        { name: 'b', profile: contention, captureKind: 'block' },
      ),
    ).toMatch(/is a mutex profile .* is a block profile/);
    // Files from elsewhere: the worker's kind names them.
    expect(
      incompatibility(
        { name: 'x', profile: { ...cpu, kind: 'a CPU profile' } },
        { name: 'y', profile: { ...heap, kind: 'a heap/allocs profile' } },
      ),
    ).toMatch(
      /the base x is a CPU profile \(samples\/count, cpu\/nanoseconds\) and y is a heap\/allocs profile/,
    );
  });
});
