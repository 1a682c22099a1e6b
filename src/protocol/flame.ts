// Messages between the extension host and the flame graph webview (profiles, and CPU samples
// from execution traces). Imported by both sides; the host validates every incoming message
// with `parseFlameWebviewMessage` before acting on it.
import type { CallTree } from '../core/flame/call-tree';
import type { ValueType } from '../core/pprof/model';
import { isSourceLocation, type SourceLocation } from './source';
import { hasOnlyKeys, isIndex, isRecord } from './validate';

/** What the view shows above the graph: where the data came from and what it measures. */
export interface ProfileSummary {
  /** e.g. `cpu-127.0.0.1_6060-20261121-231500.pb.gz` */
  title: string;
  sampleTypes: ValueType[];
  defaultSampleType: number;
  /** Sum of each sample type over all samples, to give percentages of the whole profile. */
  totals: number[];
  sampleCount: number;
  durationNanos: number;
  timeNanos: number;
  comments: string[];
  /** Things the user must know before trusting the picture, e.g. "capture cut short after 12 s". */
  warnings: string[];
  /** Whether the host can save this profile elsewhere (true for files and captures). */
  canSaveAs: boolean;
}

export type FlameHostMessage =
  | { type: 'loading'; message: string }
  | { type: 'summary'; summary: ProfileSummary }
  | {
      type: 'tree';
      sampleType: number;
      tree: CallTree;
      /** Nodes narrower than this fraction of the whole were left out to keep the view fast. */
      prunedBelow: number;
    }
  | { type: 'error'; message: string }
  /** Result of an openSource request, so the view can say when a file was not found. */
  | { type: 'sourceResult'; ok: boolean; message: string };

export type FlameWebviewMessage =
  | { type: 'ready' }
  | { type: 'setSampleType'; sampleType: number }
  | { type: 'openSource'; location: SourceLocation }
  | { type: 'saveAs' };

/** Returns the message if it is a well-formed FlameWebviewMessage, otherwise undefined. */
export function parseFlameWebviewMessage(raw: unknown): FlameWebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'saveAs':
      return hasOnlyKeys(raw, ['type']) ? { type: raw.type } : undefined;
    case 'setSampleType':
      return hasOnlyKeys(raw, ['type', 'sampleType']) && isIndex(raw.sampleType, 1000)
        ? { type: 'setSampleType', sampleType: raw.sampleType }
        : undefined;
    case 'openSource':
      return hasOnlyKeys(raw, ['type', 'location']) && isSourceLocation(raw.location)
        ? { type: 'openSource', location: raw.location }
        : undefined;
    default:
      return undefined;
  }
}
