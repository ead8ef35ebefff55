// Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291). The
// `web-push` library does the cryptography (VAPID JWT, ECDH + HKDF + AES-GCM); the request itself
// goes out with fetch so that it has a hard timeout and so the push service's answer is mapped here
// to what the notifier must do: keep, drop (404/410: the browser unsubscribed) or retry.
import webpush from 'web-push';
import { z } from 'zod';

export interface PushSubscriptionKeys {
  endpoint: string;
  /** Base64url P-256 public key of the browser. */
  p256dh: string;
  /** Base64url auth secret. */
  auth: string;
}

export interface PushMessage {
  /** What the service worker receives (JSON). */
  payload: Record<string, unknown>;
  /**
   * Replaces an undelivered message with the same topic at the push service (RFC 8030 §5.4): a
   * retried send of the same alert does not show twice. Base64url, at most 32 characters.
   */
  topic?: string;
  /** How long the push service keeps it for an offline device; alerts go stale fast. */
  ttlSeconds: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
}

export type PushResult =
  | { outcome: 'sent'; statusCode: number; messageId: string | null }
  /** The subscription is gone for good (404/410): delete it. */
  | { outcome: 'gone'; statusCode: number }
  | { outcome: 'failed'; statusCode: number | null; error: string; retryable: boolean };

export interface PushSender {
  send(subscription: PushSubscriptionKeys, message: PushMessage): Promise<PushResult>;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact for the push service operator. */
  subject: string;
}

export const pushSubscriptionSchema = z.object({
  endpoint: z.string().url().max(2000),
  p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/),
  auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}={0,2}$/),
});

export function createWebPushSender(opts: {
  vapid: VapidKeys;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): PushSender {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    async send(subscription, message) {
      const sub = pushSubscriptionSchema.parse(subscription);
      let details: ReturnType<typeof webpush.generateRequestDetails>;
      try {
        details = webpush.generateRequestDetails(
          { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
          JSON.stringify(message.payload),
          {
            vapidDetails: opts.vapid,
            TTL: message.ttlSeconds,
            contentEncoding: 'aes128gcm',
            ...(message.urgency ? { urgency: message.urgency } : {}),
            ...(message.topic ? { topic: message.topic } : {}),
          },
        );
      } catch (e) {
        // A malformed key or an oversized payload: retrying cannot help.
        return { outcome: 'failed', statusCode: null, error: (e as Error).message, retryable: false };
      }
      let res: Response;
      try {
        res = await doFetch(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body as Uint8Array<ArrayBuffer> | null,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        return { outcome: 'failed', statusCode: null, error: (e as Error).message, retryable: true };
      }
      const text = await res.text().catch(() => '');
      if (res.status >= 200 && res.status < 300) {
        return { outcome: 'sent', statusCode: res.status, messageId: res.headers.get('location') };
      }
      if (res.status === 404 || res.status === 410) return { outcome: 'gone', statusCode: res.status };
      return {
        outcome: 'failed',
        statusCode: res.status,
        error: `push service answered ${res.status}: ${text.slice(0, 200)}`,
        // Throttled or a server error: later. Anything else (400 bad request, 403 VAPID mismatch,
        // 413 too large) will fail the same way again.
        retryable: res.status === 429 || res.status >= 500,
      };
    },
  };
}
