// Runs the configured market-data source until it ends or shutdown aborts it, keeping FeedStatus
// current. Each batch goes to `onBatch`: the screener engine plugs in there; without it the worker
// still proves the feed end to end (connected, records flowing) for /health and the heartbeat.

import { createDatabentoSource } from '@tradeassist/market-data/live';
import type { MarketDataSource, SourceBatch, SourceEvent } from '@tradeassist/market-data/source';
import { createSource } from '@tradeassist/market-data/sources';
import type { Logger } from '@tradeassist/runtime/logger';
import type { FeedStatus } from './feed-status.ts';

export interface DatabentoSettings {
  apiKey: string;
  dataset: string;
  /** Live schemas to subscribe to; the engine's choice when absent. */
  schemas: readonly string[];
  gateway?: string | undefined;
}

export interface FeedLoopOptions {
  /** `replay:PATH`, `sim:SEED[:MINUTES]` or `databento` (validated by env.ts). */
  source: string;
  feed: FeedStatus;
  signal: AbortSignal;
  logger: Logger;
  databento?: DatabentoSettings;
  /** A returned promise pauses the source until it settles (back-pressure of finite sources). */
  onBatch?: (batch: SourceBatch) => Promise<void> | undefined | void;
  /** Every source event (after FeedStatus and the log saw it). */
  onEvent?: (e: SourceEvent) => void;
  /** Pacing of finite sources; a long-running worker replays them as recorded (realtime). */
  speed?: 'max' | 'realtime' | number;
  /** Pre-market minutes of a `sim:` source (SIM_PRE_MARKET_MINUTES); the simulator's default when unset. */
  simPreMarketMinutes?: number;
}

export async function runFeed(opts: FeedLoopOptions): Promise<void> {
  const { feed, logger } = opts;
  const onEvent = (e: SourceEvent) => {
    feed.onEvent(e);
    const level =
      e.type === 'error' ? 'error' : e.type === 'warning' || e.type === 'disconnected' ? 'warn' : 'info';
    logger[level]({ event: e }, `feed ${e.type}`);
    opts.onEvent?.(e);
  };
  feed.connecting();
  let source: MarketDataSource;
  try {
    if (opts.source === 'databento') {
      if (!opts.databento)
        throw new Error('SCREENER_SOURCE is databento but no Databento settings were given');
      const d = opts.databento;
      source = createDatabentoSource(
        {
          apiKey: d.apiKey,
          dataset: d.dataset,
          schemas: d.schemas as Parameters<typeof createDatabentoSource>[0]['schemas'],
          ...(d.gateway ? { gateway: d.gateway } : {}),
        },
        { onEvent },
      );
    } else {
      source = await createSource(opts.source, {
        speed: opts.speed ?? 'realtime',
        onEvent,
        ...(opts.simPreMarketMinutes !== undefined
          ? { sim: { preMarketMinutes: opts.simPreMarketMinutes } }
          : {}),
      });
    }
  } catch (err) {
    feed.onEvent({ type: 'error', message: (err as Error).message });
    logger.error({ err }, 'cannot open the market-data source');
    return;
  }
  try {
    for await (const batch of source.batches(opts.signal)) {
      feed.onRecords(batch.records.count);
      const wait = opts.onBatch?.(batch);
      if (wait) await wait;
    }
    if (!opts.signal.aborted) {
      feed.ended();
      logger.info({ source: opts.source }, 'market-data source ended');
    }
  } catch (err) {
    if (!opts.signal.aborted) {
      feed.onEvent({ type: 'error', message: (err as Error).message });
      logger.error({ err }, 'market-data source failed');
    }
  } finally {
    await source.close();
  }
}
