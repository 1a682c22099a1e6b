// Profile costs in the Go editor: while a profile view is active (ActiveProfiles), every visible
// Go file gets its lines' flat/cum after the line, a heat bar in the gutter and the overview
// ruler, a CodeLens with self/total above each function, and a hover with the line's callers and
// callees — or, for a diff view, the change against the base. Follows the active view's sample
// type and filters; "Go Lens: Clear Profile Annotations" and `goLens.annotations.enabled` turn it
// off.
//
// Speed: opening a file costs one `profileFileCosts` request (about 7 ms for one file of a
// 1M-sample profile, see scripts/bench/pprof-interactive.mjs) and is cached per (profile handle,
// query, file), so switching back to a file, or the CodeLens and hover asking after the
// decorations, costs nothing. scripts/bench/annotations.mjs measures event → setDecorations.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { FileCosts, LineCalls } from '../../core/pprof/source-costs';
import type { ActiveProfile, ActiveProfiles } from '../active-profile';
import type { ParseWorkerClient } from '../../worker/client';
import {
  annotationAt,
  diffAnnotations,
  fileAnnotations,
  hoverMarkdown,
  type FileAnnotations,
  type Tone,
} from './line-annotations';

/** Cached file costs; one entry is a few typed arrays of a file's lines (kilobytes). */
const MAX_CACHED = 256;

/** Gutter bar colours per tone, level 1 (palest) to 5. Literal colours: SVG icons cannot use theme colours. */
const PALETTE: Record<Tone, string[]> = {
  hot: ['#e8c547', '#f0a030', '#ee7a22', '#e2521c', '#cc2a14'],
  worse: ['#f1948a', '#ec7063', '#e74c3c', '#cb4335', '#a93226'],
  better: ['#82e0aa', '#58d68d', '#2ecc71', '#28b463', '#1d8348'],
};
const TEXT_COLOR: Record<Tone, vscode.ThemeColor> = {
  hot: new vscode.ThemeColor('editorCodeLens.foreground'),
  worse: new vscode.ThemeColor('charts.red'),
  better: new vscode.ThemeColor('charts.green'),
};
const TONES: Tone[] = ['hot', 'worse', 'better'];

function gutterIcon(color: string, level: number): vscode.Uri {
  // A bar whose width grows with the level, so heat reads without colour too.
  const width = 2 + level;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="20" viewBox="0 0 8 20"><rect x="${8 - width}" y="0" width="${width}" height="20" fill="${color}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
}

interface AnnotationState {
  /** Identifies what is annotated: cached results of another state are not used. */
  key: string;
  active: ActiveProfile;
  unit: string;
  total: number;
  /** For a diff: the current profile's factor (pprof -normalize), else undefined. */
  currentScale?: number;
  /** "cpu-….pb.gz, cpu" — for hovers and messages. */
  what: string;
}

interface ForDocument {
  annotations: FileAnnotations;
  current?: FileCosts;
  base?: FileCosts;
}

function isGoSource(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && (doc.languageId === 'go' || doc.uri.path.endsWith('.go'));
}

export interface AnnotatedInfo {
  path: string;
  /** Milliseconds from the event that asked for the editor (or the call) to setDecorations. */
  ms: number;
  lines: number;
  fromCache: boolean;
}

export class ProfileAnnotations
  implements vscode.Disposable, vscode.CodeLensProvider, vscode.HoverProvider
{
  private readonly types: Record<Tone, vscode.TextEditorDecorationType[]>;
  private readonly costs = new Map<string, Promise<FileCosts | undefined>>();
  private readonly lensEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensEmitter.event;
  private readonly annotatedEmitter = new vscode.EventEmitter<AnnotatedInfo>();
  /** After an editor's decorations were set: for the benchmark and the log. */
  readonly onDidAnnotate = this.annotatedEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly decorated = new Set<vscode.TextEditor>();
  /** Messages already shown (one per profile and file): they are advice, not alarms. */
  private readonly told = new Set<string>();
  private stateCache: AnnotationState | undefined | null = null;

  constructor(
    private readonly activeProfiles: ActiveProfiles,
    private readonly worker: ParseWorkerClient,
  ) {
    const make = (tone: Tone, level: number): vscode.TextEditorDecorationType =>
      vscode.window.createTextEditorDecorationType({
        gutterIconPath: gutterIcon(PALETTE[tone][level - 1], level),
        gutterIconSize: 'contain',
        overviewRulerColor: PALETTE[tone][level - 1] + (level >= 3 ? 'cc' : '80'),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        after: { color: TEXT_COLOR[tone], margin: '0 0 0 2.5em', fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
    this.types = { hot: [], worse: [], better: [] };
    for (const tone of TONES)
      for (let level = 1; level <= 5; level++) this.types[tone].push(make(tone, level));
    this.disposables.push(
      this.lensEmitter,
      this.annotatedEmitter,
      activeProfiles.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        const started = performance.now();
        for (const gone of [...this.decorated])
          if (!editors.includes(gone)) this.decorated.delete(gone);
        for (const e of editors) void this.annotate(e, started);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('goLens.annotations.enabled')) this.refresh();
      }),
    );
  }

  private get enabled(): boolean {
    return vscode.workspace.getConfiguration('goLens').get<boolean>('annotations.enabled', true);
  }

  /** What to annotate now, or undefined (nothing active, switched off, a stale worker handle). */
  private state(): AnnotationState | undefined {
    // A restarted worker has forgotten the handles (ActiveProfiles then reports nothing active).
    if (this.stateCache && this.stateCache.active.generation !== this.worker.generation)
      this.stateCache = null;
    if (this.stateCache !== null) return this.stateCache;
    const active = this.enabled ? this.activeProfiles.active : undefined;
    const st = active?.profile.sampleTypes[active.query.sampleType];
    if (!active || !st) return (this.stateCache = undefined);
    const i = active.query.sampleType;
    let currentScale: number | undefined;
    if (active.base) {
      const baseTotal = active.base.profile.totals[i] ?? 0;
      const total = active.profile.totals[i] ?? 0;
      currentScale = active.base.normalize && total !== 0 ? baseTotal / total : 1;
    }
    const key = [
      this.worker.generation,
      active.profile.handle,
      active.base?.handle ?? '',
      currentScale ?? '',
      JSON.stringify(active.query),
    ].join('|');
    const total = (active.profile.totals[i] ?? 0) * (currentScale ?? 1);
    return (this.stateCache = {
      key,
      active,
      unit: st.unit,
      total,
      currentScale,
      what: `${active.title}, ${st.type}`,
    });
  }

  /** The active profile, its query or the setting changed: annotate every visible editor again. */
  refresh(): void {
    const started = performance.now();
    this.stateCache = null;
    this.lensEmitter.fire();
    for (const e of vscode.window.visibleTextEditors) void this.annotate(e, started);
  }

  private fileCosts(
    handle: number,
    active: ActiveProfile,
    localPath: string,
  ): Promise<FileCosts | undefined> {
    const key = `${this.worker.generation}|${handle}|${JSON.stringify(active.query)}|${localPath}`;
    let p = this.costs.get(key);
    if (p) {
      // Most recently used last: the oldest entry is the first one dropped.
      this.costs.delete(key);
      this.costs.set(key, p);
      return p;
    }
    p = this.worker
      .request('profileFileCosts', { handle, query: active.query, localPath })
      .catch((err: unknown) => {
        // A released handle (the view closed meanwhile) or a bad filter: no annotations, and try again next time.
        this.costs.delete(key);
        console.warn(
          `Go Lens: no line costs for ${localPath}: ${err instanceof Error ? err.message : String(err)}`,
        );
        return undefined;
      });
    this.costs.set(key, p);
    if (this.costs.size > MAX_CACHED) this.costs.delete(this.costs.keys().next().value!);
    return p;
  }

  private isCached(s: AnnotationState, path: string): boolean {
    return this.costs.has(
      `${this.worker.generation}|${s.active.profile.handle}|${JSON.stringify(s.active.query)}|${path}`,
    );
  }

  /** The annotations of a document for the state `s`, or undefined when there are none. */
  private async forDocument(
    doc: vscode.TextDocument,
    s: AnnotationState,
  ): Promise<ForDocument | undefined> {
    if (!isGoSource(doc)) return undefined;
    const a = s.active;
    if (!a.profile.hasLines) {
      this.tellOnce(
        `nolines|${a.uri.toString()}`,
        `Go Lens: ${a.title} records no line numbers, so the editor shows no line costs for it. Its functions and stacks are in the profile view.`,
      );
      return undefined;
    }
    const path = doc.uri.fsPath;
    if (a.base) {
      const [current, base] = await Promise.all([
        this.fileCosts(a.profile.handle, a, path),
        this.fileCosts(a.base.handle, a, path),
      ]);
      if (!current && !base) return undefined;
      return {
        annotations: diffAnnotations(
          current,
          base,
          { unit: s.unit, total: s.total, currentScale: s.currentScale ?? 1 },
          doc.lineCount,
        ),
        current,
        base,
      };
    }
    const current = await this.fileCosts(a.profile.handle, a, path);
    if (!current) return undefined;
    return {
      annotations: fileAnnotations(current, { unit: s.unit, total: s.total }, doc.lineCount),
      current,
    };
  }

  private clearEditor(editor: vscode.TextEditor): void {
    if (!this.decorated.delete(editor)) return;
    for (const tone of TONES) for (const t of this.types[tone]) editor.setDecorations(t, []);
  }

  /** Decorates one editor for the current state (or clears it). */
  async annotate(editor: vscode.TextEditor, started = performance.now()): Promise<void> {
    const s = this.state();
    if (!s || !isGoSource(editor.document)) return this.clearEditor(editor);
    const doc = editor.document;
    const fromCache = this.isCached(s, doc.uri.fsPath);
    const r = await this.forDocument(doc, s);
    if (this.state() !== s) return; // the active profile changed meanwhile: a newer call decorates
    if (!r) return this.clearEditor(editor);
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>();
    for (const tone of TONES) for (const t of this.types[tone]) byType.set(t, []);
    for (const l of r.annotations.lines) {
      const end = doc.lineAt(l.line).range.end;
      byType.get(this.types[l.tone][l.level - 1])!.push({
        range: new vscode.Range(end, end),
        renderOptions: { after: { contentText: l.text } },
      });
    }
    for (const [type, options] of byType) editor.setDecorations(type, options);
    this.decorated.add(editor);
    this.annotatedEmitter.fire({
      path: doc.uri.fsPath,
      ms: performance.now() - started,
      lines: r.annotations.lines.length,
      fromCache,
    });
    if (r.annotations.outOfRange > 0) {
      this.tellOnce(
        `range|${s.active.uri.toString()}|${doc.uri.toString()}`,
        `Go Lens: ${r.annotations.outOfRange} line(s) with costs in ${s.active.title} lie past the end of ${basename(doc.uri.fsPath)} (${doc.lineCount} lines): the file has changed since the profile was taken. Those lines are not annotated, and the others may be off.`,
      );
    }
  }

  private tellOnce(key: string, message: string): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    void vscode.window.showInformationMessage(message);
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const s = this.state();
    if (!s) return [];
    const r = await this.forDocument(doc, s);
    if (!r) return [];
    // A lens without a command id is a label: the numbers are the point, there is nothing to run.
    return r.annotations.lenses.map(
      (l) =>
        new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), {
          title: `$(flame) ${l.title}`,
          command: '',
          tooltip: `${l.name} in ${s.what}`,
        }),
    );
  }

  async provideHover(
    doc: vscode.TextDocument,
    pos: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const s = this.state();
    if (!s) return undefined;
    const r = await this.forDocument(doc, s);
    if (!r || !annotationAt(r.annotations.lines, pos.line)) return undefined;
    const a = s.active;
    const line = pos.line + 1;
    const calls = (handle: number, costs: FileCosts | undefined): Promise<LineCalls> =>
      costs
        ? this.worker.request('profileLineCalls', {
            handle,
            query: a.query,
            file: costs.file,
            line,
          })
        : Promise.resolve({ file: '', line, flat: 0, cum: 0, callers: [], callees: [] });
    const [current, base] = await Promise.all([
      calls(a.profile.handle, r.current),
      a.base ? calls(a.base.handle, r.base) : undefined,
    ]);
    const md = hoverMarkdown(
      current,
      { unit: s.unit, total: s.total },
      s.what,
      base && { calls: base, currentScale: s.currentScale ?? 1 },
    );
    return new vscode.Hover(new vscode.MarkdownString(md), doc.lineAt(pos.line).range);
  }

  dispose(): void {
    for (const tone of TONES) for (const t of this.types[tone]) t.dispose();
    for (const d of this.disposables) d.dispose();
    this.costs.clear();
  }
}
