import { describe, expect, it } from 'vitest';
import { flameValidators } from '../../../src/protocol/flame';
import { parseRequest } from '../../../src/protocol/rpc';

const q = {
  sampleType: 1,
  filter: { focus: 'main\\.', pruneRuntime: true, tagFocus: ['worker=sort'] },
};
const req = (method: string, params?: unknown) => ({
  rpc: 'request',
  id: 7,
  method,
  ...(params === undefined ? {} : { params }),
});

describe('flame requests', () => {
  it.each([
    ['ready', {}],
    ['ready', { first: { sampleType: null, filter: {}, inverted: false, normalize: false } }],
    ['ready', { first: { sampleType: 2, filter: q.filter, inverted: true, normalize: true } }],
    ['saveAs', {}],
    ['tree', { query: q, inverted: true, normalize: false, focusPath: ['main.main', 'main.work'] }],
    ['top', { query: { sampleType: 0, filter: {} }, normalize: true }],
    ['sandwich', { query: q, fn: { name: 'main.f', file: 'main.go' } }],
    ['activeQuery', { query: q, normalize: false }],
    ['openSource', { location: { func: 'main.f', file: '/x/main.go', line: 12 } }],
    ['export', { format: 'folded', query: q, normalize: false }],
    ['export', { format: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }],
    ['export', { format: 'png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }],
    ['export', { format: 'pprof' }],
  ])('accepts %s %j', (method, params) => {
    expect(parseRequest(flameValidators, req(method, params))).toEqual({ id: 7, method, params });
  });

  it('takes a missing params as none', () => {
    expect(parseRequest(flameValidators, req('saveAs'))).toEqual({
      id: 7,
      method: 'saveAs',
      params: {},
    });
  });

  it.each([
    [null],
    ['ready'],
    [{ type: 'ready' }],
    [req('nope', {})],
    [req('toString', {})],
    [req('constructor', {})],
    [{ ...req('ready', {}), extra: 1 }],
    [{ ...req('ready', {}), id: -1 }],
    [{ ...req('ready', {}), id: 1.5 }],
    [req('ready', { extra: 1 })],
    [req('ready', { first: { sampleType: -1, filter: {}, inverted: false, normalize: false } })],
    [
      req('ready', {
        first: { sampleType: null, filter: { exec: 'x' }, inverted: false, normalize: false },
      }),
    ],
    [req('saveAs', { extra: 1 })],
    [
      req('tree', {
        query: { sampleType: -1, filter: {} },
        inverted: false,
        normalize: false,
        focusPath: [],
      }),
    ],
    [req('tree', { query: q, inverted: false, normalize: false })],
    [req('tree', { query: q, inverted: false, normalize: false, focusPath: ['main', 7] })],
    [req('tree', { query: q, inverted: false, normalize: false, focusPath: 'main' })],
    [
      req('tree', {
        query: { sampleType: 0, filter: { focus: 3 } },
        inverted: false,
        normalize: false,
        focusPath: [],
      }),
    ],
    [
      req('tree', {
        query: { sampleType: 0, filter: { exec: 'rm -rf' } },
        inverted: false,
        normalize: false,
        focusPath: [],
      }),
    ],
    [
      req('tree', {
        query: { sampleType: 0, filter: { tagFocus: 'a=b' } },
        inverted: false,
        normalize: false,
        focusPath: [],
      }),
    ],
    [req('top', { query: q })],
    [req('sandwich', { query: q, fn: { name: 1 } })],
    [req('openSource', { location: { func: 'f', file: '', line: 1 } })],
    [req('openSource', { location: { func: 'f', file: '/a\0b', line: 1 } })],
    [req('openSource', { location: { func: 'f', file: '/a', line: '3' } })],
    [req('openSource', { location: { func: 'f', file: '/a', line: 1, cmd: 'rm' } })],
    [req('export', { format: 'svg', svg: '<script>alert(1)</script>' })],
    [req('export', { format: 'png', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' })],
    [req('export', { format: 'pdf' })],
  ])('rejects %j', (m) => {
    expect(parseRequest(flameValidators, m)).toBeUndefined();
  });
});
