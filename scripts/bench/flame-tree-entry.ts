// Bundled by flame-render.mjs: decodes a profile and builds the tree the worker would send to
// the flame view (same function, same node cap).
import { readFileSync } from 'node:fs';
import { filteredCallTree } from '../../src/core/flame/filtered-tree';
import { fitTreeToView, MAX_VIEW_NODES } from '../../src/core/flame/view-tree';
import { decodeProfile } from '../../src/core/pprof/decode';
import { indexProfile } from '../../src/core/pprof/profile-index';
import { gunzip } from '../../src/node/inflate';

export function viewTreeOf(file: string) {
  const profile = decodeProfile(new Uint8Array(readFileSync(file)), gunzip);
  const sampleType = profile.defaultSampleType;
  const { tree, prunedBelow } = fitTreeToView(
    filteredCallTree(indexProfile(profile), { sampleType }),
    MAX_VIEW_NODES,
  );
  return {
    tree,
    prunedBelow,
    sampleType,
    sampleTypes: profile.sampleTypes,
    sampleCount: profile.samples.count,
  };
}
