// Bundled by flame-render.mjs: decodes a profile and builds the tree the worker would send to
// the flame view (same function, same node cap).
import { readFileSync } from 'node:fs';
import { treeForView } from '../../src/core/flame/view-tree';
import { decodeProfile } from '../../src/core/pprof/decode';
import { gunzip } from '../../src/node/inflate';
import { MAX_VIEW_NODES } from '../../src/core/flame/view-tree';

export function viewTreeOf(file: string) {
  const profile = decodeProfile(new Uint8Array(readFileSync(file)), gunzip);
  const sampleType = profile.defaultSampleType;
  const { tree, prunedBelow } = treeForView(profile, sampleType, false, MAX_VIEW_NODES);
  return { tree, prunedBelow, sampleType, sampleTypes: profile.sampleTypes, sampleCount: profile.samples.count };
}
