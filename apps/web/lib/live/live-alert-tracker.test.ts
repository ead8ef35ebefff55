import { describe, expect, it } from 'vitest';
import { LiveAlertTracker } from './live-alert-tracker.ts';

// The alerts trigger's payload (supabase/migrations/..._alerts_access_live.sql), as NOTIFY text.
const payload = (id: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: String(id),
    user_id: null,
    rule_id: null,
    symbol: 'NVDA',
    type: 'gap_up',
    ts_event: '1700577000123456789',
    price: '482.150000000',
    session: 'pre',
    score: 0.83,
    details: { prev_close: '455.00', pct: 5.97 },
    dedupe_key: `NVDA:gap_up:${id}`,
    created_at: '2026-11-21T13:10:00.123456+00:00',
    ...over,
  });

describe('LiveAlertTracker', () => {
  it('accepts a valid payload once and keeps exact values', () => {
    const t = new LiveAlertTracker();
    const r = t.accept(payload(7));
    expect(r.kind).toBe('new');
    if (r.kind !== 'new') return;
    // 482.150000000 (numeric(20,9) text) is shown as 482.15; the nanosecond time stays a string.
    expect(r.alert).toMatchObject({ id: '7', price: '482.15', ts_event: '1700577000123456789', score: 0.83 });
    expect(t.accept(payload(7))).toEqual({ kind: 'duplicate', id: '7' });
    expect(t.lastId).toBe('7');
  });

  it('de-duplicates across a resume whose back-fill overlaps what arrived live', () => {
    const t = new LiveAlertTracker('10');
    const live = [11, 12, 13].map((i) => t.accept(payload(i)).kind);
    // Reconnected with Last-Event-ID 12 while 13 was in flight: the server sends 13 again, then 14.
    const resumed = [13, 14].map((i) => t.accept(payload(i)).kind);
    expect(live).toEqual(['new', 'new', 'new']);
    expect(resumed).toEqual(['duplicate', 'new']);
    expect(t.lastId).toBe('14');
  });

  it('compares ids as integers, not as text, beyond 2^53', () => {
    const t = new LiveAlertTracker();
    t.accept(payload(99));
    t.accept(payload(100)); // '100' < '99' as text
    expect(t.lastId).toBe('100');
    t.accept(JSON.stringify({ ...JSON.parse(payload(0)), id: '9007199254740993' }));
    expect(t.lastId).toBe('9007199254740993');
  });

  it('reports invalid payloads with the field at fault, and id-only payloads as a fetch', () => {
    const t = new LiveAlertTracker();
    expect(t.accept('not json').kind).toBe('invalid');
    const bad = t.accept(payload(1, { price: 482.15 }));
    expect(bad.kind).toBe('invalid');
    expect(bad.kind === 'invalid' && bad.reason).toMatch(/^price: /);
    expect(t.accept('{"id":"42"}')).toEqual({ kind: 'fetch', id: '42' });
    expect(t.lastId).toBeNull();
  });

  it('accepts the Realtime broadcast form (an object, not text)', () => {
    const t = new LiveAlertTracker();
    expect(t.accept(JSON.parse(payload(5))).kind).toBe('new');
  });
});
