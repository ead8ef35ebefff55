import { describe, expect, it } from 'vitest';
import {
  channelsFor,
  DEFAULT_POLICY,
  decideDelivery,
  messagesIn,
  type PolicyAlert,
  type PolicyRecipient,
  type RecentSms,
} from './policy.ts';
import { inQuietHours, localMinutes } from './quiet-hours.ts';

const alert: PolicyAlert = { type: 'gap_up', symbol: 'NVDA', score: 0.8, owned: false };
const trader: PolicyRecipient = {
  channels: { default: ['web', 'push'], gap_up: ['web', 'push', 'sms'] },
  ruleChannels: null,
  minScore: 0.5,
  timeZone: 'America/New_York',
  quietHours: { start: '22:00', end: '07:00' },
  phoneVerified: true,
  smsOptIn: 'opted_in',
  muted: false,
  pushSubscriptions: 1,
};
// 2026-11-20 15:00 UTC = 10:00 in New York (EST): market hours, outside quiet hours.
const NOW = new Date('2026-11-20T15:00:00Z');
const ago = (s: number, digestKey: string | null = null, digestPending = false): RecentSms => ({
  at: new Date(NOW.getTime() - s * 1000),
  digestKey,
  digestPending,
});

describe('channels', () => {
  it('uses the entry for the alert type, else default, else nothing', () => {
    expect(channelsFor(trader.channels, 'gap_up')).toEqual(['web', 'push', 'sms']);
    expect(channelsFor(trader.channels, 'volume_spike')).toEqual(['web', 'push']);
    expect(channelsFor({ trade: ['sms'] }, 'volume_spike')).toEqual([]);
  });

  it('sends SMS and push where the map asks, push only for a type that falls back to default', () => {
    expect(decideDelivery(alert, trader, [], NOW)).toEqual({
      sms: { action: 'send' },
      push: { action: 'send' },
    });
    expect(decideDelivery({ ...alert, type: 'volume_spike' }, trader, [], NOW)).toEqual({
      sms: { action: 'skip', reason: 'channel_off' },
      push: { action: 'send' },
    });
  });

  it("a rule alert follows its rule's channels, not the profile map", () => {
    const rule: PolicyAlert = { type: 'rule', symbol: 'AMD', score: 0.1, owned: true };
    const d = decideDelivery(rule, { ...trader, ruleChannels: ['sms'] }, [], NOW);
    // score 0.1 < min_score 0.5 does not matter: the trader wrote the rule.
    expect(d).toEqual({ sms: { action: 'send' }, push: { action: 'skip', reason: 'channel_off' } });
  });
});

describe('who may be reached', () => {
  it('mutes and min_score silence every channel', () => {
    expect(decideDelivery(alert, { ...trader, muted: true }, [], NOW).sms).toEqual({
      action: 'skip',
      reason: 'muted',
    });
    expect(decideDelivery({ ...alert, score: 0.4 }, trader, [], NOW)).toEqual({
      sms: { action: 'skip', reason: 'below_min_score' },
      push: { action: 'skip', reason: 'below_min_score' },
    });
  });

  it('SMS needs a verified phone and an explicit opt-in; push needs a subscription', () => {
    expect(decideDelivery(alert, { ...trader, phoneVerified: false }, [], NOW).sms).toMatchObject({
      reason: 'phone_not_verified',
    });
    expect(decideDelivery(alert, { ...trader, smsOptIn: 'pending' }, [], NOW).sms).toMatchObject({
      reason: 'not_opted_in',
    });
    expect(decideDelivery(alert, { ...trader, smsOptIn: 'opted_out' }, [], NOW).sms).toMatchObject({
      reason: 'not_opted_in',
    });
    expect(decideDelivery(alert, { ...trader, pushSubscriptions: 0 }, [], NOW).push).toMatchObject({
      reason: 'no_push_subscription',
    });
  });
});

describe('quiet hours', () => {
  const q = { start: '22:00', end: '07:00' };
  const ny = 'America/New_York';

  it('wrap midnight: 22:00 to 06:59 local is quiet, 07:00 to 21:59 is not', () => {
    // EST (UTC-5) in late November: local = UTC - 5 h.
    expect(inQuietHours(new Date('2026-11-21T03:00:00Z'), ny, q)).toBe(true); // 22:00
    expect(inQuietHours(new Date('2026-11-21T04:30:00Z'), ny, q)).toBe(true); // 23:30
    expect(inQuietHours(new Date('2026-11-21T11:59:00Z'), ny, q)).toBe(true); // 06:59
    expect(inQuietHours(new Date('2026-11-21T12:00:00Z'), ny, q)).toBe(false); // 07:00
    expect(inQuietHours(new Date('2026-11-21T02:59:00Z'), ny, q)).toBe(false); // 21:59
  });

  it('a window inside one day, an empty window and none at all', () => {
    const lunch = { start: '12:00', end: '13:00' };
    expect(inQuietHours(new Date('2026-11-20T17:30:00Z'), ny, lunch)).toBe(true); // 12:30
    expect(inQuietHours(new Date('2026-11-20T18:00:00Z'), ny, lunch)).toBe(false); // 13:00
    expect(inQuietHours(NOW, ny, { start: '10:00:00', end: '10:00:00' })).toBe(false);
    expect(inQuietHours(NOW, ny, null)).toBe(false);
  });

  it('follow the zone across DST changes (wall clock, not a fixed offset)', () => {
    // 2026-03-08 spring forward: 10:30 UTC is 06:30 EDT (quiet); 11:30 UTC is 07:30 EDT (not),
    // which a fixed EST offset would wrongly call 06:30.
    expect(localMinutes(new Date('2026-03-08T11:30:00Z'), ny)).toBe(7 * 60 + 30);
    expect(inQuietHours(new Date('2026-03-08T10:30:00Z'), ny, q)).toBe(true);
    expect(inQuietHours(new Date('2026-03-08T11:30:00Z'), ny, q)).toBe(false);
    // 2026-11-01 fall back: 11:30 UTC is 06:30 EST (quiet), 12:30 UTC is 07:30 EST (not).
    expect(inQuietHours(new Date('2026-11-01T11:30:00Z'), ny, q)).toBe(true);
    expect(inQuietHours(new Date('2026-11-01T12:30:00Z'), ny, q)).toBe(false);
    // Another zone: 23:00 in Tokyo (UTC+9, no DST) is 14:00 UTC.
    expect(inQuietHours(new Date('2026-11-20T14:00:00Z'), 'Asia/Tokyo', q)).toBe(true);
  });

  it('skip SMS in quiet hours but let push through', () => {
    const night = new Date('2026-11-21T04:30:00Z'); // 23:30 New York
    expect(decideDelivery(alert, trader, [], night)).toEqual({
      sms: { action: 'skip', reason: 'quiet_hours' },
      push: { action: 'send' },
    });
  });
});

describe('bursts and the SMS rate limit', () => {
  it('a second alert within the digest window joins a digest; later ones go on their own', () => {
    expect(decideDelivery(alert, trader, [ago(30)], NOW).sms).toEqual({ action: 'digest' });
    expect(decideDelivery(alert, trader, [ago(61)], NOW).sms).toEqual({ action: 'send' });
  });

  it('counts each own message and each digest once: six in ten minutes is the limit', () => {
    // 4 own messages + one digest of 3 alerts = 5 messages.
    const five = [ago(500), ago(400), ago(300), ago(200), ago(150, 'd1'), ago(149, 'd1'), ago(148, 'd1')];
    expect(messagesIn(five, NOW.getTime(), DEFAULT_POLICY.smsLimitWindowMs)).toBe(5);
    expect(decideDelivery(alert, trader, five, NOW).sms).toEqual({ action: 'send' });
    const six = [...five, ago(120)];
    expect(decideDelivery(alert, trader, six, NOW).sms).toEqual({ action: 'skip', reason: 'rate_limited' });
    // Sends older than ten minutes no longer count.
    const old = six.map((s) => ({ ...s, at: new Date(s.at.getTime() - 600_000) }));
    expect(decideDelivery(alert, trader, old, NOW).sms).toEqual({ action: 'send' });
  });

  it('at the limit an alert may still join a digest that goes out anyway', () => {
    const six = [ago(500), ago(400), ago(300), ago(200), ago(100), ago(20, 'digest-u', true)];
    expect(decideDelivery(alert, trader, six, NOW).sms).toEqual({ action: 'digest' });
  });

  it('halts go at once: never digested, never rate-limited, but mutes and quiet hours hold', () => {
    const halt: PolicyAlert = { type: 'halt', symbol: 'NVDA', score: 0, owned: false };
    const t = { ...trader, channels: { default: ['sms'] as const } };
    const busy = [ago(5), ago(10), ago(20), ago(30), ago(40), ago(50), ago(60)];
    expect(decideDelivery(halt, t, busy, NOW).sms).toEqual({ action: 'send' });
    expect(decideDelivery(halt, { ...t, muted: true }, busy, NOW).sms).toMatchObject({ reason: 'muted' });
    expect(decideDelivery(halt, t, [], new Date('2026-11-21T04:30:00Z')).sms).toMatchObject({
      reason: 'quiet_hours',
    });
  });
});
