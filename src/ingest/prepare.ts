/**
 * One streaming pass over each input file: its SHA-256, its size and whether it is valid UTF-8.
 * Windows-1252 files are then transcoded to UTF-8 in a stream (DuckDB's reader only knows UTF-8,
 * UTF-16 and latin-1, and latin-1 refuses the bytes 0x80–0x9F where Windows-1252 puts € ’ œ).
 * The raw file is archived under its hash (content-addressed) so a period can be rebuilt.
 */
import { constants, createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { copyFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { Worker } from 'node:worker_threads';
import { factsOf, type FileFacts } from './file-facts.mjs';

export type { FileFacts };

/** From this size on, a file is hashed in a worker thread (starting one costs 50–80 ms here). */
const WORKER_FROM = 32 << 20;

/**
 * Hashes the file and checks UTF-8 validity in one pass (src/ingest/file-facts.mjs): on the main
 * thread for small files, in a worker thread for large ones, so that the main thread (the scan)
 * and DuckDB go on meanwhile.
 */
export async function fileFacts(path: string): Promise<FileFacts> {
  const { size } = await stat(path);
  if (size < WORKER_FROM) return factsOf(path);
  return new Promise<FileFacts>((resolve, reject) => {
    const w = new Worker(new URL('./file-facts.mjs', import.meta.url), { workerData: { fileFactsOf: path } });
    w.once('message', (m: { facts?: FileFacts; error?: { message: string } }) => (m.facts ? resolve(m.facts) : reject(Object.assign(new Error(m.error?.message), m.error))));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`the hashing worker stopped (exit code ${code}) before it answered`)));
  });
}

/** Streams a Windows-1252 or UTF-16 file into a UTF-8 copy (byte order marks dropped). */
export async function transcodeToUtf8(src: string, dst: string, from: 'windows-1252' | 'utf-16le' | 'utf-16be', skipUtf8Bom = false): Promise<void> {
  const codec = from === 'windows-1252' ? 'win1252' : from;
  await pipeline(
    createReadStream(src, { highWaterMark: 1 << 20, start: skipUtf8Bom ? 3 : 0 }),
    iconv.decodeStream(codec, { stripBOM: true }),
    iconv.encodeStream('utf8'),
    createWriteStream(dst),
  );
}

/** Copies the raw file to `<archiveDir>/<sha[0:2]>/<sha>` unless already there; returns the path. */
export async function archiveFile(src: string, sha256: string, archiveDir: string): Promise<string> {
  const dir = join(archiveDir, sha256.slice(0, 2));
  const dst = join(dir, sha256);
  if (existsSync(dst)) return dst;
  mkdirSync(dir, { recursive: true });
  const tmp = `${dst}.tmp-${process.pid}`;
  // FICLONE: a copy-on-write clone where the file system supports it, a kernel copy elsewhere.
  await copyFile(src, tmp, constants.COPYFILE_FICLONE);
  await rename(tmp, dst);
  return dst;
}


