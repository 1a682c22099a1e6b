// Node-side gzip decompression for decodeProfile: zlib's errors become ProfileErrors that say
// what happened to the file and what to do.
import { kMaxLength } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { ProfileError } from '../core/pprof/model';

/** deflate's best ratio is about 1032:1; a stream that inflates to more than that is lying. */
const MAX_DEFLATE_RATIO = 1032;
/**
 * The first output buffer is at most this many times the compressed size (plus 1 MiB): pprof
 * profiles compress 3–10×, so one buffer usually holds the whole output (no concatenation copy,
 * which would double the peak memory of a 150 MB profile), while a trailer that lies about the
 * size costs no more than that.
 */
const FIRST_CHUNK_RATIO = 16;

/**
 * Decompresses a whole gzip stream. Throws ProfileError when the stream is truncated or corrupt.
 *
 * The gzip trailer's ISIZE (uncompressed size mod 2^32) is only a hint: it sizes the first
 * output buffer up to FIRST_CHUNK_RATIO × the file, and the output grows chunk by chunk as it
 * inflates beyond that, never past MAX_DEFLATE_RATIO × the file (what deflate can produce).
 */
export function gunzip(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  let chunkSize = 64 * 1024;
  if (n >= 18) {
    const isize =
      (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
    chunkSize = Math.max(chunkSize, Math.min(isize + 1, FIRST_CHUNK_RATIO * n + (1 << 20)));
  }
  const maxOutputLength = Math.min(kMaxLength, MAX_DEFLATE_RATIO * n + (1 << 16));
  try {
    return gunzipSync(bytes, { chunkSize, maxOutputLength });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { code?: string };
    const msg = err && typeof err.message === 'string' ? err.message : String(e);
    if (err?.code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ProfileError(
        `the file is corrupt: its gzip data inflates to more than ${MAX_DEFLATE_RATIO}× its ${n} bytes, which deflate cannot produce. Capture the profile again.`,
      );
    }
    if (err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(msg)) {
      throw new ProfileError(
        `the file is truncated: gzip stream ended early (${bytes.length} bytes read). ` +
          'The profile was probably cut off while being saved or downloaded: capture it again.',
      );
    }
    throw new ProfileError(
      `the file is corrupt: its gzip data is damaged (${msg}). Capture the profile again.`,
    );
  }
}

/**
 * `bytes` decompressed when it starts with the gzip magic, else `bytes` itself. For large files:
 * `decodeProfile(inflateIfGzip(readFileSync(path)), gunzip)` lets the compressed bytes be freed
 * while the profile decodes (decodeProfile then sees raw protobuf), lowering the peak memory by
 * the size of the compressed file.
 */
export function inflateIfGzip(bytes: Uint8Array): Uint8Array {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes) : bytes;
}
