// Where a race shows in the editor: each access's site in the program's own code (the innermost
// frame outside the runtime, else where its goroutine was created), resolved to a file on disk,
// and the lines following the file as it is edited.
import * as vscode from 'vscode';
import {
  isRuntimeFrame,
  type DistinctRace,
  type FrameView,
  type RaceAccess,
  type RaceReport,
} from '../../core/races';
import { resolveSource } from '../../editors/open-source';

/** The frame to put an access at: the program's own code, never the runtime's assembly. */
export function userSite(a: RaceAccess, r: RaceReport): FrameView | undefined {
  for (const f of a.frames) if (!isRuntimeFrame(f) && f.line > 0) return f;
  const g = r.goroutines.find((x) => x.id === a.goroutine);
  for (const f of g?.createdAt ?? []) if (!isRuntimeFrame(f) && f.line > 0) return f;
  return undefined;
}

/** The first frame outside the runtime of a stack (creation and allocation sites). */
export function firstUserFrame(frames: readonly FrameView[]): FrameView | undefined {
  return frames.find((f) => !isRuntimeFrame(f) && f.line > 0);
}

/** Resolves recorded file names to files on disk, remembering answers until cleared. */
export class FileResolver {
  private readonly cache = new Map<string, Promise<vscode.Uri | undefined>>();

  resolve(f: FrameView): Promise<vscode.Uri | undefined> {
    let p = this.cache.get(f.file);
    if (!p) {
      p = resolveSource({ func: f.func, file: f.file, line: f.line }).then((r) =>
        r.ok ? vscode.Uri.file(r.path) : undefined,
      );
      this.cache.set(f.file, p);
    }
    return p;
  }

  clear(): void {
    this.cache.clear();
  }
}

interface LineEdit {
  start: number;
  end: number;
  delta: number;
}

/**
 * Edits made to documents since the races were read: a line the detector named moves with the
 * text around it (lines inserted above push it down; a deleted region pulls it to its start).
 */
export class LineTracker implements vscode.Disposable {
  private readonly edits = new Map<string, LineEdit[]>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidMoveLines = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      const key = e.document.uri.toString();
      const list = this.edits.get(key) ?? [];
      let moved = false;
      // Changes of one event do not overlap; applied from the bottom up each keeps its own coordinates.
      const changes = [...e.contentChanges].sort((a, b) => b.range.start.line - a.range.start.line);
      for (const c of changes) {
        const added = c.text.split('\n').length - 1;
        const delta = added - (c.range.end.line - c.range.start.line);
        if (delta !== 0) {
          list.push({ start: c.range.start.line, end: c.range.end.line, delta });
          moved = true;
        }
      }
      if (!moved) return;
      this.edits.set(key, list);
      this.changed.fire(e.document.uri);
    });
  }

  /** The 0-based line where `line` (0-based, as recorded) is now. */
  map(uri: vscode.Uri, line: number): number {
    const list = this.edits.get(uri.toString());
    if (!list) return line;
    for (const e of list) {
      if (line > e.end) line += e.delta;
      else if (line > e.start && e.delta < 0) line = Math.min(line, e.end + e.delta);
    }
    return Math.max(0, line);
  }

  /** New data was read: lines are as recorded again. */
  reset(): void {
    this.edits.clear();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** A race's place in one file: one of its accesses. */
export interface RaceMark {
  uri: vscode.Uri;
  /** 0-based line as recorded. */
  line: number;
  race: DistinctRace;
  access: number;
}
