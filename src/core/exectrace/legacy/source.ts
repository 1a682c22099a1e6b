// The legacy (Go 1.11–1.21) path of TraceReader: parse the whole v1 trace on the first call,
// then hand out the converted events in blocks — one generation between two Sync events, as
// Go's reader returns a converted trace.

import type { EventBlock } from '../block';
import { Ev } from '../spec';
import { LegacyConverter, write } from './convert';
import { parseLegacyTrace, type LegacyParseOptions, type LegacyVersion } from './parser';

const enum Phase {
  Start,
  Events,
  End,
  Done,
}

export class LegacySource {
  private phase = Phase.Start;
  private conv: LegacyConverter | null = null;
  private syncs = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly version: LegacyVersion,
    private readonly opts: LegacyParseOptions,
  ) {}

  /**
   * Fills `block` (already reset) with up to `limit` events. Returns false when the trace has
   * ended (nothing written). Throws TraceError; events written before a failure stay in the block.
   */
  fill(block: EventBlock, limit: number): boolean {
    if (this.phase === Phase.Start) {
      const conv = new LegacyConverter(parseLegacyTrace(this.data, this.version, this.opts));
      this.conv = conv;
      const first = conv.firstTime();
      this.phase = first === null ? Phase.End : Phase.Events;
      if (first !== null) {
        block.table = conv.table;
        block.gen = 1;
        this.sync(block, first - 1);
      }
    }
    if (this.phase === Phase.Events) {
      const conv = this.conv!;
      block.table = conv.table;
      block.gen = 1;
      if (!conv.fill(block, limit)) return true;
      block.endOfGeneration = true;
      this.phase = Phase.End;
      if (block.count > 0) return true;
    }
    if (this.phase === Phase.End) {
      block.table = null;
      block.gen = 0;
      this.sync(block, (this.conv?.lastTs ?? -1) + 1);
      block.final = true;
      this.phase = Phase.Done;
      return true;
    }
    return false;
  }

  private sync(block: EventBlock, time: number): void {
    this.syncs++;
    write(block, { typ: Ev.SyncEvent, time, m: -1, p: -1, g: -1, a: [this.syncs, 0, 0, 0] });
  }
}
