import { describe, expect, it } from 'vitest';
import { parseFlameWebviewMessage } from '../../../src/protocol/flame';

const q = { sampleType: 1, filter: { focus: 'main\\.', pruneRuntime: true, tagFocus: ['worker=sort'] } };

describe('parseFlameWebviewMessage', () => {
  it.each([
    [{ type: 'ready' }],
    [{ type: 'saveAs' }],
    [{ type: 'tree', requestId: 3, query: q, inverted: true, normalize: false, focusPath: ['main.main', 'main.work'] }],
    [{ type: 'top', requestId: 4, query: { sampleType: 0, filter: {} }, normalize: true }],
    [{ type: 'sandwich', requestId: 5, query: q, fn: { name: 'main.f', file: 'main.go' } }],
    [{ type: 'activeQuery', query: q, normalize: false }],
    [{ type: 'openSource', location: { func: 'main.f', file: '/x/main.go', line: 12 } }],
    [{ type: 'export', format: 'folded', query: q, normalize: false }],
    [{ type: 'export', format: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }],
    [{ type: 'export', format: 'png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }],
  ])('accepts %j', (m) => {
    expect(parseFlameWebviewMessage(m)).toEqual(m);
  });
  it.each([
    [null],
    ['ready'],
    [{ type: 'nope' }],
    [{ type: 'ready', extra: 1 }],
    [{ type: 'tree', requestId: 1, query: { sampleType: -1, filter: {} }, inverted: false, normalize: false, focusPath: [] }],
    [{ type: 'tree', requestId: 1, query: q, inverted: false, normalize: false }],
    [{ type: 'tree', requestId: 1, query: q, inverted: false, normalize: false, focusPath: ['main', 7] }],
    [{ type: 'tree', requestId: 1, query: q, inverted: false, normalize: false, focusPath: 'main' }],
    [{ type: 'tree', requestId: 1.5, query: q, inverted: false, normalize: false, focusPath: [] }],
    [{ type: 'tree', requestId: 1, query: { sampleType: 0, filter: { focus: 3 } }, inverted: false, normalize: false, focusPath: [] }],
    [{ type: 'tree', requestId: 1, query: { sampleType: 0, filter: { exec: 'rm -rf' } }, inverted: false, normalize: false, focusPath: [] }],
    [{ type: 'tree', requestId: 1, query: { sampleType: 0, filter: { tagFocus: 'a=b' } }, inverted: false, normalize: false, focusPath: [] }],
    [{ type: 'top', requestId: 1, query: q }],
    [{ type: 'sandwich', requestId: 1, query: q, fn: { name: 1 } }],
    [{ type: 'openSource', location: { func: 'f', file: '', line: 1 } }],
    [{ type: 'openSource', location: { func: 'f', file: '/a\0b', line: 1 } }],
    [{ type: 'openSource', location: { func: 'f', file: '/a', line: '3' } }],
    [{ type: 'openSource', location: { func: 'f', file: '/a', line: 1, cmd: 'rm' } }],
    [{ type: 'export', format: 'svg', svg: '<script>alert(1)</script>' }],
    [{ type: 'export', format: 'png', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }],
    [{ type: 'export', format: 'pdf' }],
  ])('rejects %j', (m) => {
    expect(parseFlameWebviewMessage(m)).toBeUndefined();
  });
});
