// The alert writer's disk spool: append-only JSON-lines segment files in one directory, each write
// fsynced before it is acknowledged. It doubles as the write-ahead log in durable mode. Files sort
// by name in the order they were written; a replayed file is deleted only after its rows committed.
// Appends, seals and commit bookkeeping run one after another in call order; appends that queue up
// behind a running fsync are written together and share the next one (group commit), so they are
// acknowledged in the order they were made.
//
// One writer per directory: a LOCK file names the owning pid, and a second live owner is refused.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const SUFFIX = '.jsonl';
const LOCK = 'LOCK';

export interface SpoolLine {
  /** 1-based line number, for error messages. */
  line: number;
  value?: unknown;
  error?: string;
}

/** An open segment file: what append() wrote to, for committed(). */
export interface SpoolSegment {
  readonly path: string;
  readonly fh: FileHandle;
  written: number;
  committed: number;
}

interface PendingAppend {
  lines: string;
  count: number;
  resolve: (seg: SpoolSegment) => void;
  reject: (e: Error) => void;
}

export class AlertSpool {
  readonly dir: string;
  private current: SpoolSegment | undefined;
  private pending: PendingAppend[] = [];
  private ops: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private readonly tag = randomBytes(3).toString('hex');

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.lock();
  }

  /** Segment files on disk, oldest first (including the open one, if any). */
  files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(SUFFIX))
      .sort()
      .map((f) => join(this.dir, f));
  }

  /** Files that are not being appended to: these are safe to replay. */
  sealedFiles(): string[] {
    return this.files().filter((f) => f !== this.current?.path);
  }

  get openSegmentLength(): number {
    return this.current?.written ?? 0;
  }

  /**
   * Appends pre-serialized lines and fsyncs; when this resolves, the lines (and those of every
   * earlier append) survive a crash. Resolves with the segment they went to, for committed().
   */
  append(lines: string, count: number): Promise<SpoolSegment> {
    return new Promise((resolve, reject) => {
      this.pending.push({ lines, count, resolve, reject });
      if (this.pending.length === 1) void this.enqueue(() => this.writePending());
    });
  }

  private async writePending(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    let c = this.current;
    try {
      if (!c) {
        const path = join(this.dir, this.nextName());
        const fh = await open(path, 'a');
        this.syncDir(); // the new directory entry must survive a power cut too
        c = { path, fh, written: 0, committed: 0 };
        this.current = c;
      }
      await c.fh.write(group.length === 1 ? group[0]!.lines : group.map((g) => g.lines).join(''));
      await c.fh.datasync();
    } catch (e) {
      const err = new Error(`alert spool: cannot write ${c?.path ?? this.dir}: ${(e as Error).message}`, {
        cause: e,
      });
      for (const g of group) g.reject(err);
      return;
    }
    for (const g of group) {
      c.written += g.count;
      g.resolve(c);
    }
  }

  /** Runs `op` after every operation queued before it. */
  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const p = this.ops.then(op);
    this.ops = p.catch(() => {});
    return p;
  }

  /** A separate, synchronously written and fsynced file: for the last moments before exit. */
  appendSync(lines: string): void {
    const path = join(this.dir, this.nextName());
    const fd = openSync(path, 'a');
    try {
      writeSync(fd, lines);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.syncDir();
  }

  /**
   * Records that `count` lines appended to `seg` reached the database. A full open segment whose
   * every line committed is deleted, so a healthy durable writer keeps at most one small file; a
   * sealed one stays for the replay, which deletes it.
   */
  committed(seg: SpoolSegment, count: number, maxLines: number): Promise<void> {
    return this.enqueue(async () => {
      seg.committed += count;
      if (seg === this.current && seg.committed >= seg.written && seg.written >= maxLines)
        await this.dropCurrent();
    });
  }

  /** Deletes the open segment if everything in it committed (clean shutdown). */
  closeCommitted(): Promise<void> {
    return this.enqueue(async () => {
      const c = this.current;
      if (c && c.committed >= c.written) await this.dropCurrent();
      else await this.sealNow();
    });
  }

  /** Closes the open segment (after the appends queued before); the next append starts a new file. */
  seal(): Promise<void> {
    return this.enqueue(() => this.sealNow());
  }

  private async sealNow(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    await c?.fh.close();
  }

  async remove(path: string): Promise<void> {
    await unlink(path);
  }

  /** Parses a segment. A torn last line (no newline: the crash hit mid-write, before fsync returned) is skipped. */
  async read(path: string): Promise<SpoolLine[]> {
    const text = await readFile(path, 'utf8');
    const parts = text.split('\n');
    const torn = parts.pop(); // '' when the file ends with a newline
    const out: SpoolLine[] = [];
    parts.forEach((p, i) => {
      if (p === '') return;
      try {
        out.push({ line: i + 1, value: JSON.parse(p) });
      } catch (e) {
        out.push({ line: i + 1, error: `bad JSON in ${path}:${i + 1}: ${(e as Error).message}` });
      }
    });
    if (torn) out.push({ line: parts.length + 1, error: `torn last line in ${path} (never acknowledged)` });
    return out;
  }

  unlock(): void {
    try {
      const p = join(this.dir, LOCK);
      if (readFileSync(p, 'utf8').trim() === String(process.pid)) writeFileSync(p, '');
    } catch {
      // best effort: a stale lock is taken over by the next owner anyway
    }
  }

  // Names sort by creation time; the counter and tag keep them unique within one millisecond.
  private nextName(): string {
    return `alerts-${String(Date.now()).padStart(15, '0')}-${String(this.seq++).padStart(6, '0')}-${this.tag}${SUFFIX}`;
  }

  private async dropCurrent(): Promise<void> {
    const c = this.current;
    if (!c) return;
    await this.sealNow();
    await unlink(c.path);
  }

  private lock(): void {
    const p = join(this.dir, LOCK);
    let owner = 0;
    try {
      owner = Number(readFileSync(p, 'utf8').trim()) || 0;
    } catch {
      // no lock file yet
    }
    if (owner && owner !== process.pid && alive(owner)) {
      throw new Error(
        `alert spool ${this.dir} is in use by pid ${owner}: give each writer its own directory`,
      );
    }
    writeFileSync(p, String(process.pid));
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
