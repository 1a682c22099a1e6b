// Messages between the extension host and the goroutine table webview: its method map on the
// channel of src/protocol/rpc.ts. Imported by both sides; the host validates every request with
// `goroutinesValidators`.
import type { GoroutineTableData } from '../core/goroutines/explorer';
import type { GoroutineView } from '../core/goroutines/view';
import { isSourceLocation, type SourceLocation } from './source';
import { noParams, type NoParams, type Validators } from './rpc';
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

/** What the host pushes to the table. */
export interface GoroutinesPushes {
  loading: { message: string };
  /** Nothing to show (no snapshot loaded): the message says how to get one. */
  empty: { message: string };
  /**
   * A snapshot to show. `version` increases with every table sent; detail requests name it so
   * an answer for an older snapshot is not shown against a newer one. `reveal` selects a group
   * (by signature) in group mode.
   */
  table: { version: number; source: TableSource; data: GoroutineTableData; reveal?: string };
  /** Select a group of the table being shown (the sidebar's "Show Group in Table"). */
  reveal: { signature: string };
}

/** What the table asks the host (webview/common/rpc.ts `request`). */
export interface GoroutinesMethods {
  /** The page is up: the table comes as a `table` (or `empty`) push, now and whenever it changes. */
  ready: { params: NoParams; result: void };
  /** One goroutine's frames with arguments: row `row` (a snapshot row, `GoroutineTableData.row[i]`) of table `version`; null once that table is stale. */
  detail: { params: { version: number; row: number }; result: GoroutineView | null };
  /** `ok` false: `message` says why the source did not open (else the file opened). */
  openSource: { params: { location: SourceLocation }; result: { ok: boolean; message: string } };
}

/** The host runs a table request only when its params pass these checks. */
export const goroutinesValidators: Validators<GoroutinesMethods> = {
  ready: noParams,
  openSource: (p) =>
    isRecord(p) && hasOnlyKeys(p, ['location']) && isSourceLocation(p.location)
      ? { location: p.location }
      : undefined,
  detail: (p) =>
    isRecord(p) &&
    hasOnlyKeys(p, ['version', 'row']) &&
    isIndex(p.version) &&
    isIndex(p.row, 0xffffffff)
      ? { version: p.version, row: p.row }
      : undefined,
};
