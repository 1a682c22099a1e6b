// The launcher's overlay against real Go programs that import nothing of pprof: built with
// `go build -overlay`, they serve every profile on a loopback port reported through a file; go
// tool pprof and go tool trace read what they serve; the user's files stay byte-identical.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAttached } from '../../../src/run/attach';
import { goEnv, goProgramsDir, goTool } from '../../support/go';
import { get, quietSink, startAttached, treeDigest, type AttachedRun } from './support';

const scratch = mkdtempSync(join(tmpdir(), 'golens-attach-files-'));
const runs: AttachedRun[] = [];
afterAll(async () => {
  await Promise.all(runs.map((r) => r.stop()));
});

async function started(...args: Parameters<typeof startAttached>): Promise<AttachedRun> {
  const r = await startAttached(...args);
  runs.push(r);
  return r;
}

describe('a program without pprof, run attached', () => {
  it('serves a CPU profile go tool pprof reads, and goroutine stacks, on 127.0.0.1; the tree is untouched', async () => {
    const dir = join(goProgramsDir, 'attach-cpu');
    const before = treeDigest(dir);
    const r = await started('attach-cpu', { args: ['30'] });
    expect(r.info?.addr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(r.info?.pid).toBe(r.run.pid);

    const cpu = await get(`${r.pprof}/profile?seconds=1`);
    expect(cpu.status).toBe(200);
    const file = join(scratch, 'cpu.pb.gz');
    writeFileSync(file, cpu.bytes);
    const top = await goTool('pprof', ['-top', file]);
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout).toContain('main.burnHashes');

    const dump = await get(`${r.pprof}/goroutine?debug=2`);
    expect(dump.status).toBe(200);
    expect(dump.bytes.toString()).toMatch(/goroutine 1 \[running|runnable\]|main\.main\(\)/);
    expect(dump.bytes.toString()).toContain('main.main()');

    const heap = await get(`${r.pprof}/heap?gc=1`);
    expect(heap.status).toBe(200);
    const heapFile = join(scratch, 'heap.pb.gz');
    writeFileSync(heapFile, heap.bytes);
    expect((await goTool('pprof', ['-top', heapFile])).code).toBe(0);

    const index = await get(`${r.pprof}/`);
    expect(index.bytes.toString()).toMatch(/\tgoroutine\n/);
    expect(treeDigest(dir)).toEqual(before);
  });

  it('serves an execution trace go tool trace parses', async () => {
    const r = await started('attach-cpu', { args: ['30'] });
    const trace = await get(`${r.pprof}/trace?seconds=1`);
    expect(trace.status).toBe(200);
    const file = join(scratch, 'exec.trace');
    writeFileSync(file, trace.bytes);
    const parsed = await goTool('trace', ['-d=parsed', file]);
    expect(parsed.code, parsed.stderr).toBe(0);
  });

  it('keeps a flight recorder (Go 1.25+) whose snapshot go tool trace parses', async () => {
    const r = await started('attach-cpu', {
      args: ['30'],
      flightRecorder: { minAgeMs: 2000, maxBytes: 0 },
    });
    expect(r.info?.flightRecorder).toBe(true);
    expect(r.flightRecorder).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/debug\/golens\/flightrecorder$/);
    await new Promise((res) => setTimeout(res, 1500));
    const snap = await get(r.flightRecorder!);
    expect(snap.status).toBe(200);
    const file = join(scratch, 'flight.trace');
    writeFileSync(file, snap.bytes);
    const parsed = await goTool('trace', ['-d=parsed', file]);
    expect(parsed.code, parsed.stderr).toBe(0);
    expect(parsed.stdout).toContain('main.burnHashes');
  });

  it('shows leaked goroutines in the goroutine dump', async () => {
    const r = await started('attach-leak');
    for (let i = 0; i < 100 && !r.stdout().includes('leaked 200'); i++)
      await new Promise((res) => setTimeout(res, 100));
    const dump = (await get(`${r.pprof}/goroutine?debug=2`)).bytes.toString();
    expect(dump.match(/^main\.waitForReply\(/gm)?.length).toBe(200);
  });

  it('reports a panic on stderr as usual and exits 2', async () => {
    const r = await started('attach-panic', { env: { PANIC_AFTER_MS: '300' } });
    expect(r.info?.addr).toBeDefined();
    const exit = await r.run.exited;
    expect(exit.code).toBe(2);
    expect(r.stderr()).toContain('panic: runtime error: index out of range [3] with length 2');
    expect(r.stdout()).toBe('started\n');
  });
});

describe("a program's own servers keep working", () => {
  it('pprof on DefaultServeMux at its own port stays served; ours is separate', async () => {
    const r = await started('attach-pprof-default');
    for (let i = 0; i < 100 && !/listening on/.test(r.stdout()); i++)
      await new Promise((res) => setTimeout(res, 100));
    const own = /listening on (\S+)/.exec(r.stdout())![1];
    expect(own).not.toBe(r.info?.addr);
    expect((await get(`http://${own}/hello`)).bytes.toString()).toBe('hello from the program');
    expect((await get(`http://${own}/debug/pprof/goroutine?debug=1`)).bytes.toString()).toMatch(
      /^goroutine profile: total \d+/,
    );
    expect((await get(`${r.pprof}/goroutine?debug=1`)).bytes.toString()).toMatch(
      /^goroutine profile: total \d+/,
    );
    // Our mux has only the profiling paths: the program's handlers are not exposed on our port.
    expect((await get(`http://${r.info!.addr}/hello`)).status).toBe(404);
  });

  it('a program using port 6060 itself keeps it', async () => {
    const r = await started('attach-port6060');
    for (let i = 0; i < 100 && !/listening on|cannot listen/.test(r.stdout() + r.stderr()); i++)
      await new Promise((res) => setTimeout(res, 100));
    expect(r.stderr()).toBe('');
    expect((await get('http://127.0.0.1:6060/')).bytes.toString()).toBe('own server');
    expect(r.info?.addr).not.toBe('127.0.0.1:6060');
    expect((await get(`${r.pprof}/goroutine?debug=1`)).status).toBe(200);
  });
});

describe('tests and wrong targets', () => {
  it('a test binary (go test -c) of a library package is attached', async () => {
    const dir = join(goProgramsDir, 'attach-lib');
    const before = treeDigest(dir);
    const r = await started('attach-lib', {
      test: true,
      args: ['-test.run', 'TestChecksumSpin', '-test.v'],
      env: { SPIN_SECONDS: '20' },
    });
    const cpu = await get(`${r.pprof}/profile?seconds=1`);
    const file = join(scratch, 'test-cpu.pb.gz');
    writeFileSync(file, cpu.bytes);
    const top = await goTool('pprof', ['-top', file]);
    expect(top.stdout).toContain('golens.test/programs/attach-lib.Checksum');
    expect(treeDigest(dir)).toEqual(before);
  });

  it('a library is not run as a program: the message says so and what to do', async () => {
    await expect(
      buildAttached({
        go: { binary: 'go', env: goEnv() },
        dir: join(goProgramsDir, 'attach-lib'),
        output: join(scratch, 'lib'),
        sink: quietSink,
      }),
    ).rejects.toThrow(/is package lib, not package main.*Open a file of a package main/);
  });

  it('-race with cgo disabled is refused before building, naming CGO_ENABLED', async () => {
    await expect(
      buildAttached({
        go: { binary: 'go', env: { ...goEnv(), CGO_ENABLED: '0' } },
        dir: join(goProgramsDir, 'attach-cpu'),
        race: true,
        output: join(scratch, 'race'),
        sink: quietSink,
      }),
    ).rejects.toThrow(/race detector needs cgo.*CGO_ENABLED=1/);
  });

  it('a build that fails keeps its last lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-broken-'));
    writeFileSync(join(dir, 'go.mod'), 'module broken\n\ngo 1.21\n');
    writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() { undefinedThing() }\n');
    const err = await buildAttached({
      go: { binary: 'go', env: goEnv() },
      dir,
      output: join(scratch, 'broken'),
      sink: quietSink,
    }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/go build failed \(exit code 1\)/);
    expect((err as { lastLines: string[] }).lastLines.join('\n')).toContain(
      'undefined: undefinedThing',
    );
  });

  it('a Go older than 1.21 is refused, naming the version', async () => {
    // A stand-in go command answering `go env GOVERSION` as Go 1.20 does.
    const fake = join(mkdtempSync(join(tmpdir(), 'golens-oldgo-')), 'go');
    writeFileSync(fake, '#!/bin/sh\necho go1.20.14\n', { mode: 0o755 });
    await expect(
      buildAttached({
        go: { binary: fake, env: goEnv() },
        dir: join(goProgramsDir, 'attach-cpu'),
        output: join(scratch, 'old'),
        sink: quietSink,
      }),
    ).rejects.toThrow(/go1\.20\.14 is older than Go 1\.21, the oldest Go Lens runs programs with/);
  });

  it('a missing go binary says how to fix it', async () => {
    await expect(
      buildAttached({
        go: { binary: '/nonexistent/go', env: goEnv() },
        dir: join(goProgramsDir, 'attach-cpu'),
        output: join(scratch, 'x'),
        sink: quietSink,
      }),
    ).rejects.toThrow(/could not run the Go toolchain.*go\.goroot/);
  });
});
