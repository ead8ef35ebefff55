import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeIssues, pushEndpointInput, pushSubscriptionInput } from './push-input.ts';
import { sameOriginRefusal } from './same-origin.ts';

// What a browser's PushSubscription.toJSON() holds: a fresh P-256 public key (65 bytes, 87
// base64url characters) and a 16-byte auth secret (22 characters).
const p256dh = createECDH('prime256v1').generateKeys().toString('base64url');
const auth = Buffer.alloc(16, 7).toString('base64url');
const sub = {
  endpoint: 'https://fcm.googleapis.com/fcm/send/abc:APA91b-xyz',
  expirationTime: null,
  keys: { p256dh, auth },
};

function problem(input: unknown): string {
  const r = pushSubscriptionInput.safeParse(input);
  expect(r.success).toBe(false);
  return r.success ? '' : describeIssues(r.error);
}

describe('push subscription input', () => {
  it('accepts what a browser sends, keys without padding', () => {
    expect(p256dh).toHaveLength(87);
    expect(auth).toHaveLength(22);
    expect(pushSubscriptionInput.parse(sub)).toEqual(sub);
    // Padded base64url (some browsers) is stored in the same unpadded form.
    expect(
      pushSubscriptionInput.parse({ ...sub, keys: { p256dh: `${p256dh}=`, auth: `${auth}==` } }).keys,
    ).toEqual({
      p256dh,
      auth,
    });
  });

  it('refuses keys of the wrong length, alphabet or curve', () => {
    expect(problem({ ...sub, keys: { p256dh, auth: auth.slice(0, 20) } })).toMatch(
      /^keys\.auth: expected 16 bytes/,
    );
    expect(problem({ ...sub, keys: { p256dh: p256dh.slice(0, 80), auth } })).toMatch(
      /^keys\.p256dh: expected 65/,
    );
    expect(problem({ ...sub, keys: { p256dh, auth: `${auth.slice(0, 21)}+` } })).toMatch(/keys\.auth/);
    // 65 bytes, 0x04 first, but (x, y) = (1, 1) is not on P-256.
    const offCurve = Buffer.concat([
      Buffer.from([4]),
      Buffer.alloc(31),
      Buffer.from([1]),
      Buffer.alloc(31),
      Buffer.from([1]),
    ]);
    expect(problem({ ...sub, keys: { p256dh: offCurve.toString('base64url'), auth } })).toBe(
      'keys.p256dh: not a point on the P-256 curve',
    );
    const compressed = Buffer.concat([Buffer.from([2]), Buffer.alloc(64, 1)]);
    expect(problem({ ...sub, keys: { p256dh: compressed.toString('base64url'), auth } })).toMatch(
      /first byte 0x04/,
    );
    expect(problem({ endpoint: sub.endpoint })).toBe('keys: keys {p256dh, auth} are required');
  });

  it('refuses endpoints the notifier must not post to', () => {
    const bad: [string, RegExp][] = [
      ['http://fcm.googleapis.com/fcm/send/x', /https: URL/],
      ['https://127.0.0.1/push', /not an IP address/],
      ['https://[::1]/push', /not an IP address/],
      ['https://localhost/push', /public push service/],
      ['https://metadata/computeMetadata', /public push service/],
      ['https://push.corp.internal/x', /public push service/],
      ['https://fcm.googleapis.com:8443/x', /default https port/],
      ['https://user:pw@fcm.googleapis.com/x', /credentials/],
      ['not a url', /not a URL/],
      [`https://fcm.googleapis.com/${'a'.repeat(2000)}`, /longer than 2000/],
    ];
    for (const [endpoint, why] of bad) expect(problem({ ...sub, endpoint }), endpoint).toMatch(why);
    expect(pushEndpointInput.safeParse({ endpoint: 'https://web.push.apple.com/QGx' }).success).toBe(true);
  });
});

describe('same-origin check', () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it('passes the dashboard’s own requests and refuses others', () => {
    expect(sameOriginRefusal(h({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }))).toBeNull();
    expect(
      sameOriginRefusal(
        h({ origin: 'https://ta.example.com', host: 'internal:3000', 'x-forwarded-host': 'ta.example.com' }),
      ),
    ).toBeNull();
    expect(sameOriginRefusal(h({ host: '127.0.0.1:3000' }))).toMatch(/missing Origin/);
    expect(sameOriginRefusal(h({ origin: 'https://evil.example', host: '127.0.0.1:3000' }))).toMatch(
      /cross-origin/,
    );
    expect(sameOriginRefusal(h({ origin: 'null', host: '127.0.0.1:3000' }))).toMatch(
      /malformed|cross-origin/,
    );
    expect(
      sameOriginRefusal(
        h({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' }),
      ),
    ).toMatch(/Sec-Fetch-Site: cross-site/);
  });
});
