// "Add Flight Recorder Endpoint" end to end without VS Code: the file it generates is added to a
// real program (test/go/flightrec-app in a module of its own, go 1.25), which builds and serves
// snapshots; a snapshot passes our answer check, and `golens trace-events` on it equals
// `go tool trace -d=parsed` byte for byte. Bad answers (404, HTML, a non-trace body, a server
// that is not Go) get messages that say what came instead.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FLIGHT_RECORDER_PATH,
  describeFlightRecorderAnswer,
  flightRecorderEndpoint,
  goModVersion,
  resolveFlightRecorderUrl,
} from '../../../src/core/collect/flight-recorder';
import { customProfileEndpoint } from '../../../src/core/collect/endpoints';
import { parsePprofIndex } from '../../../src/core/collect/pprof-index';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { gunzip } from '../../../src/node/inflate';
import {
  goEnv,
  goProgramsDir,
  goTool,
  run,
  runCli,
  startGoServer,
  type GoServer,
} from '../../support/go';
import { goParsed, scratchDir } from '../exectrace/support/helpers';

const answer = (url: string, status: number, contentType: string, body: string | Uint8Array) => ({
  url,
  status,
  contentType,
  bodyStart: typeof body === 'string' ? new TextEncoder().encode(body) : body,
});

describe('a program with the inserted flight recorder endpoint', () => {
  let server: GoServer;
  const dir = scratchDir('flightrec-app');
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(goProgramsDir, 'flightrec-app/main.go'), join(dir, 'main.go'));
    const goMod = 'module example.com/flightrec\n\ngo 1.25\n';
    writeFileSync(join(dir, 'go.mod'), goMod);
    const code = flightRecorderEndpoint(goModVersion(goMod));
    expect(code.library).toBe('runtime/trace');
    writeFileSync(join(dir, code.fileName), code.source);
    // What we insert into someone's package is gofmt-clean.
    const fmt = await run('gofmt', ['-l', code.fileName], { cwd: dir, env: goEnv() });
    expect(fmt.stdout, fmt.stderr).toBe('');
    const build = await run('go', ['build', '-o', 'app', '.'], { cwd: dir, env: goEnv() });
    expect(build.code, build.stderr).toBe(0);
    server = await startGoServer(join(dir, 'app'));
  }, 180_000);
  afterAll(async () => server?.stop());

  it('serves a snapshot that is a Go trace, and trace-events on it equals go tool trace -d=parsed', async () => {
    // Let the recorder see some execution first.
    await new Promise((r) => setTimeout(r, 1500));
    const url = resolveFlightRecorderUrl(`${server.url}/debug/pprof`, DEFAULT_FLIGHT_RECORDER_PATH);
    expect(url).toBe(`${server.url}/debug/golens/flightrecorder`);
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(
      describeFlightRecorderAnswer(
        answer(url, res.status, res.headers.get('content-type') ?? '', bytes.subarray(0, 512)),
      ),
    ).toBeUndefined();
    const file = join(dir, 'snapshot.trace');
    writeFileSync(file, bytes);
    const [ours, go] = await Promise.all([runCli(['trace-events', file]), goParsed(file)]);
    expect(go.code, go.stderr).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout.split('\n').length).toBeGreaterThan(500);
    expect(ours.stdout.includes('main.player')).toBe(true);
    expect(ours.stdout === go.stdout).toBe(true);
  });

  it('its /debug/pprof/ index lists its own pprof.NewProfile profile with its count; the proto form reads as go tool pprof reads it', async () => {
    const index = parsePprofIndex(await (await fetch(`${server.url}/debug/pprof/`)).text())!;
    expect(index.find((p) => p.name === 'golens.test/open-files')).toEqual({
      name: 'golens.test/open-files',
      count: 3,
      path: 'golens.test/open-files',
    });
    const spec = customProfileEndpoint('golens.test/open-files');
    const res = await fetch(`${server.url}/debug/pprof${spec.pathAndQuery(0)}`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const p = decodeProfile(bytes, gunzip);
    expect(p.sampleTypes.map((t) => t.type)).toEqual(['golens.test/open-files']);
    let total = 0;
    for (let i = 0; i < p.samples.count; i++) total += p.samples.values[i];
    expect(total).toBe(3);
    const file = join(dir, 'open-files.pb.gz');
    writeFileSync(file, bytes);
    const top = await goTool('pprof', ['-top', '-nodecount=10', file]);
    expect(top.code, top.stderr).toBe(0);
    // openConfig holds 2 of the 3 records, openLog 1: flat counts per function agree.
    expect(top.stdout).toMatch(/^\s+2\s+66\.67%.*main\.openConfig$/m);
    expect(top.stdout).toMatch(/^\s+1\s+33\.33%.*main\.openLog$/m);
    const ours = await runCli(['top', file]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout).toMatch(/main\.openConfig/);
  });

  it('its pprof paths are not a flight recorder: an HTML index, a 404, a text profile', async () => {
    const index = await fetch(`${server.url}/debug/pprof/`);
    const html = new Uint8Array(await index.arrayBuffer());
    expect(
      describeFlightRecorderAnswer(
        answer(`${server.url}/debug/pprof/`, 200, index.headers.get('content-type') ?? '', html),
      ),
    ).toMatch(/answered with an HTML page .*not a flight recorder snapshot/);
    const missing = await fetch(`${server.url}/debug/flight`);
    expect(
      describeFlightRecorderAnswer(
        answer(`${server.url}/debug/flight`, missing.status, '', new Uint8Array()),
      ),
    ).toMatch(
      /404 Not Found: the program serves no flight recorder snapshot there.*Add Flight Recorder Endpoint/,
    );
    const cmdline = await fetch(`${server.url}/debug/pprof/goroutine?debug=1`);
    const text = new Uint8Array(await cmdline.arrayBuffer());
    expect(describeFlightRecorderAnswer(answer('u', 200, 'text/plain', text))).toMatch(
      /not a Go execution trace \(it starts "goroutine profile: total \d+"\)/,
    );
  });
});

describe('the golang.org/x/exp/trace endpoint of a module older than Go 1.25', () => {
  let server: GoServer;
  const dir = scratchDir('flightrec-app-xexp');
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(goProgramsDir, 'flightrec-app/main.go'), join(dir, 'main.go'));
    const goMod = 'module example.com/flightrec\n\ngo 1.24\n';
    writeFileSync(join(dir, 'go.mod'), goMod);
    const code = flightRecorderEndpoint(goModVersion(goMod));
    expect(code.library).toBe('golang.org/x/exp/trace');
    writeFileSync(join(dir, code.fileName), code.source);
    // What the confirmation tells the user to run (from the Go module proxy).
    const get = await run('go', ['get', 'golang.org/x/exp/trace'], {
      cwd: dir,
      env: goEnv(),
      timeoutMs: 300_000,
    });
    expect(get.code, get.stderr).toBe(0);
    const build = await run('go', ['build', '-o', 'app', '.'], { cwd: dir, env: goEnv() });
    expect(build.code, build.stderr).toBe(0);
    server = await startGoServer(join(dir, 'app'));
  }, 400_000);
  afterAll(async () => server?.stop());

  it('builds, serves a snapshot, and trace-events on it equals go tool trace -d=parsed', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const res = await fetch(`${server.url}${DEFAULT_FLIGHT_RECORDER_PATH}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(
      describeFlightRecorderAnswer(
        answer('u', res.status, res.headers.get('content-type') ?? '', bytes.subarray(0, 512)),
      ),
    ).toBeUndefined();
    const file = join(dir, 'snapshot.trace');
    writeFileSync(file, bytes);
    const [ours, go] = await Promise.all([runCli(['trace-events', file]), goParsed(file)]);
    expect(go.code, go.stderr).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout === go.stdout).toBe(true);
  });
});

describe('flight recorder URLs and answers', () => {
  it('resolves full URLs, host paths and paths relative to the pprof base', () => {
    const base = 'http://127.0.0.1:6060/debug/pprof';
    expect(resolveFlightRecorderUrl(base, 'http://other:1/fr')).toBe('http://other:1/fr');
    expect(resolveFlightRecorderUrl(base, '/debug/golens/flightrecorder')).toBe(
      'http://127.0.0.1:6060/debug/golens/flightrecorder',
    );
    expect(resolveFlightRecorderUrl(base, 'flight')).toBe(
      'http://127.0.0.1:6060/debug/pprof/flight',
    );
  });

  it('names a non-Go server, an empty body and a busy recorder', () => {
    expect(
      describeFlightRecorderAnswer(answer('u', 200, 'application/json', '{"status":"ok"}')),
    ).toMatch(/not a Go execution trace \(it starts "\{"status":"ok"\}"\)/);
    expect(
      describeFlightRecorderAnswer(answer('u', 200, 'application/octet-stream', new Uint8Array())),
    ).toMatch(/empty body/);
    expect(
      describeFlightRecorderAnswer(
        answer('u', 503, 'text/plain', 'flight recorder snapshot failed: busy'),
      ),
    ).toMatch(
      /503: flight recorder snapshot failed: busy \(a snapshot may already be being written/,
    );
    expect(
      describeFlightRecorderAnswer(
        answer('u', 200, 'application/octet-stream', 'go 1.25 trace\0\0\0'),
      ),
    ).toBeUndefined();
  });

  it('uses golang.org/x/exp/trace for a module older than Go 1.25', () => {
    const code = flightRecorderEndpoint(goModVersion('module m\n\ngo 1.23.4\n'));
    expect(code.library).toBe('golang.org/x/exp/trace');
    expect(code.source).toContain('"golang.org/x/exp/trace"');
    expect(code.source).toContain('fr.SetPeriod(10 * time.Second)');
    expect(flightRecorderEndpoint(goModVersion('go 1.27')).source).toContain(
      'trace.FlightRecorderConfig{',
    );
  });
});
