// The DBN files a rule preview may replay: the regular files of one server-side directory
// (RULE_PREVIEW_REPLAY_DIR). The browser only ever names a file; the name must look like a DBN file
// name (no separators, no leading dot) and be in the directory's listing, so no path from the browser
// reaches the file system.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DbnDecoder, type DbnMetadata } from '@tradeassist/market-data/dbn';
import { z } from 'zod';

/** `name.dbn` or `name.dbn.zst`: letters, digits, `.`, `_`, `-`; never `..`, `/` or a leading dot. */
export const replayFileNameSchema = z
  .string()
  .max(200, 'expected a file name of at most 200 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.dbn(\.zst)?$/, 'expected a .dbn or .dbn.zst file name')
  .refine((n) => !n.includes('..'), 'expected a file name without ..');

/** Files beyond this many are not offered (a directory of thousands would not fit a picker anyway). */
const MAX_FILES = 100;

export interface ReplayFile {
  name: string;
  bytes: number;
}

/** The directory's DBN files by name (none when the directory is unset or unreadable). */
export async function listReplayFiles(dir: string | undefined): Promise<ReplayFile[]> {
  if (!dir) return [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const files: ReplayFile[] = [];
  for (const name of names.sort()) {
    if (!replayFileNameSchema.safeParse(name).success) continue;
    const st = await stat(join(dir, name)).catch(() => null);
    if (st?.isFile()) files.push({ name, bytes: st.size });
    if (files.length === MAX_FILES) break;
  }
  return files;
}

export type ReplayFileLookup = { ok: true; path: string; bytes: number } | { ok: false; message: string };

/** The path of a listed file, or why the name is refused. */
export async function resolveReplayFile(dir: string | undefined, name: unknown): Promise<ReplayFileLookup> {
  if (!dir) return { ok: false, message: 'no replay directory is configured (RULE_PREVIEW_REPLAY_DIR)' };
  const parsed = replayFileNameSchema.safeParse(name);
  if (!parsed.success) {
    return { ok: false, message: `${parsed.error.issues[0]?.message} (got ${JSON.stringify(name)})` };
  }
  const file = (await listReplayFiles(dir)).find((f) => f.name === parsed.data);
  if (!file) return { ok: false, message: `no replay file named ${JSON.stringify(parsed.data)}` };
  return { ok: true, path: join(dir, file.name), bytes: file.bytes };
}

/** Metadata headers hold the symbol mappings: a whole-market file's can run to several MiB. */
const MAX_METADATA_BYTES = 32 * 1024 * 1024;

/** The DBN metadata header of a file (null when the file ends or errs before one is complete). */
export async function readReplayMetadata(path: string): Promise<DbnMetadata | null> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const dec = new DbnDecoder();
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      dec.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (dec.metadata) return dec.metadata;
      read += chunk.byteLength;
      if (read > MAX_METADATA_BYTES) return null;
    }
    return null;
  } catch {
    return null; // the replay itself reports what is wrong with the file, with the byte offset
  } finally {
    stream.destroy();
  }
}
