/**
 * A file's facts in one synchronous pass: size, SHA-256, whether every byte sequence is valid
 * UTF-8, whether it starts with a UTF-8 byte order mark.
 *
 * Plain JavaScript importing nothing but Node, so that the same code runs on the main thread
 * (small files) and as a worker thread (large files: hashing 400 MB costs about 0.4 s of CPU,
 * done beside the main thread's scan of the same file instead of before it) both from the
 * compiled package and from the TypeScript sources under tsx or vitest, which a worker started
 * on a .ts file would not have. Types: file-facts.d.mts.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const CHUNK = 4 << 20;

/** How many bytes at the end of `b` begin a UTF-8 sequence that the next chunk completes. */
function incompleteTail(b, end) {
  for (let k = 1; k <= Math.min(3, end); k++) {
    const byte = b[end - k];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** @param {string} path */
export function factsOf(path) {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    // Up to 3 bytes of an unfinished UTF-8 sequence are carried in front of the next chunk.
    const buf = Buffer.allocUnsafe(CHUNK + 3);
    let carry = 0;
    let utf8 = true;
    let bom = false;
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, carry, CHUNK, null);
      if (n === 0) break;
      hash.update(buf.subarray(carry, carry + n));
      if (size === 0) bom = n >= 3 && buf[carry] === 0xef && buf[carry + 1] === 0xbb && buf[carry + 2] === 0xbf;
      size += n;
      const end = carry + n;
      if (utf8) {
        const keep = incompleteTail(buf, end);
        utf8 = isUtf8(buf.subarray(0, end - keep));
        buf.copyWithin(0, end - keep, end);
        carry = keep;
      }
    }
    if (carry > 0) utf8 = false;
    return { size, sha256: hash.digest('hex'), utf8, bom };
  } finally {
    closeSync(fd);
  }
}

// Started as a worker (see fileFacts in prepare.ts): compute and post the facts, or the error.
if (parentPort && workerData && typeof workerData.fileFactsOf === 'string') {
  try {
    parentPort.postMessage({ facts: factsOf(workerData.fileFactsOf) });
  } catch (e) {
    parentPort.postMessage({ error: { message: e.message, code: e.code, syscall: e.syscall, path: e.path, errno: e.errno } });
  }
}
