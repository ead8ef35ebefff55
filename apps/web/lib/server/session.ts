// The passcode session cookie (local profile with DASHBOARD_PASSCODE): `<payload>.<mac>`, where the
// payload is base64url JSON {sub, iat, exp} and the mac is HMAC-SHA256 over the payload with
// SESSION_SECRET. Stateless, so that the proxy can check it without a database round trip; the
// expiry bounds how long a stolen cookie lasts. Pure functions of their inputs (no env, no clock
// reads except the default `now`), shared by the proxy, server components and server actions.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const SESSION_COOKIE = 'ta_session';
/** A trader signs in on a phone once and keeps the installed app signed in for a month. */
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

const payloadSchema = z.strictObject({
  sub: z.string().uuid(),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
});
export type SessionPayload = z.infer<typeof payloadSchema>;

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signSession(
  userId: string,
  secret: string,
  now = Date.now(),
  ttlSeconds = SESSION_TTL_SECONDS,
): string {
  const iat = Math.floor(now / 1000);
  const body: SessionPayload = { sub: userId, iat, exp: iat + ttlSeconds };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** The session in a cookie value, or null when it is malformed, forged or expired. */
export function verifySession(
  token: string | undefined,
  secret: string,
  now = Date.now(),
): SessionPayload | null {
  if (!token || token.length > 1024) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(payload, secret);
  // timingSafeEqual throws on a length mismatch; the length of an HMAC is public anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return null;
  return parsed.data.exp > Math.floor(now / 1000) ? parsed.data : null;
}

/**
 * Compares a typed passcode with the configured one in constant time: both are hashed with the
 * session secret first, so neither the length nor a matching prefix shows in the timing.
 */
export function passcodeMatches(given: string, expected: string, secret: string): boolean {
  return timingSafeEqual(mac(`passcode:${given}`, secret), mac(`passcode:${expected}`, secret));
}
