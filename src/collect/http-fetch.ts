// One GET to a pprof endpoint, with a deadline, cancellation and the body kept even when the
// transfer breaks off, so a capture that fails halfway keeps what arrived.
import * as http from 'node:http';
import * as https from 'node:https';
import { describeNetworkFailure } from '../core/collect/http-errors';
import { formatBytes, formatMs } from '../core/format/units';

/** The request could not be made or got no answer; the message is for the user. */
export class CaptureError extends Error {
  override name = 'CaptureError';
}

export interface FetchResult {
  status: number;
  contentType: string;
  bytes: Uint8Array;
  /** False when the connection broke before the body was complete. */
  complete: boolean;
  /** Why the body is incomplete. */
  error?: string;
}

export interface FetchOptions {
  signal?: AbortSignal;
  /** Deadline for the whole request, answer included. */
  timeoutMs: number;
  onBytes?: (received: number) => void;
}

/** Body size above which we stop reading: no pprof answer is this big; a wrong URL could be. */
const MAX_BODY_BYTES = 2 * 1024 ** 3;

export function fetchBytes(url: string, options: FetchOptions): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith('https:') ? https : http;
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    let response: http.IncomingMessage | undefined;
    const finish = (complete: boolean, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        status: response?.statusCode ?? 0,
        contentType: String(response?.headers['content-type'] ?? ''),
        bytes: new Uint8Array(Buffer.concat(chunks)),
        complete,
        error,
      });
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const req = lib.get(url, { headers: { 'User-Agent': 'go-lens' } }, (res) => {
      response = res;
      res.on('data', (d: Buffer) => {
        chunks.push(d);
        received += d.length;
        options.onBytes?.(received);
        if (received > MAX_BODY_BYTES) {
          req.destroy();
          finish(false, `the answer exceeded ${formatBytes(MAX_BODY_BYTES)} and was cut off`);
        }
      });
      res.on('end', () =>
        finish(
          res.complete,
          res.complete ? undefined : 'the connection closed before the answer was complete',
        ),
      );
      res.on('aborted', () =>
        finish(false, 'the target closed the connection mid-answer (did the program exit?)'),
      );
      res.on('error', (err) => finish(false, `the transfer failed: ${err.message}`));
    });
    const timer = setTimeout(() => {
      const waited = Math.round(options.timeoutMs / 1000);
      if (response) {
        req.destroy();
        finish(false, `the answer did not finish within ${formatMs(options.timeoutMs)}`);
      } else {
        req.destroy();
        fail(
          new CaptureError(describeNetworkFailure({ code: 'TIMEOUT', url, waitedSeconds: waited })),
        );
      }
    }, options.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (response) return finish(false, `the transfer failed: ${err.message}`);
      fail(new CaptureError(describeNetworkFailure({ code: err.code ?? err.message, url })));
    });
    options.signal?.addEventListener(
      'abort',
      () => {
        req.destroy();
        fail(new CaptureError('cancelled'));
      },
      { once: true },
    );
  });
}
