// The SSE response of GET /api/live: `retry`, then one `alert` event per alert (`id:` = alert id, so
// EventSource resumes with Last-Event-ID), a `ready` event once the back-fill is out, and a comment
// line every 15 s so proxies keep the connection open. Ends cleanly when the client goes away.
import type { LiveAlert } from '@tradeassist/db/live-alert';
import type { AlertFeed, FeedSubscription } from '@tradeassist/db/live-feed';

/** The little of a pino logger this needs. */
export interface SseLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SseOptions {
  feed: AlertFeed;
  afterId: string | null;
  userId: string | null;
  signal: AbortSignal;
  logger: SseLogger;
  heartbeatMs?: number;
  /** Events queued for a client that does not read; beyond this it is dropped and resumes later. */
  maxQueued?: number;
}

const encoder = new TextEncoder();

export function alertEvent(a: LiveAlert): string {
  return `id: ${a.id}\nevent: alert\ndata: ${JSON.stringify(a)}\n\n`;
}

export function sseResponse(o: SseOptions): Response {
  const heartbeatMs = o.heartbeatMs ?? 15_000;
  const maxQueued = o.maxQueued ?? 5_000;
  let sub: FeedSubscription | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let done = false;

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const finish = () => {
          if (done) return;
          done = true;
          clearInterval(heartbeat);
          sub?.close();
          o.signal.removeEventListener('abort', finish);
          try {
            controller.close();
          } catch {
            // already closed or cancelled by the client
          }
        };
        const write = (s: string) => {
          if (done) return;
          if ((controller.desiredSize ?? 0) < -maxQueued) {
            o.logger.warn(
              { queued: -(controller.desiredSize ?? 0) },
              'live client too slow; closing (it resumes)',
            );
            finish();
            return;
          }
          controller.enqueue(encoder.encode(s));
        };
        if (o.signal.aborted) return finish();
        o.signal.addEventListener('abort', finish);
        write(`retry: 2000\n: connected\n\n`);
        heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
        let backfilled = 0;
        o.feed
          .subscribe({
            afterId: o.afterId,
            userId: o.userId,
            onAlert: (a) => {
              backfilled++;
              write(alertEvent(a));
            },
          })
          .then((s) => {
            if (done) return s.close();
            sub = s;
            write(`event: ready\ndata: ${JSON.stringify({ backfilled })}\n\n`);
          })
          .catch((e) => {
            // Not an HTTP error: EventSource gives up on those. Closing makes it reconnect and resume.
            o.logger.error(
              { err: { message: (e as Error).message }, afterId: o.afterId },
              'live subscribe failed',
            );
            finish();
          });
      },
      cancel() {
        done = true;
        clearInterval(heartbeat);
        sub?.close();
      },
    },
    { highWaterMark: 1 },
  );

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
