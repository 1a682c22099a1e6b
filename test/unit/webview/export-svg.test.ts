// The SVG export builds markup from profile data: names must be escaped, and the picture must
// hold one box per visible frame.
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../support/call-tree-oracle';
import { layoutStarts } from '../../../src/core/layout/flame-layout';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { gunzip } from '../../../src/node/inflate';
import { flameSvg } from '../../../webview/flame/export-svg';
import type { FlamePalette } from '../../../webview/flame/palette';
import { encodeProfile, profileFromStacks } from '../pprof/encode';

const palette = {
  kind: 'dark',
  text: '#fff',
  dimText: '#888',
  dimFill: '#333',
  background: '#000',
  border: undefined,
  focus: '#00f',
  matchOutline: '#ff0',
  fillFor: () => '#c60',
  diffColors: Array.from({ length: 18 }, () => '#777'),
} satisfies FlamePalette;

describe('flameSvg', () => {
  const tree = buildCallTree(
    decodeProfile(
      encodeProfile(
        profileFromStacks([
          [['main', 'a<b>&"c"'], 3],
          [['main', 'z'], 1],
        ]),
      ),
      gunzip,
    ),
    { sampleType: 0 },
  );
  const svg = flameSvg({
    tree,
    start: layoutStarts(tree),
    domain: [0, tree.total[0]],
    width: 800,
    palette,
    title: 'cpu <1>',
    format: (v) => `${v} samples`,
  });

  it('is an SVG document with one rectangle per visible frame (plus the background)', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(1 + tree.nodeCount);
  });
  it('escapes names and the title', () => {
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(svg).toContain('cpu &lt;1&gt;');
    expect(svg).not.toContain('<b>');
  });
  it('carries each frame’s value as a tooltip', () => {
    expect(svg).toContain('<title>main\n4 samples</title>');
  });
});
