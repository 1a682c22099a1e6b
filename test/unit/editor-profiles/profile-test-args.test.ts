// "Profile a test": which functions get lenses, and the exact go test command line — checked
// against a real `go test` run that must write the profile and leave the package clean.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incompatibility } from '../../../src/commands/compare-check';
import { captureKindOf, commandLine, findTestFunctions, goTestArgs, testSlug } from '../../../src/commands/profile-test-args';

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

describe('go test arguments', () => {
  it('runs one test alone with the profile flag, the binary out of the package', () => {
    expect(goTestArgs({ name: 'TestCountPrimes', benchmark: false }, 'cpu', '/c/cpu.pb.gz', '/tmp/x/pkg.test')).toEqual([
      'test', '-run', '^TestCountPrimes$', '-count=1', '-o', '/tmp/x/pkg.test', '-cpuprofile', '/c/cpu.pb.gz', '.',
    ]);
    expect(goTestArgs({ name: 'TestA', benchmark: false }, 'memory', 'm', 'b')).toContain('-memprofile');
    expect(goTestArgs({ name: 'TestA', benchmark: false }, 'trace', 't', 'b')).toContain('-trace');
  });

  it('runs one benchmark and no tests, with allocation counts', () => {
    expect(goTestArgs({ name: 'BenchmarkCountPrimes', benchmark: true }, 'mutex', '/c/m.pb.gz', '/b')).toEqual([
      'test', '-run', '^$', '-bench', '^BenchmarkCountPrimes$', '-benchmem', '-count=1', '-o', '/b', '-mutexprofile', '/c/m.pb.gz', '.',
    ]);
    expect(goTestArgs({ name: 'BenchmarkX', benchmark: true }, 'block', 'o', 'b')).toContain('-blockprofile');
  });

  it('names captures by what go test writes, and quotes the command line for people', () => {
    expect(['cpu', 'memory', 'trace', 'mutex', 'block'].map((k) => captureKindOf(k as never))).toEqual(['cpu', 'allocs', 'trace', 'mutex', 'block']);
    expect(testSlug('demo/internal/x y')).toBe('go-test_demo_internal_x_y');
    expect(commandLine('go', ['test', '-run', '^TestA$', '.'])).toBe("go test -run '^TestA$' .");
  });

  it('is a command line go test accepts: a failing test still writes its profile, the package stays clean', { timeout: 120_000 }, () => {
    const pkg = mkdtempSync(join(tmpdir(), 'golens-ptest-'));
    const out = mkdtempSync(join(tmpdir(), 'golens-ptest-out-'));
    try {
      writeFileSync(join(pkg, 'go.mod'), 'module example.com/ptest\n\ngo 1.21\n');
      writeFileSync(
        join(pkg, 'x_test.go'),
        'package ptest\n\nimport "testing"\n\nfunc spin() int { s := 0; for i := 0; i < 3e7; i++ { s += i % 7 }; return s }\n\n' +
          'func TestFails(t *testing.T) { if spin() >= 0 { t.Fatal("boom") } }\n\nfunc BenchmarkSpin(b *testing.B) { for i := 0; i < b.N; i++ { spin() } }\n',
      );
      const run = (args: string[]) => {
        try {
          execFileSync('go', args, { cwd: pkg, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' }, stdio: 'pipe' });
          return 0;
        } catch (err) {
          return (err as { status: number }).status;
        }
      };
      const fns = findTestFunctions(readFileSync(join(pkg, 'x_test.go'), 'utf8'));
      const failing = fns.find((f) => f.name === 'TestFails')!;
      expect(run(goTestArgs(failing, 'cpu', join(out, 'cpu.pb.gz'), join(out, 'bin', 'pkg.test')))).toBe(1);
      expect(statSync(join(out, 'cpu.pb.gz')).size).toBeGreaterThan(0);
      const bench = fns.find((f) => f.name === 'BenchmarkSpin')!;
      expect(run([...goTestArgs(bench, 'block', join(out, 'block.pb.gz'), join(out, 'bin', 'pkg.test')).slice(0, -1), '-benchtime=1x', '.'])).toBe(0);
      expect(existsSync(join(out, 'block.pb.gz'))).toBe(true);
      // No ptest.test binary or profile left among the sources.
      expect(readdirSync(pkg).sort()).toEqual(['go.mod', 'x_test.go']);
    } finally {
      rmSync(pkg, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('comparing two profiles', () => {
  const cpu = { kind: 'cpu', sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }] };
  const heap = { kind: 'heap', sampleTypes: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'].map((s) => ({ type: s.split('/')[0], unit: s.split('/')[1] })) };
  const contention = { kind: 'contention', sampleTypes: [{ type: 'contentions', unit: 'count' }, { type: 'delay', unit: 'nanoseconds' }] };

  it('accepts two profiles of one kind', () => {
    expect(incompatibility({ name: 'a', profile: cpu, captureKind: 'cpu' }, { name: 'b', profile: cpu })).toBeUndefined();
    // A heap capture against a go test -memprofile (allocs): the same data.
    expect(incompatibility({ name: 'a', profile: heap, captureKind: 'heap' }, { name: 'b', profile: heap, captureKind: 'allocs' })).toBeUndefined();
  });

  it('names both kinds and their sample types when they differ', () => {
    expect(incompatibility({ name: 'heap-1.pb.gz', profile: heap, captureKind: 'heap' }, { name: 'cpu-2.pb.gz', profile: cpu, captureKind: 'cpu' })).toBe(
      'Go Lens cannot compare these profiles: the base heap-1.pb.gz is a heap profile (alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes) ' +
        'and cpu-2.pb.gz is a CPU profile (samples/count, cpu/nanoseconds). Compare two profiles of the same kind, e.g. two CPU profiles of one service.',
    );
    // Mutex and block profiles share their sample types: the capture kind tells them apart.
    expect(incompatibility({ name: 'm', profile: contention, captureKind: 'mutex' }, { name: 'b', profile: contention, captureKind: 'block' })).toMatch(/is a mutex profile .* is a block profile/);
    // Files from elsewhere: the worker's kind names them.
    expect(incompatibility({ name: 'x', profile: { ...cpu, kind: 'a CPU profile' } }, { name: 'y', profile: { ...heap, kind: 'a heap/allocs profile' } })).toMatch(/the base x is a CPU profile \(samples\/count, cpu\/nanoseconds\) and y is a heap\/allocs profile/);
  });
});
