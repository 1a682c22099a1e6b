import { describe, expect, it } from 'vitest';
import { parseTarget, TargetError } from '../../../src/core/collect/target';
import { captureFileName } from '../../../src/core/collect/capture-name';
import { describeBadResponse, describeNetworkFailure } from '../../../src/core/collect/http-errors';

describe('parseTarget', () => {
  it.each([
    ['localhost:6060', 'http://localhost:6060/debug/pprof', 'localhost:6060', 'localhost_6060'],
    ['6060', 'http://localhost:6060/debug/pprof', 'localhost:6060', 'localhost_6060'],
    [':6060', 'http://localhost:6060/debug/pprof', 'localhost:6060', 'localhost_6060'],
    [
      'http://127.0.0.1:6060',
      'http://127.0.0.1:6060/debug/pprof',
      '127.0.0.1:6060',
      '127.0.0.1_6060',
    ],
    [
      'http://127.0.0.1:6060/',
      'http://127.0.0.1:6060/debug/pprof',
      '127.0.0.1:6060',
      '127.0.0.1_6060',
    ],
    [
      'http://127.0.0.1:6060/debug/pprof/',
      'http://127.0.0.1:6060/debug/pprof',
      '127.0.0.1:6060',
      '127.0.0.1_6060',
    ],
    [
      'http://127.0.0.1:6060/debug/pprof/profile?seconds=5',
      'http://127.0.0.1:6060/debug/pprof',
      '127.0.0.1:6060',
      '127.0.0.1_6060',
    ],
    [
      '  HTTPS://Api.Example.com/admin/debug/pprof  ',
      'https://api.example.com/admin/debug/pprof',
      'api.example.com',
      'api.example.com',
    ],
    ['http://svc:8080/internal', 'http://svc:8080/internal/debug/pprof', 'svc:8080', 'svc_8080'],
    ['[::1]:6060', 'http://[::1]:6060/debug/pprof', '[::1]:6060', '_1_6060'],
  ])('%s', (input, baseUrl, label, slug) => {
    expect(parseTarget(input)).toEqual({ baseUrl, label, slug });
  });

  it('keeps a configured name as the label', () => {
    expect(parseTarget('localhost:1', 'api').label).toBe('api');
  });

  it.each([
    ['', /No target given/],
    ['ftp://host:21', /uses ftp:\/\//],
    ['host:99999', /out of range/],
    ['not a url at all', /is not a host:port or URL/],
  ])('rejects %j', (input, message) => {
    expect(() => parseTarget(input)).toThrow(TargetError);
    expect(() => parseTarget(input)).toThrow(message);
  });
});

describe('captureFileName', () => {
  it('groups by target and names kind and local time', () => {
    const d = new Date(2026, 10, 21, 9, 5, 7);
    expect(captureFileName('localhost_6060', 'cpu', d)).toBe(
      'localhost_6060/cpu-20261121-090507.pb.gz',
    );
    expect(captureFileName('h', 'trace', d, false)).toBe('h/trace-20261121-090507-partial.trace');
  });
});

describe('HTTP failure messages', () => {
  it('says nothing listens and how to serve pprof', () => {
    const m = describeNetworkFailure({
      code: 'ECONNREFUSED',
      url: 'http://127.0.0.1:1/debug/pprof/profile',
    });
    expect(m).toContain('Nothing is listening at 127.0.0.1:1');
    expect(m).toContain('net/http/pprof');
  });
  it('names the wait for a hung target', () => {
    expect(
      describeNetworkFailure({
        code: 'TIMEOUT',
        url: 'http://x/debug/pprof/profile',
        waitedSeconds: 35,
      }),
    ).toContain('within 35s');
  });
  it('explains a 404 as a program without pprof', () => {
    const m = describeBadResponse({
      url: 'http://h/debug/pprof/profile',
      status: 404,
      contentType: 'text/plain',
      bodyStart: '404 page not found',
      expected: 'a CPU profile',
    });
    expect(m).toMatch(/404 Not Found.*does not serve net\/http\/pprof/);
  });
  it('recognises an HTML page', () => {
    const m = describeBadResponse({
      url: 'http://h/x',
      status: 200,
      contentType: 'text/html; charset=utf-8',
      bodyStart: '<!DOCTYPE html><html>',
      expected: 'a CPU profile',
    });
    expect(m).toMatch(/HTML page instead of a CPU profile/);
  });
  it('passes the server reason of other errors through', () => {
    const m = describeBadResponse({
      url: 'u',
      status: 500,
      contentType: 'text/plain',
      bodyStart: 'Could not enable CPU profiling: cpu profiling already in use\n',
      expected: 'a CPU profile',
    });
    expect(m).toBe('u answered 500: Could not enable CPU profiling: cpu profiling already in use.');
  });
  it('accepts a binary 200 answer', () => {
    expect(
      describeBadResponse({
        url: 'u',
        status: 200,
        contentType: 'application/octet-stream',
        bodyStart: '\x1f\x8b\x08',
        expected: 'x',
      }),
    ).toBeUndefined();
  });
});
