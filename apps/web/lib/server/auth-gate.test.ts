import { describe, expect, it } from 'vitest';
import { AttemptLimiter, LoginLimiter, MAX_GLOBAL_FAILURES } from './auth-attempts.ts';
import { type AuthMode, type GateRequest, gate, isLoopbackHost, safeNext } from './auth-gate.ts';
import { signSession } from './session.ts';

const SECRET = 'x'.repeat(40);
const USER = '00000000-0000-4000-8000-000000000001';
const PASSCODE: AuthMode = { kind: 'passcode', secret: SECRET };
const req = (pathname: string, extra: Partial<GateRequest> = {}): GateRequest => ({
  pathname,
  search: '',
  host: '127.0.0.1:3000',
  session: undefined,
  isAction: false,
  method: 'GET',
  ...extra,
});

describe('gate with a passcode', () => {
  it('sends pages to /login with the way back, and refuses API calls and actions with 401', () => {
    expect(gate(PASSCODE, req('/trades', { search: '?x=1' }))).toEqual({
      kind: 'redirect',
      to: '/login?next=%2Ftrades%3Fx%3D1',
    });
    expect(gate(PASSCODE, req('/api/alerts'))).toMatchObject({ kind: 'deny', status: 401 });
    expect(gate(PASSCODE, req('/api/live'))).toMatchObject({ kind: 'deny', status: 401 });
    expect(gate(PASSCODE, req('/trades', { method: 'POST', isAction: true }))).toMatchObject({ status: 401 });
  });

  it('lets a signed session through, as its user', () => {
    const session = signSession(USER, SECRET);
    expect(gate(PASSCODE, req('/api/alerts', { session }))).toEqual({ kind: 'pass', userId: USER });
    expect(gate(PASSCODE, req('/settings', { session, host: 'trader.example' }))).toEqual({
      kind: 'pass',
      userId: USER,
    });
  });

  it('never gates the Twilio webhooks, health probes, sign-in and app shell files', () => {
    for (const p of [
      '/api/twilio/sms',
      '/api/twilio/status',
      '/health',
      '/ready',
      '/api/health',
      '/login',
      '/manifest.webmanifest',
      '/sw.js',
      '/icons/icon-192.png',
      '/_next/static/chunks/app.js',
    ]) {
      expect(gate(PASSCODE, req(p, { method: 'POST' })), p).toEqual({ kind: 'pass', userId: null });
    }
    // A server action posted to a public page would run without a session: refused everywhere.
    expect(gate(PASSCODE, req('/login', { method: 'POST', isAction: true }))).toMatchObject({ status: 401 });
    expect(
      gate({ kind: 'open' }, req('/login', { method: 'POST', isAction: true, host: 'evil.example' })),
    ).toMatchObject({
      status: 401,
    });
    // Look-alikes are not exempt.
    expect(gate(PASSCODE, req('/api/twilio'))).toMatchObject({ kind: 'deny' });
    expect(gate(PASSCODE, req('/healthz'))).toMatchObject({ kind: 'redirect' });
    expect(gate(PASSCODE, req('/login/other'))).toMatchObject({ kind: 'redirect' });
  });
});

describe('gate without a passcode', () => {
  it('is open on loopback names only (DNS rebinding)', () => {
    const open: AuthMode = { kind: 'open' };
    for (const host of ['127.0.0.1:3000', 'localhost:3000', 'localhost', '[::1]:3000', '127.0.0.2']) {
      expect(gate(open, req('/trades', { host })), host).toEqual({ kind: 'pass', userId: null });
    }
    for (const host of ['evil.example', '192.168.1.5:3000', 'localhost.evil.example', null]) {
      expect(gate(open, req('/trades', { host })), String(host)).toMatchObject({ kind: 'deny', status: 403 });
    }
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false);
  });

  it('refuses everything gated when sign-in is unavailable (cloud without Supabase Auth)', () => {
    const mode: AuthMode = { kind: 'unavailable', why: 'not built' };
    expect(gate(mode, req('/'))).toEqual({ kind: 'deny', status: 503, message: 'not built' });
    expect(gate(mode, req('/api/twilio/sms'))).toEqual({ kind: 'pass', userId: null });
  });
});

describe('safeNext', () => {
  it('keeps paths on this site only', () => {
    expect(safeNext('/trades?x=1')).toBe('/trades?x=1');
    for (const bad of [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/login?next=/x',
    ]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });
});

describe('AttemptLimiter', () => {
  it('blocks an address after 5 wrong tries within 15 minutes, others stay free', () => {
    const l = new AttemptLimiter(5, 15 * 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) l.fail('1.1.1.1', t0 + i * 1000);
    expect(l.retryAfterMs('1.1.1.1', t0 + 5000)).toBe(0);
    l.fail('1.1.1.1', t0 + 5000);
    // The oldest of the five (t0) leaves the window at t0 + 15 min.
    expect(l.retryAfterMs('1.1.1.1', t0 + 6000)).toBe(15 * 60_000 - 6000);
    expect(l.retryAfterMs('2.2.2.2', t0 + 6000)).toBe(0);
    expect(l.retryAfterMs('1.1.1.1', t0 + 15 * 60_000)).toBe(0);
  });

  it('forgets an address after a success', () => {
    const l = new AttemptLimiter(2, 60_000);
    l.fail('a', 0);
    l.succeed('a');
    l.fail('a', 1);
    expect(l.retryAfterMs('a', 2)).toBe(0);
  });
});

describe('LoginLimiter', () => {
  it('caps wrong tries over all addresses, so a forged X-Forwarded-For per try does not help', () => {
    const l = new LoginLimiter();
    const t0 = 5_000_000;
    for (let i = 0; i < MAX_GLOBAL_FAILURES; i++) l.fail(`10.0.0.${i}`, t0 + i);
    expect(l.retryAfterMs('10.0.0.250', t0 + 100)).toBeGreaterThan(0);
    // Each address on its own tried once: only the overall cap holds them back.
    expect(new AttemptLimiter(5, 60_000).retryAfterMs('10.0.0.1', t0)).toBe(0);
  });
});
