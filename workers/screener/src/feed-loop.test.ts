import { Writable } from 'node:stream';
import { createLogger } from '@tradeassist/runtime/logger';
import { describe, expect, it } from 'vitest';
import { runFeed } from './feed-loop.ts';
import { FeedStatus } from './feed-status.ts';

const logger = createLogger({
  component: 'test',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

describe('feed loop', () => {
  it('streams a finite source to its end, counting records', async () => {
    const feed = new FeedStatus('sim:7:1');
    let batches = 0;
    let records = 0;
    await runFeed({
      source: 'sim:7:1',
      speed: 'max',
      feed,
      logger,
      signal: new AbortController().signal,
      onBatch: (b) => {
        batches++;
        records += b.records.count;
      },
    });
    const s = feed.snapshot();
    expect(s.state).toBe('ended');
    expect(batches).toBeGreaterThan(0);
    expect(s.records).toBe(records);
    expect(s.last_record_at).not.toBeNull();
  });

  it('stops promptly when shutdown aborts a paced source', async () => {
    const feed = new FeedStatus('sim:7');
    const ac = new AbortController();
    const done = runFeed({
      source: 'sim:7',
      speed: 'realtime',
      feed,
      logger,
      signal: ac.signal,
      onBatch: () => ac.abort(),
    });
    await done;
    expect(feed.snapshot().state).toBe('streaming');
    expect(feed.snapshot().records).toBeGreaterThan(0);
  });

  it('reports a source that cannot open as failed', async () => {
    const feed = new FeedStatus('replay:/nonexistent.dbn');
    await runFeed({ source: 'replay:/nonexistent.dbn', feed, logger, signal: new AbortController().signal });
    expect(feed.snapshot()).toMatchObject({
      state: 'failed',
      last_event: expect.stringContaining('nonexistent'),
    });
  });
});

describe('feed status', () => {
  it('follows the source events', () => {
    const feed = new FeedStatus('databento');
    expect(feed.snapshot().state).toBe('idle');
    feed.onEvent({ type: 'connected', detail: 'gateway ok' });
    expect(feed.snapshot()).toMatchObject({ state: 'streaming', last_event: 'gateway ok' });
    feed.onEvent({ type: 'reconnecting', attempt: 2, delayMs: 800 });
    expect(feed.snapshot()).toMatchObject({ state: 'reconnecting', last_event: 'attempt 2 in 800 ms' });
    feed.onRecords(5);
    expect(feed.snapshot()).toMatchObject({ state: 'streaming', records: 5 });
  });
});
