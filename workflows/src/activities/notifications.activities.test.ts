import { MockActivityEnvironment } from '@temporalio/testing';
import type { PushMessage, PushResult, PushSender, PushSubscriptionKeys } from '@tradeassist/messaging/push';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createTrader, insertAlert, recordingOutbox } from '../testing/notification-fixtures.ts';
import { createNotificationActivities, pendingDigestKey } from './notifications.activities.ts';

const db = useTestDatabase();
/** A quiet-hours window around the current time in New York (the policy reads the database clock). */
function quietWindowAroundNow(): [string, string] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date());
  const minutes =
    Number(parts.find((p) => p.type === 'hour')?.value) * 60 +
    Number(parts.find((p) => p.type === 'minute')?.value);
  const clock = (m: number) => {
    const x = ((m % 1440) + 1440) % 1440;
    return `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
  };
  return [clock(minutes - 60), clock(minutes + 60)];
}

/** The push service at the edge: answers per endpoint, records what it was sent. */
function fakePush(answers: Record<string, PushResult>): PushSender & { sent: [string, PushMessage][] } {
  const sent: [string, PushMessage][] = [];
  return {
    sent,
    async send(sub: PushSubscriptionKeys, msg: PushMessage) {
      sent.push([sub.endpoint, msg]);
      return answers[sub.endpoint] ?? { outcome: 'sent', statusCode: 201, messageId: `m-${sent.length}` };
    },
  };
}

function setup(push: PushSender | null = fakePush({})) {
  const outbox = recordingOutbox();
  const digests: [string, string][] = [];
  const acts = createNotificationActivities({
    sql: db.sql as never,
    outbox,
    push,
    startDigest: async (userId, alertId) => {
      digests.push([userId, alertId]);
    },
  });
  return { acts, outbox, digests, env: new MockActivityEnvironment() };
}

const deliveries = (alertId: string) =>
  db.sql<
    {
      user_id: string;
      channel: string;
      status: string;
      digest_key: string | null;
      provider_id: string | null;
    }[]
  >`
    select user_id, channel, status, digest_key, provider_id from public.alert_deliveries
    where alert_id = ${alertId} order by user_id, channel`;

describe('planAlertNotification', () => {
  it('reaches the traders who watch the symbol and want SMS or push, once, even when retried', async () => {
    const { acts, env } = setup();
    const wantsAll = await createTrader(db.sql, {
      watch: ['NVDA'],
      pushEndpoints: ['https://push.example/a'],
    });
    const webOnly = await createTrader(db.sql, { watch: ['NVDA'], channels: { default: ['web'] } });
    const elsewhere = await createTrader(db.sql, { watch: ['AMD'] });
    const alertId = await insertAlert(db.sql, { symbol: 'NVDA' });

    const first = await env.run(acts.planAlertNotification, { alertId });
    expect(first).toEqual([
      { userId: wantsAll.id, channel: 'sms', mode: 'send' },
      { userId: wantsAll.id, channel: 'push', mode: 'send' },
    ]);
    // A retried activity finds its rows and decides nothing new.
    expect(await env.run(acts.planAlertNotification, { alertId })).toEqual(first);
    const rows = await deliveries(alertId);
    expect(rows.map((r) => [r.user_id, r.channel, r.status])).toEqual([
      [wantsAll.id, 'push', 'queued'],
      [wantsAll.id, 'sms', 'queued'],
    ]);
    expect(rows.some((r) => r.user_id === webOnly.id || r.user_id === elsewhere.id)).toBe(false);
  });

  it('turns the second alert of a burst into a digest and honours min_score, mutes and quiet hours', async () => {
    const { acts, env } = setup();
    const trader = await createTrader(db.sql, { watch: ['TSLA', 'AAPL', 'MSFT'], minScore: 0.5 });
    const a1 = await insertAlert(db.sql, { symbol: 'TSLA' });
    const a2 = await insertAlert(db.sql, { symbol: 'TSLA', type: 'volume_spike' });
    expect(await env.run(acts.planAlertNotification, { alertId: a1 })).toEqual([
      { userId: trader.id, channel: 'sms', mode: 'send' },
    ]);
    expect(await env.run(acts.planAlertNotification, { alertId: a2 })).toEqual([
      { userId: trader.id, channel: 'sms', mode: 'digest' },
    ]);
    expect((await deliveries(a2))[0]?.digest_key).toBe(pendingDigestKey(trader.id));

    const weak = await insertAlert(db.sql, { symbol: 'AAPL', score: 0.3 });
    expect(await env.run(acts.planAlertNotification, { alertId: weak })).toEqual([]);

    await db.sql`insert into public.mutes (user_id, symbol) values (${trader.id}, 'MSFT')`;
    const muted = await insertAlert(db.sql, { symbol: 'MSFT' });
    expect(await env.run(acts.planAlertNotification, { alertId: muted })).toEqual([]);

    const sleeper = await createTrader(db.sql, { watch: ['AMZN'], quietHours: quietWindowAroundNow() });
    const night = await insertAlert(db.sql, { symbol: 'AMZN' });
    // Now is inside the trader's quiet hours: no SMS (and no push subscription to fall back on).
    expect(await env.run(acts.planAlertNotification, { alertId: night })).toEqual([]);
    expect(sleeper.id).toBeTruthy();
  });

  it("sends a rule alert to its owner by the rule's channels", async () => {
    const { acts, env } = setup();
    const owner = await createTrader(db.sql, { channels: { default: ['web'] } });
    const [rule] = await db.sql<{ id: string }[]>`
      insert into public.rules (user_id, name, definition, channels)
      values (${owner.id}, 'breakout', '{"all": []}', array['sms']) returning id`;
    const alertId = await insertAlert(db.sql, { symbol: 'AMD', type: 'rule', ruleId: rule!.id, score: 0.1 });
    expect(await env.run(acts.planAlertNotification, { alertId })).toEqual([
      { userId: owner.id, channel: 'sms', mode: 'send' },
    ]);
  });

  it('counts its decisions for /metrics', async () => {
    const registry = new Registry();
    const acts = createNotificationActivities({
      sql: db.sql as never,
      outbox: recordingOutbox(),
      push: null,
      startDigest: async () => {},
      registry,
    });
    await createTrader(db.sql, { watch: ['COST'], channels: { default: ['sms', 'push'] } });
    await createTrader(db.sql, { watch: ['COST'], optIn: 'opted_out' });
    const alertId = await insertAlert(db.sql, { symbol: 'COST' });
    await new MockActivityEnvironment().run(acts.planAlertNotification, { alertId });
    const text = await registry.metrics();
    expect(text).toContain('notification_decisions_total{channel="sms",decision="send"} 1');
    expect(text).toContain('notification_decisions_total{channel="sms",decision="skip_not_opted_in"} 1');
    // No VAPID keys: push is never planned.
    expect(text).toContain(
      'notification_decisions_total{channel="push",decision="skip_no_push_subscription"} 2',
    );
  });

  it('refuses a malformed alert id as non-retryable', async () => {
    const { acts, env } = setup();
    await expect(env.run(acts.planAlertNotification, { alertId: 'DROP TABLE' })).rejects.toMatchObject({
      name: 'ApplicationFailure',
      nonRetryable: true,
    });
  });
});

describe('sending', () => {
  it('sends one SMS per alert and trader; a retry after the send finds the outbox row', async () => {
    const { acts, env, outbox } = setup();
    const trader = await createTrader(db.sql, { watch: ['META'] });
    const alertId = await insertAlert(db.sql, { symbol: 'META', price: '590.100000000' });
    await env.run(acts.planAlertNotification, { alertId });
    const first = await env.run(acts.sendAlertSms, { alertId, userId: trader.id });
    const again = await env.run(acts.sendAlertSms, { alertId, userId: trader.id });
    expect(first).toEqual({ status: 'queued', duplicate: false });
    expect(again).toEqual({ status: 'queued', duplicate: true });
    expect(outbox.delivered).toHaveLength(1);
    expect(outbox.delivered[0]).toMatchObject({
      to: trader.phone,
      idempotencyKey: `alert-${alertId}-${trader.id}`,
      alertId,
      body: 'META gap up +6.0% 590.10 (regular, RVOL 4.1) Reply MUTE META',
    });
    const [row] = await deliveries(alertId);
    expect(row).toMatchObject({ channel: 'sms', status: 'queued' });
    expect(row?.provider_id).toMatch(/^SM/);
  });

  it('pushes to every subscription, deletes the ones the push service says are gone', async () => {
    const push = fakePush({ 'https://push.example/gone': { outcome: 'gone', statusCode: 410 } });
    const { acts, env } = setup(push);
    const trader = await createTrader(db.sql, {
      watch: ['NFLX'],
      channels: { default: ['push'] },
      pushEndpoints: ['https://push.example/live', 'https://push.example/gone'],
    });
    const alertId = await insertAlert(db.sql, { symbol: 'NFLX' });
    await env.run(acts.planAlertNotification, { alertId });
    expect(await env.run(acts.sendAlertPush, { alertId, userId: trader.id })).toEqual({ status: 'sent' });
    expect(push.sent.map(([e]) => e).sort()).toEqual([
      'https://push.example/gone',
      'https://push.example/live',
    ]);
    expect(push.sent[0]?.[1]).toMatchObject({
      topic: `alert-${alertId}`,
      payload: { tag: `alert-${alertId}` },
    });
    const left = await db.sql`select endpoint from public.push_subscriptions where user_id = ${trader.id}`;
    expect(left.map((r) => r.endpoint)).toEqual(['https://push.example/live']);
    expect((await deliveries(alertId))[0]).toMatchObject({ channel: 'push', status: 'sent' });
  });

  it('retries a push the service could not take yet, and fails one it refuses for good', async () => {
    const push = fakePush({
      'https://push.example/busy': { outcome: 'failed', statusCode: 503, error: 'busy', retryable: true },
      'https://push.example/bad': { outcome: 'failed', statusCode: 403, error: 'vapid', retryable: false },
    });
    const { acts, env } = setup(push);
    const busy = await createTrader(db.sql, {
      watch: ['ORCL'],
      channels: { default: ['push'] },
      pushEndpoints: ['https://push.example/busy'],
    });
    const bad = await createTrader(db.sql, {
      watch: ['ORCL'],
      channels: { default: ['push'] },
      pushEndpoints: ['https://push.example/bad'],
    });
    const alertId = await insertAlert(db.sql, { symbol: 'ORCL' });
    await env.run(acts.planAlertNotification, { alertId });
    await expect(env.run(acts.sendAlertPush, { alertId, userId: busy.id })).rejects.toThrow(/busy/);
    expect(await env.run(acts.sendAlertPush, { alertId, userId: bad.id })).toMatchObject({
      status: 'failed',
    });
    const [sub] =
      await db.sql`select failure_count from public.push_subscriptions where user_id = ${busy.id}`;
    expect(sub?.failure_count).toBe(1);
  });

  it('sends a digest as one SMS and files every alert under its key', async () => {
    const { acts, env, outbox } = setup();
    const trader = await createTrader(db.sql, { watch: ['INTC', 'AMD'] });
    const first = await insertAlert(db.sql, { symbol: 'INTC' });
    const a2 = await insertAlert(db.sql, { symbol: 'INTC', type: 'new_high_of_day', score: 0.6 });
    const a3 = await insertAlert(db.sql, { symbol: 'AMD', score: 0.9 });
    for (const alertId of [first, a2, a3]) await env.run(acts.planAlertNotification, { alertId });
    const result = await env.run(acts.sendDigestSms, { userId: trader.id, alertIds: [a3, a2] });
    expect(result).toEqual({ status: 'queued', duplicate: false });
    // Highest score first: AMD 0.9, then INTC 0.6.
    expect(outbox.delivered.at(-1)).toMatchObject({
      idempotencyKey: `digest-${trader.id}-${a2}`,
      body: '2 alerts: AMD gap up +6.0% 482.15; INTC new HOD +6.0% 482.15',
    });
    // A retried digest activity sends nothing more.
    expect(await env.run(acts.sendDigestSms, { userId: trader.id, alertIds: [a3, a2] })).toMatchObject({
      duplicate: true,
    });
    expect(outbox.delivered).toHaveLength(1);
    const rows = await db.sql`select alert_id, digest_key from public.alert_deliveries
                              where user_id = ${trader.id} and digest_key is not null order by alert_id`;
    expect(rows.map((r) => [r.alert_id, r.digest_key])).toEqual([
      [a2, `digest-${trader.id}-${a2}`],
      [a3, `digest-${trader.id}-${a2}`],
    ]);
  });
});
