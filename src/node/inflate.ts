// Node-side gzip decompression for decodeProfile: zlib's errors become ProfileErrors that say
// what happened to the file and what to do.
import { gunzipSync } from 'node:zlib';
import { ProfileError } from '../core/pprof/model';

/** deflate's best ratio is about 1032:1; a gzip trailer claiming more than that is lying. */
const MAX_DEFLATE_RATIO = 1032;
/** Above this the size hint is not used: zlib then grows its output in ordinary chunks. */
const MAX_HINT = 1 << 30;

/**
 * Decompresses a whole gzip stream. Throws ProfileError when the stream is truncated or corrupt.
 *
 * The gzip trailer's ISIZE (uncompressed size mod 2^32) is used as zlib's output chunk size, so a
 * large profile inflates into one buffer with no concatenation copy (that copy would double the
 * peak memory of a 150 MB profile).
 */
export function gunzip(bytes: Uint8Array): Uint8Array {
  let chunkSize = 64 * 1024;
  if (bytes.length >= 18) {
    const n = bytes.length;
    const isize = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
    if (isize + 1 > chunkSize && isize < MAX_HINT && isize <= n * MAX_DEFLATE_RATIO) chunkSize = isize + 1;
  }
  try {
    return gunzipSync(bytes, { chunkSize });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { code?: string };
    const msg = err && typeof err.message === 'string' ? err.message : String(e);
    if (err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(msg)) {
      throw new ProfileError(
        `the file is truncated: gzip stream ended early (${bytes.length} bytes read). ` +
          'The profile was probably cut off while being saved or downloaded: capture it again.',
      );
    }
    throw new ProfileError(`the file is corrupt: its gzip data is damaged (${msg}). Capture the profile again.`);
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
