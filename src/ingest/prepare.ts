/**
 * One streaming pass over each input file: its SHA-256, its size and whether it is valid UTF-8.
 * Windows-1252 files are then transcoded to UTF-8 in a stream (DuckDB's reader only knows UTF-8,
 * UTF-16 and latin-1, and latin-1 refuses the bytes 0x80–0x9F where Windows-1252 puts € ’ œ).
 * The raw file is archived under its hash (content-addressed) so a period can be rebuilt.
 */
import { createHash } from 'node:crypto';
import { constants, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, rename, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { cutUtf8Tail } from '../util/csv.ts';

export interface FileFacts {
  size: number;
  sha256: string;
  /** Every byte sequence is valid UTF-8. */
  utf8: boolean;
  bom: boolean;
}

/** Hashes the file and checks UTF-8 validity in one pass. */
export async function fileFacts(path: string): Promise<FileFacts> {
  const hash = createHash('sha256');
  let utf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  let bom = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (first) {
      bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
    }
    if (utf8) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const keep = cutUtf8Tail(buf);
      utf8 = isUtf8(buf.subarray(0, buf.length - keep));
      carry = Buffer.from(buf.subarray(buf.length - keep));
    }
  }
  if (carry.length) utf8 = false;
  const { size } = await stat(path);
  return { size, sha256: hash.digest('hex'), utf8, bom };
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

/**
 * Removes from the raw archive every file no load kept (status loaded or unloaded: `reload`
 * needs the unloaded ones' files): copies of a refused or failed attempt, or left by a crash.
 */
export async function pruneArchive(wh: { all<T>(sql: string): Promise<T[]> }, archiveDir: string): Promise<number> {
  if (!existsSync(archiveDir)) return 0;
  // By the archive entry's own name (a people file's entry is its copy without rejected lines).
  const kept = new Set(
    (await wh.all<{ p: string }>(`SELECT DISTINCT f.archive_path AS p FROM load_files f JOIN loads l USING (load_id) WHERE l.status IN ('loaded', 'unloaded') AND f.archive_path IS NOT NULL`)).map((r) => r.p.split(/[\\/]/).pop()!),
  );
  let removed = 0;
  for (const d of readdirSync(archiveDir)) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const name of readdirSync(join(archiveDir, d))) {
      const sha = name.replace(/\.tmp-\d+$/, '');
      if (kept.has(sha) && sha === name) continue;
      rmSync(join(archiveDir, d, name), { force: true });
      removed++;
    }
  }
  return removed;
}

