import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { passcodeMatches, signSession, verifySession } from './session.ts';

const SECRET = 's'.repeat(40);
const USER = '00000000-0000-4000-8000-000000000001';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('session cookie', () => {
  it('verifies what it signed, until it expires', () => {
    const token = signSession(USER, SECRET, NOW, 3600);
    expect(verifySession(token, SECRET, NOW)?.sub).toBe(USER);
    expect(verifySession(token, SECRET, NOW + 3599_000)?.sub).toBe(USER);
    expect(verifySession(token, SECRET, NOW + 3600_000)).toBeNull();
  });

  it('is an HMAC-SHA256 of the payload with the secret', () => {
    const [payload, mac] = signSession(USER, SECRET, NOW).split('.');
    expect(mac).toBe(createHmac('sha256', SECRET).update(payload!).digest('base64url'));
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({
      sub: USER,
      iat: NOW / 1000,
      exp: NOW / 1000 + 30 * 24 * 3600,
    });
  });

  it('refuses another secret, a changed payload, and junk', () => {
    const token = signSession(USER, SECRET, NOW);
    expect(verifySession(token, 't'.repeat(40), NOW)).toBeNull();
    const [, mac] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: '00000000-0000-4000-8000-000000000002', iat: NOW / 1000, exp: NOW / 1000 + 60 }),
    ).toString('base64url');
    expect(verifySession(`${forged}.${mac}`, SECRET, NOW)).toBeNull();
    for (const junk of [undefined, '', '.', 'abc', `${token}.x`, `${token.slice(0, -2)}`, 'a'.repeat(2000)]) {
      expect(verifySession(junk, SECRET, NOW), String(junk)).toBeNull();
    }
    // A correctly signed payload that is not a session.
    const odd = Buffer.from(JSON.stringify({ sub: 'root', exp: 9e9 })).toString('base64url');
    const oddMac = createHmac('sha256', SECRET).update(odd).digest('base64url');
    expect(verifySession(`${odd}.${oddMac}`, SECRET, NOW)).toBeNull();
  });

  it('compares passcodes exactly', () => {
    expect(passcodeMatches('correct horse', 'correct horse', SECRET)).toBe(true);
    expect(passcodeMatches('correct hors', 'correct horse', SECRET)).toBe(false);
    expect(passcodeMatches('', 'correct horse', SECRET)).toBe(false);
  });
});
