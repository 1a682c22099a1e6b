// Messages between the extension host and the goroutine table webview. Imported by both sides;
// the host validates every incoming message with `parseGoroutinesWebviewMessage`.
import type { GoroutineTableData } from '../core/goroutines/explorer';
import type { GoroutineView } from '../core/goroutines/view';
import { isSourceLocation, type SourceLocation } from './source';
import { hasOnlyKeys, isIndex, isRecord } from './validate';

/** Where the table's snapshot came from, for its title line. */
export interface TableSource {
  /** e.g. `127.0.0.1:6060 at 10:41:03`, `leak-3.txt`, `debug session "Launch" at 10:41:03`. */
  title: string;
  /** e.g. `grouped by exact stack · runtime goroutines hidden · compared with 10:40:51`. */
  detail: string;
  /** Whether groups carry a `change` (the explorer compares with a baseline). */
  comparing: boolean;
}

export type GoroutinesHostMessage =
  | { type: 'loading'; message: string }
  /** Nothing to show (no snapshot loaded): the message says how to get one. */
  | { type: 'empty'; message: string }
  /**
   * A snapshot to show. `version` increases with every table sent; detail requests name it so
   * an answer for an older snapshot is not shown against a newer one. `reveal` selects a group
   * (by signature) in group mode.
   */
  | { type: 'table'; version: number; source: TableSource; data: GoroutineTableData; reveal?: string }
  /** Select a group of the table being shown (the sidebar's "Show Group in Table"). */
  | { type: 'reveal'; signature: string }
  /** One goroutine's frames with arguments, answering a `detail` request. */
  | { type: 'detail'; version: number; row: number; goroutine: GoroutineView }
  | { type: 'error'; message: string }
  /** Result of an openSource request, so the view can say when a file was not found. */
  | { type: 'sourceResult'; ok: boolean; message: string };

export type GoroutinesWebviewMessage =
  | { type: 'ready' }
  | { type: 'openSource'; location: SourceLocation }
  /** Asks for row `row` (a snapshot row, `GoroutineTableData.row[i]`) of table `version`. */
  | { type: 'detail'; version: number; row: number };

/** Returns the message if it is a well-formed GoroutinesWebviewMessage, otherwise undefined. */
export function parseGoroutinesWebviewMessage(raw: unknown): GoroutinesWebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return hasOnlyKeys(raw, ['type']) ? { type: 'ready' } : undefined;
    case 'openSource':
      return hasOnlyKeys(raw, ['type', 'location']) && isSourceLocation(raw.location) ? { type: 'openSource', location: raw.location } : undefined;
    case 'detail':
      return hasOnlyKeys(raw, ['type', 'version', 'row']) && isIndex(raw.version) && isIndex(raw.row, 0xffffffff)
        ? { type: 'detail', version: raw.version, row: raw.row }
        : undefined;
    default:
      return undefined;
  }
}
