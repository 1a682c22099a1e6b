import { describe, expect, it } from 'vitest';
import { parseFlameWebviewMessage } from '../../../src/protocol/flame';

describe('parseFlameWebviewMessage', () => {
  it.each([
    [{ type: 'ready' }],
    [{ type: 'saveAs' }],
    [{ type: 'setSampleType', sampleType: 1 }],
    [{ type: 'openSource', location: { func: 'main.f', file: '/x/main.go', line: 12 } }],
  ])('accepts %j', (m) => {
    expect(parseFlameWebviewMessage(m)).toEqual(m);
  });
  it.each([
    [null],
    ['ready'],
    [{ type: 'nope' }],
    [{ type: 'ready', extra: 1 }],
    [{ type: 'setSampleType', sampleType: -1 }],
    [{ type: 'setSampleType', sampleType: 1.5 }],
    [{ type: 'openSource', location: { func: 'f', file: '', line: 1 } }],
    [{ type: 'openSource', location: { func: 'f', file: '/a\0b', line: 1 } }],
    [{ type: 'openSource', location: { func: 'f', file: '/a', line: '3' } }],
    [{ type: 'openSource', location: { func: 'f', file: '/a', line: 1, cmd: 'rm' } }],
    [{ type: 'openSource', location: { func: 'f', file: 'x'.repeat(5000), line: 1 } }],
  ])('rejects %j', (m) => {
    expect(parseFlameWebviewMessage(m)).toBeUndefined();
  });
});
