// Pull-style reading of one TCP connection: text lines for the handshake, then raw chunks for DBN.
// The socket is paused while a few chunks wait unread, so a slow consumer pushes back on the kernel
// (and the gateway, which then warns of a slow reader) instead of growing our heap.
import type { Socket } from 'node:net';
import { LiveError } from './live-error.ts';
import { MAX_LINE } from './protocol.ts';

const HIGH_WATER = 16;

export class SocketReader {
  private readonly queue: Uint8Array[] = [];
  private head = 0;
  private pending: Uint8Array | null = null;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      if (this.queue.length - this.head >= HIGH_WATER) socket.pause();
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (e) => this.fail(e));
  }

  /** The failure that ended the connection, if any. */
  get error(): Error | null {
    return this.failure;
  }

  /** True while the socket is paused because the consumer has not caught up. */
  get backpressured(): boolean {
    return this.socket.isPaused();
  }

  /** Ends reading with `e` (kept if a failure is already recorded) and destroys the socket. */
  fail(e: Error): void {
    this.failure ??= e;
    this.socket.destroy();
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private take(): Uint8Array | null {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    if (this.head < this.queue.length) {
      const c = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Uint8Array;
      if (this.head > 1024) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (this.queue.length - this.head < HIGH_WATER / 2 && this.socket.isPaused()) this.socket.resume();
      return c;
    }
    return null;
  }

  /** Next chunk, or null at a clean end of stream; throws the connection's failure. */
  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const c = this.take();
      if (c) return c;
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      await new Promise<void>((r) => {
        this.wake = r;
      });
    }
  }

  /** Next `\n`-terminated line (without the newline), validated as printable ASCII. */
  async readLine(what: string): Promise<string> {
    let acc = new Uint8Array(0);
    for (;;) {
      const c = await this.read();
      if (c === null) {
        throw new LiveError('disconnected', `gateway closed the connection while waiting for ${what}`, {
          what,
        });
      }
      const nl = c.indexOf(0x0a);
      const part = nl < 0 ? c : c.subarray(0, nl);
      const joined = new Uint8Array(acc.length + part.length);
      joined.set(acc);
      joined.set(part, acc.length);
      acc = joined;
      if (acc.length > MAX_LINE) {
        throw new LiveError(
          'protocol',
          `gateway line longer than ${MAX_LINE} bytes while waiting for ${what}`,
        );
      }
      if (nl >= 0) {
        if (nl + 1 < c.length) this.pending = c.subarray(nl + 1);
        for (const b of acc) {
          if (b < 0x20 || b > 0x7e) {
            throw new LiveError('protocol', `non-printable byte 0x${b.toString(16)} in gateway ${what}`, {
              what,
            });
          }
        }
        return new TextDecoder().decode(acc);
      }
    }
  }
}
