// What a previous launcher left running when it was killed outright (SIGKILL, a crash): the
// children's process groups are recorded in LOCAL_DATA_DIR/demo-pids.json and, if a process with
// that pid still runs the same command line, its group is stopped before a new run starts.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Entry {
  name: string;
  pid: number;
  cmdline: string;
}

function cmdlineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return null;
  }
}

export class PidFile {
  private readonly path: string;
  private entries: Entry[] = [];

  constructor(dataDir: string) {
    this.path = join(dataDir, 'demo-pids.json');
  }

  /** Stops the leftovers of a previous run; returns their names. */
  async reapStale(): Promise<string[]> {
    if (!existsSync(this.path)) return [];
    let stale: Entry[] = [];
    try {
      stale = JSON.parse(readFileSync(this.path, 'utf8')) as Entry[];
    } catch {
      stale = [];
    }
    const alive = stale.filter((e) => cmdlineOf(e.pid) === e.cmdline);
    for (const e of alive) this.kill(e.pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (alive.some((e) => cmdlineOf(e.pid) === e.cmdline) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const e of alive) this.kill(e.pid, 'SIGKILL');
    rmSync(this.path, { force: true });
    return alive.map((e) => `${e.name} (pid ${e.pid})`);
  }

  add(name: string, pid: number): void {
    const cmdline = cmdlineOf(pid);
    if (cmdline === null) return;
    this.entries.push({ name, pid, cmdline });
    writeFileSync(this.path, JSON.stringify(this.entries));
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }

  private kill(pid: number, sig: NodeJS.Signals) {
    try {
      process.kill(-pid, sig);
    } catch {
      // gone
    }
  }
}
