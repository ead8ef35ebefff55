// What the browser sends to /api/push/subscription: its PushSubscription.toJSON(), checked before
// anything is stored. The Temporal notifier later POSTs to `endpoint` and encrypts to the keys
// (RFC 8291), so a bad value here is a failed push there, or worse a request to a host it should
// never reach: the endpoint must look like a public push service, the keys must be what the
// browser's getKey() returns (a P-256 point on the curve, a 16-byte auth secret).
import { createECDH } from 'node:crypto';
import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Decodes base64url (padding optional); null when the text is not canonical base64url. */
function base64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bare = text.replace(/=+$/, '');
  const bytes = Buffer.from(bare, 'base64url');
  // Buffer.from ignores trailing bits that do not make a byte: round-tripping rejects those.
  return bytes.toString('base64url') === bare ? bytes : null;
}

/** A base64url key of exactly `length` bytes, stored without padding (as the browser sends it). */
function key(name: string, length: number, check?: (b: Buffer) => string | null) {
  return z
    .string({ error: `keys.${name} is required` })
    .max(200)
    .transform((text, ctx) => {
      const bytes = base64url(text);
      if (!bytes || bytes.length !== length) {
        ctx.addIssue({ code: 'custom', message: `expected ${length} bytes of base64url` });
        return z.NEVER;
      }
      const problem = check?.(bytes);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return bytes.toString('base64url');
    });
}

/** An uncompressed P-256 point (0x04 || X || Y) that lies on the curve. */
function onCurve(b: Buffer): string | null {
  if (b[0] !== 0x04) return 'expected an uncompressed P-256 public key (first byte 0x04)';
  try {
    // ECDH with any private key checks the point, as the notifier's encryption will.
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.alloc(32, 1));
    ecdh.computeSecret(b);
    return null;
  } catch {
    return 'not a point on the P-256 curve';
  }
}

/**
 * A push service's URL: https, no credentials, no explicit port, a public DNS name. The worker
 * sends to it from inside our network, so IP literals, localhost and single-label or internal
 * names are refused (push services are public DNS names: fcm.googleapis.com,
 * updates.push.services.mozilla.com, web.push.apple.com, *.notify.windows.com).
 */
export const endpointSchema = z
  .string({ error: 'endpoint is required' })
  .max(2000, 'endpoint is longer than 2000 characters')
  .superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'endpoint is not a URL' });
      return;
    }
    const host = url.hostname.toLowerCase();
    const why =
      url.protocol !== 'https:'
        ? 'endpoint must be an https: URL'
        : url.username || url.password
          ? 'endpoint must not carry credentials'
          : url.port
            ? 'endpoint must use the default https port'
            : host.startsWith('[') || /^[\d.]+$/.test(host)
              ? 'endpoint must name a push service, not an IP address'
              : !host.includes('.') || /(^|\.)(localhost|local|internal|lan|home\.arpa)$/.test(host)
                ? 'endpoint must be a public push service'
                : null;
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

/** PushSubscription.toJSON(): `expirationTime` is accepted and not stored (browsers send null). */
export const pushSubscriptionInput = z.object({
  endpoint: endpointSchema,
  expirationTime: z.number().nullable().optional(),
  keys: z.object(
    { p256dh: key('p256dh', 65, onCurve), auth: key('auth', 16) },
    { error: 'keys {p256dh, auth} are required' },
  ),
});
export type PushSubscriptionInput = z.output<typeof pushSubscriptionInput>;

/** DELETE and GET name the subscription by its endpoint only. */
export const pushEndpointInput = z.object({ endpoint: endpointSchema });

/** One line naming each problem and where: `keys.auth: expected 16 bytes of base64url`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
