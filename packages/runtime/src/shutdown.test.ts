import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { createShutdown } from './shutdown.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger({ component: 'test', level: 'debug', destination }) };
}

describe('graceful shutdown', () => {
  it('runs the steps in order once, aborts the signal, and reports a failing step', async () => {
    const { logger, lines } = capture();
    const sd = createShutdown({ logger, exit: false, signals: [], handleFatal: false });
    const order: string[] = [];
    sd.onShutdown('stop intake', () => {
      order.push('intake');
    });
    sd.onShutdown('flush', async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push('flush');
      throw new Error('disk full');
    });
    sd.onShutdown('close pool', () => {
      order.push('pool');
    });
    const first = sd.shutdown('test');
    const second = sd.shutdown('again');
    expect(sd.signal.aborted).toBe(true);
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(order).toEqual(['intake', 'flush', 'pool']);
    expect(lines.find((l) => l.msg === 'shutdown step failed')).toMatchObject({
      step: 'flush',
      component: 'test',
    });
  });

  it('gives up on a hanging step at the deadline', async () => {
    const { logger, lines } = capture();
    const sd = createShutdown({ logger, exit: false, signals: [], handleFatal: false, timeoutMs: 50 });
    sd.onShutdown('hang', () => new Promise(() => {}));
    void sd.shutdown('test');
    await new Promise((r) => setTimeout(r, 120));
    expect(lines.find((l) => l.msg === 'shutdown did not finish in time; exiting')).toMatchObject({
      timeout_ms: 50,
    });
  });
});

describe('logger', () => {
  it('writes JSON lines with the component and censors secrets', () => {
    const { logger, lines } = capture();
    logger.info({ password: 'hunter2', db: { password: 'x', host: 'h' } }, 'hello');
    expect(lines[0]).toMatchObject({
      level: 'info',
      component: 'test',
      msg: 'hello',
      password: '***',
      db: { password: '***', host: 'h' },
    });
  });
});
