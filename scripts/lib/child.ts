// A child process of the launcher: its own process group (so the terminal's Ctrl-C reaches only
// the launcher, which then stops children in order), output prefixed line by line with its name,
// and a stop() that signals, waits, and kills the whole group if it does not exit in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** Signal the whole group on stop (for CLIs like `next` that run their own children). */
  signalGroup?: boolean;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process exits, with its code (or 128+signal). */
  readonly exited: Promise<number>;
  readonly hasExited: boolean;
  /** The last lines it printed, for error messages. */
  tail(n?: number): string[];
  stop(timeoutMs?: number): Promise<void>;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function prefixLines(
  name: string,
  stream: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
  keep: string[],
) {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  rl.on('line', (line) => {
    keep.push(line);
    if (keep.length > 50) keep.shift();
    out.write(`[${name}] ${line}\n`);
  });
}

export function startChild(spec: ChildSpec): Child {
  const proc: ChildProcess = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  const pid = proc.pid;
  const lines: string[] = [];
  // Children log JSON lines on stderr; the launcher's own stdout stays for the URLs summary.
  if (proc.stdout) prefixLines(spec.name, proc.stdout, process.stderr, lines);
  if (proc.stderr) prefixLines(spec.name, proc.stderr, process.stderr, lines);
  let done = false;
  const exited = new Promise<number>((resolve) => {
    proc.on('exit', (code, signal) => {
      done = true;
      resolve(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0));
    });
    proc.on('error', (e) => {
      lines.push(`spawn error: ${e.message}`);
      done = true;
      resolve(127);
    });
  });

  const signal = (sig: NodeJS.Signals, group: boolean) => {
    try {
      process.kill(group ? -pid : pid, sig);
    } catch {
      // already gone
    }
  };

  return {
    name: spec.name,
    pid,
    exited,
    get hasExited() {
      return done;
    },
    tail: (n = 15) => lines.slice(-n),
    async stop(timeoutMs = 12_000) {
      if (!done) {
        signal('SIGTERM', spec.signalGroup ?? false);
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
        if ((await Promise.race([exited, timer])) === 'timeout') {
          process.stderr.write(`[launcher] ${spec.name} did not stop within ${timeoutMs} ms; killing it\n`);
        }
      }
      // Whatever it started and left behind goes too (grandchildren share its group).
      signal('SIGKILL', true);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    },
  };
}
