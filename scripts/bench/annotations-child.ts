// The measured half of scripts/bench/annotations.mjs: the real editor-annotation controller
// (src/editors/annotations/controller.ts) and the real parse worker (dist/parse-worker.js) with
// the 1M-sample benchmark profile loaded, and VS Code replaced by ./annotations-vscode-stub.
// Times "an editor with a 5,000-line Go file became visible" → the controller's last
// setDecorations for it, for files not seen before (cold: one profileFileCosts request) and
// files seen before (cached). Prints one JSON line.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ActiveProfiles } from '../../src/editors/active-profile';
import { ProfileAnnotations } from '../../src/editors/annotations/controller';
import { ParseWorkerClient } from '../../src/worker/client';

const [distDir, profilePath, filesArg] = process.argv.slice(2);
const files = Number(filesArg ?? 20);
const LINES = 5000;
const stub = vscode as unknown as {
  showEditors(editors: unknown[]): void;
  Uri: { file(p: string): vscode.Uri };
};

function editorFor(path: string, onSet: () => void) {
  const document = {
    uri: stub.Uri.file(path),
    languageId: 'go',
    lineCount: LINES,
    lineAt: (line: number) => ({ range: { end: new vscode.Position(line, 80) } }),
  };
  return {
    document,
    decorations: 0,
    setDecorations(_type: unknown, options: unknown[]) {
      this.decorations += options.length;
      onSet();
    },
  };
}

const worker = new ParseWorkerClient(distDir);
const t0 = performance.now();
const profile = await worker.request('loadProfile', { path: profilePath });
const loadMs = performance.now() - t0;
const query = { sampleType: profile.defaultSampleType, filter: {} };
// The profile view has drawn its tree for this query before anyone opens a file.
await worker.request('profileTree', { handle: profile.handle, query, maxNodes: 5000 });

const active = new ActiveProfiles(worker);
const annotations = new ProfileAnnotations(active, worker);
active.set({
  uri: stub.Uri.file(profilePath),
  title: 'bench.pb.gz',
  profile,
  generation: worker.generation,
  query,
});

/** Shows an editor for `path` and resolves with the time to its decorations. */
function open(path: string): Promise<{ ms: number; decorated: number; fromCache: boolean }> {
  return new Promise((resolve) => {
    const editor = editorFor(path, () => undefined);
    const sub = annotations.onDidAnnotate((info) => {
      if (info.path !== path) return;
      sub.dispose();
      resolve({
        ms: performance.now() - started,
        decorated: editor.decorations,
        fromCache: info.fromCache,
      });
    });
    const started = performance.now();
    stub.showEditors([editor]);
  });
}

// The generator puts package p's functions in .../internal/pkg<p>/file<p % 4>.go; a local
// checkout elsewhere matches by the path's tail, as a real workspace does.
const local = (p: number) => join('/home/ci/checkout/svc/internal', `pkg${p}`, `file${p % 4}.go`);
const cold: number[] = [];
const warm: number[] = [];
let decorated = 0;
for (let i = 0; i < files; i++) {
  const r = await open(local((i * 37) % 500));
  if (r.fromCache) throw new Error('a first open came from the cache');
  cold.push(r.ms);
  decorated += r.decorated;
}
for (let i = 0; i < files; i++) warm.push((await open(local((i * 37) % 500))).ms);
annotations.dispose();
worker.dispose();
console.log(
  JSON.stringify({ loadMs, lines: LINES, files, decoratedPerFile: decorated / files, cold, warm }),
);
