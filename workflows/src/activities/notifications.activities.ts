// Activities of the alert notification: decide (delivery policy), record (alert_deliveries, unique
// per alert, user and channel) and send (SMS through the outbox, web push), each idempotent so that
// Temporal may retry any of them:
//  - planning takes a per-user advisory lock, so two alerts for the same trader decide one after
//    the other (the digest and rate-limit rules see each other's rows), and a retried plan returns
//    the rows its first attempt wrote instead of deciding again;
//  - an SMS goes through the SmsOutbox with the key `alert-<alert id>-<user id>`: a retry after the
//    provider accepted the message finds the outbox row and sends nothing;
//  - push carries the alert as its Topic (the push service replaces an undelivered copy) and the
//    notification tag (the device replaces a shown copy), so a retried push shows once.
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ALERT_TYPES } from '@tradeassist/core/alert';
import type { Db } from '@tradeassist/db';
import {
  alertLine,
  alertSmsText,
  type Channel,
  DEFAULT_POLICY,
  decideDelivery,
  digestSmsText,
  type PolicyOptions,
  type RecentSms,
  type SmsAlert,
} from '@tradeassist/messaging/delivery';
import type { PushSender } from '@tradeassist/messaging/push';
import type { SmsOutbox } from '@tradeassist/messaging/twilio/outbox-types';
import { Counter, type Registry } from 'prom-client';
import { z } from 'zod';
import type { AlertNotificationInput } from '../contract.ts';
import {
  type AlertDigestInput,
  DIGEST_WORKFLOW_TYPE,
  digestAlertSignal,
  digestSmsKey,
  digestWorkflowId,
} from '../workflows/digest-contract.ts';

export interface NotificationLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface NotificationDeps {
  sql: Db;
  outbox: SmsOutbox;
  /** Null when VAPID keys are not configured: push is then never planned. */
  push: PushSender | null;
  /** Starts or signals the per-user digest workflow (signal-with-start). */
  startDigest: (userId: string, alertId: string) => Promise<void>;
  policy?: PolicyOptions;
  /** Overrides the database clock for the policy (tests); recent sends are still read by it. */
  now?: () => Date;
  logger?: NotificationLogger;
  /** Where decisions and sends are counted (/metrics). */
  registry?: Registry;
}

export interface PlannedDelivery {
  userId: string;
  channel: 'sms' | 'push';
  /** 'digest': the SMS goes out in the trader's next digest message, not on its own. */
  mode: 'send' | 'digest';
}

export interface SendOutcome {
  status: 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'skipped';
  duplicate?: boolean;
  detail?: string;
}

/** A digest key while its message is still collecting alerts (final key: digestSmsKey). */
export const pendingDigestKey = (userId: string): string => digestWorkflowId(userId);

// ---- input and row schemas --------------------------------------------------------------------

const alertIdSchema = z.string().regex(/^\d{1,19}$/, 'expected an alerts.id as a decimal string');
const uuidSchema = z.string().uuid();
const alertInputSchema = z.object({ alertId: alertIdSchema });
const deliveryInputSchema = z.object({ alertId: alertIdSchema, userId: uuidSchema });
const digestInputSchema = z.object({ userId: uuidSchema, alertIds: z.array(alertIdSchema).min(1).max(500) });

const channelSchema = z.enum(['sms', 'push', 'web']);
const alertRowSchema = z.object({
  id: z.string(),
  user_id: z.string().nullable(),
  rule_id: z.string().nullable(),
  rule_name: z.string().nullable(),
  rule_channels: z.array(channelSchema).nullable(),
  symbol: z.string(),
  type: z.enum(ALERT_TYPES),
  price: z.string(),
  session: z.enum(['pre', 'regular', 'post']),
  score: z.number(),
  details: z.record(z.string(), z.unknown()),
});
type AlertRow = z.infer<typeof alertRowSchema>;

const profileRowSchema = z.object({
  id: z.string(),
  phone: z.string().nullable(),
  phone_verified: z.boolean(),
  sms_opt_in: z.enum(['opted_in', 'opted_out', 'pending']),
  timezone: z.string(),
  quiet_hours_start: z.string().nullable(),
  quiet_hours_end: z.string().nullable(),
  channels: z.record(z.string(), z.array(channelSchema)),
  min_score: z.number(),
  muted: z.boolean(),
  push_subscriptions: z.coerce.number().int(),
});

const deliveryRowSchema = z.object({
  user_id: z.string(),
  channel: channelSchema,
  status: z.enum(['queued', 'sent', 'delivered', 'failed', 'undelivered']),
  digest_key: z.string().nullable(),
});

const recentRowSchema = z.object({
  created_at: z.date(),
  digest_key: z.string().nullable(),
  status: z.string(),
});

const subscriptionRowSchema = z.object({
  id: z.string(),
  endpoint: z.string(),
  p256dh: z.string(),
  auth: z.string(),
});

function parseRows<T>(schema: z.ZodType<T>, rows: readonly unknown[], what: string): T[] {
  return rows.map((r, i) => {
    const parsed = schema.safeParse(r);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`unexpected ${what} row ${i}: ${parsed.error.message}`, 'BadRow');
    }
    return parsed.data;
  });
}

function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`bad ${what} input: ${parsed.error.message}`, 'BadInput', input);
  }
  return parsed.data;
}

// ---- the factory --------------------------------------------------------------------------------

export function createNotificationActivities(deps: NotificationDeps) {
  const { sql } = deps;
  const policy = deps.policy ?? DEFAULT_POLICY;
  const log = deps.logger;
  const metrics = deps.registry ? notificationMetrics(deps.registry) : null;

  async function loadAlert(alertId: string): Promise<AlertRow | null> {
    const rows = await sql`
      select a.id, a.user_id, a.rule_id, r.name as rule_name, r.channels as rule_channels,
             a.symbol, a.type, a.price, a.session, a.score, a.details
      from public.alerts a left join public.rules r on r.id = a.rule_id
      where a.id = ${alertId}`;
    return parseRows(alertRowSchema, rows, 'alert')[0] ?? null;
  }

  /** Who may want this alert at all: its owner, or the traders watching the symbol. */
  async function recipients(alert: AlertRow): Promise<string[]> {
    if (alert.user_id) return [alert.user_id];
    const rows = await sql<{ user_id: string }[]>`
      select distinct ws.user_id
      from public.watchlist_symbols ws
      join public.profiles p on p.id = ws.user_id
      where ws.symbol = ${alert.symbol}
        and coalesce(p.channels -> ${alert.type}::text, p.channels -> 'default', '[]'::jsonb) ?| array['sms', 'push']
      order by ws.user_id`;
    return rows.map((r) => r.user_id);
  }

  /** Decides and records one trader's deliveries of one alert; returns the recorded rows. */
  async function planFor(alert: AlertRow, userId: string): Promise<PlannedDelivery[]> {
    return sql.begin(async (tx) => {
      // The database's clock: the same one that stamps alert_deliveries.created_at, which the rate
      // limit and the digest window compare against.
      const [clock] = await tx<{ now: Date }[]>`select now() as now`;
      const at = deps.now?.() ?? clock!.now;
      // One decision at a time per trader: the rate limit and the digest read each other's rows.
      await tx`select pg_advisory_xact_lock(hashtextextended(${`notify:${userId}`}, 0))`;
      const existing = parseRows(
        deliveryRowSchema,
        await tx`select user_id, channel, status, digest_key from public.alert_deliveries
                 where alert_id = ${alert.id} and user_id = ${userId}
                 order by channel desc`,
        'delivery',
      );
      if (existing.length > 0) return existing.flatMap((d) => toPlanned(d));

      const [profile] = parseRows(
        profileRowSchema,
        await tx`
          select p.id, p.phone, p.phone_verified, p.sms_opt_in, p.timezone,
                 p.quiet_hours_start::text as quiet_hours_start, p.quiet_hours_end::text as quiet_hours_end,
                 p.channels, p.min_score,
                 public.is_muted(p.id, ${alert.symbol}, ${at}) as muted,
                 (select count(*) from public.push_subscriptions s where s.user_id = p.id) as push_subscriptions
          from public.profiles p where p.id = ${userId}`,
        'profile',
      );
      if (!profile) return [];
      const recent = parseRows(
        recentRowSchema,
        await tx`
          select created_at, digest_key, status from public.alert_deliveries
          where user_id = ${userId} and channel = 'sms'
            and created_at > ${new Date(at.getTime() - policy.smsLimitWindowMs)}`,
        'recent delivery',
      ).map(
        (r): RecentSms => ({
          at: r.created_at,
          digestKey: r.digest_key,
          digestPending: r.digest_key !== null && r.status === 'queued',
        }),
      );
      const decision = decideDelivery(
        { type: alert.type, symbol: alert.symbol, score: alert.score, owned: alert.user_id !== null },
        {
          channels: profile.channels,
          ruleChannels: alert.rule_channels,
          minScore: profile.min_score,
          timeZone: profile.timezone,
          quietHours:
            profile.quiet_hours_start && profile.quiet_hours_end
              ? { start: profile.quiet_hours_start, end: profile.quiet_hours_end }
              : null,
          phoneVerified: profile.phone_verified && profile.phone !== null,
          smsOptIn: profile.sms_opt_in,
          muted: profile.muted,
          pushSubscriptions: deps.push ? profile.push_subscriptions : 0,
        },
        recent,
        at,
        policy,
      );
      log?.debug({ alert_id: alert.id, user_id: userId, decision }, 'delivery decision');
      for (const channel of ['sms', 'push'] as const) {
        const d = decision[channel];
        metrics?.decisions.inc({ channel, decision: d.action === 'skip' ? `skip_${d.reason}` : d.action });
      }

      const rows: { channel: Channel; digest_key: string | null }[] = [];
      if (decision.sms.action !== 'skip') {
        rows.push({
          channel: 'sms',
          digest_key: decision.sms.action === 'digest' ? pendingDigestKey(userId) : null,
        });
      }
      if (decision.push.action === 'send') rows.push({ channel: 'push', digest_key: null });
      const planned: PlannedDelivery[] = [];
      for (const r of rows) {
        await tx`
          insert into public.alert_deliveries (alert_id, user_id, channel, status, digest_key)
          values (${alert.id}, ${userId}, ${r.channel}, 'queued', ${r.digest_key})
          on conflict (alert_id, user_id, channel) do nothing`;
        planned.push(
          ...toPlanned({ user_id: userId, channel: r.channel, status: 'queued', digest_key: r.digest_key }),
        );
      }
      return planned;
    });
  }

  async function markDelivery(
    alertId: string,
    userId: string,
    channel: Channel,
    status: SendOutcome['status'],
    fields: { providerId?: string | null; error?: string | null; digestKey?: string | null } = {},
  ): Promise<void> {
    if (status === 'skipped') return;
    metrics?.sends.inc({ channel, status });
    // Forward only: a late status callback may already have moved the row past this status.
    await sql`
      update public.alert_deliveries set
        status = case when public.message_status_rank(status) < public.message_status_rank(${status})
                      then ${status} else status end,
        provider_id = coalesce(provider_id, ${fields.providerId ?? null}),
        error = coalesce(${fields.error?.slice(0, 1000) ?? null}, error),
        digest_key = coalesce(${fields.digestKey ?? null}, digest_key)
      where alert_id = ${alertId} and user_id = ${userId} and channel = ${channel}`;
  }

  async function recipientPhone(userId: string): Promise<string | null> {
    const [row] = await sql<{ phone: string | null }[]>`
      select phone from public.profiles
      where id = ${userId} and phone_verified and sms_opt_in = 'opted_in'`;
    return row?.phone ?? null;
  }

  const smsAlert = (a: AlertRow): SmsAlert => ({
    symbol: a.symbol,
    type: a.type,
    price: a.price,
    session: a.session,
    details: a.details,
    ruleName: a.rule_name,
  });

  /** Sends through the outbox; an opted-out recipient (STOP) is a final answer, not an error. */
  async function sendSms(message: Parameters<SmsOutbox['send']>[0]): Promise<{
    status: SendOutcome['status'];
    providerSid: string | null;
    duplicate: boolean;
    error?: string;
  }> {
    try {
      const sent = await deps.outbox.send(message);
      return { status: sent.status, providerSid: sent.providerSid, duplicate: sent.duplicate };
    } catch (e) {
      if ((e as Error).name === 'SmsOptedOutError') {
        return { status: 'failed', providerSid: null, duplicate: false, error: 'opted_out' };
      }
      throw e;
    }
  }

  return {
    /** Decides who gets the alert on which channel and records it; safe to retry. */
    async planAlertNotification(input: AlertNotificationInput): Promise<PlannedDelivery[]> {
      const { alertId } = parseInput(alertInputSchema, input, 'planAlertNotification');
      const alert = await loadAlert(alertId);
      // Gone (retention, a deleted rule): nothing to tell anyone.
      if (!alert) return [];
      const planned: PlannedDelivery[] = [];
      for (const userId of await recipients(alert)) planned.push(...(await planFor(alert, userId)));
      log?.info({ alert_id: alertId, deliveries: planned.length }, 'alert notification planned');
      return planned;
    },

    /** The alert's own SMS to one trader (key `alert-<alertId>-<userId>`). */
    async sendAlertSms(input: { alertId: string; userId: string }): Promise<SendOutcome> {
      const { alertId, userId } = parseInput(deliveryInputSchema, input, 'sendAlertSms');
      const alert = await loadAlert(alertId);
      if (!alert) return { status: 'skipped', detail: 'alert gone' };
      const phone = await recipientPhone(userId);
      if (!phone) {
        await markDelivery(alertId, userId, 'sms', 'failed', { error: 'no verified, opted-in phone' });
        return { status: 'failed', detail: 'no verified, opted-in phone' };
      }
      const sent = await sendSms({
        userId,
        to: phone,
        body: alertSmsText(smsAlert(alert)),
        idempotencyKey: `alert-${alertId}-${userId}`,
        alertId,
      });
      await markDelivery(alertId, userId, 'sms', sent.status, {
        providerId: sent.providerSid,
        error: sent.error ?? null,
      });
      return {
        status: sent.status,
        duplicate: sent.duplicate,
        ...(sent.error ? { detail: sent.error } : {}),
      };
    },

    /** Web push to every subscription of one trader; drops subscriptions the push service says are gone. */
    async sendAlertPush(input: { alertId: string; userId: string }): Promise<SendOutcome> {
      const { alertId, userId } = parseInput(deliveryInputSchema, input, 'sendAlertPush');
      if (!deps.push) {
        await markDelivery(alertId, userId, 'push', 'failed', { error: 'web push is not configured' });
        return { status: 'failed', detail: 'web push is not configured' };
      }
      const alert = await loadAlert(alertId);
      if (!alert) return { status: 'skipped', detail: 'alert gone' };
      const subs = parseRows(
        subscriptionRowSchema,
        await sql`select id, endpoint, p256dh, auth from public.push_subscriptions where user_id = ${userId}`,
        'push subscription',
      );
      const line = alertLine(smsAlert(alert));
      const payload = {
        // The line without its session note as the title, the whole line as the body.
        title: line.replace(/ \([^)]*\)$/, ''),
        body: line,
        tag: `alert-${alertId}`,
        alertId,
        symbol: alert.symbol,
        url: `/symbol/${encodeURIComponent(alert.symbol)}`,
      };
      let sent = 0;
      let messageId: string | null = null;
      const retryable: string[] = [];
      const final: string[] = [];
      for (const s of subs) {
        const r = await deps.push.send(s, {
          payload,
          topic: `alert-${alertId}`,
          ttlSeconds: 15 * 60,
          urgency: 'high',
        });
        if (r.outcome === 'sent') {
          sent++;
          messageId ??= r.messageId;
          await sql`update public.push_subscriptions set last_success_at = now(), failure_count = 0 where id = ${s.id}`;
        } else if (r.outcome === 'gone') {
          await sql`delete from public.push_subscriptions where id = ${s.id}`;
          log?.info({ user_id: userId, status: r.statusCode }, 'push subscription gone; deleted');
        } else {
          (r.retryable ? retryable : final).push(r.error);
          await sql`update public.push_subscriptions
                    set last_failure_at = now(), failure_count = failure_count + 1 where id = ${s.id}`;
        }
      }
      if (sent > 0) {
        await markDelivery(alertId, userId, 'push', 'sent', { providerId: messageId?.slice(0, 200) ?? null });
        return { status: 'sent' };
      }
      // Nothing went out and the push service may accept it later: let Temporal retry.
      if (retryable.length > 0) throw new Error(`web push failed: ${retryable.join('; ')}`);
      const error = final.length > 0 ? final.join('; ') : 'no live push subscription';
      await markDelivery(alertId, userId, 'push', 'failed', { error });
      return { status: 'failed', detail: error };
    },

    /** Puts the alert into the trader's digest (signal-with-start of `digest-<userId>`). */
    async enqueueDigest(input: { alertId: string; userId: string }): Promise<void> {
      const { alertId, userId } = parseInput(deliveryInputSchema, input, 'enqueueDigest');
      await deps.startDigest(userId, alertId);
    },

    /** One SMS for every alert of the digest still waiting (key `digest-<userId>-<first alert id>`). */
    async sendDigestSms(input: { userId: string; alertIds: string[] }): Promise<SendOutcome> {
      const { userId, alertIds } = parseInput(digestInputSchema, input, 'sendDigestSms');
      const key = digestSmsKey(userId, alertIds);
      const rows = parseRows(
        alertRowSchema,
        await sql`
          select a.id, a.user_id, a.rule_id, r.name as rule_name, r.channels as rule_channels,
                 a.symbol, a.type, a.price, a.session, a.score, a.details
          from public.alert_deliveries d
          join public.alerts a on a.id = d.alert_id
          left join public.rules r on r.id = a.rule_id
          where d.user_id = ${userId} and d.channel = 'sms' and d.alert_id = any(${alertIds}::bigint[])
            and (d.status = 'queued' or d.digest_key = ${key})
          order by a.score desc, a.id`,
        'digest alert',
      );
      if (rows.length === 0) return { status: 'skipped', detail: 'nothing waiting' };
      const phone = await recipientPhone(userId);
      const ids = rows.map((r) => r.id);
      const mark = async (status: SendOutcome['status'], error: string | null) => {
        for (const id of ids) await markDelivery(id, userId, 'sms', status, { digestKey: key, error });
      };
      if (!phone) {
        await mark('failed', 'no verified, opted-in phone');
        return { status: 'failed', detail: 'no verified, opted-in phone' };
      }
      const body = rows.length === 1 ? alertSmsText(smsAlert(rows[0]!)) : digestSmsText(rows.map(smsAlert));
      const sent = await sendSms({ userId, to: phone, body, idempotencyKey: key, alertId: null });
      // provider_id stays null on digest rows: one provider sid cannot sit on several rows
      // (alert_deliveries_provider_id_idx); sms_messages holds it under the digest key.
      await mark(sent.status, sent.error ?? null);
      return {
        status: sent.status,
        duplicate: sent.duplicate,
        ...(sent.error ? { detail: sent.error } : {}),
      };
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;

function notificationMetrics(registry: Registry) {
  const existing = (name: string) => registry.getSingleMetric(name) as Counter<string> | undefined;
  return {
    decisions:
      existing('notification_decisions_total') ??
      new Counter({
        name: 'notification_decisions_total',
        help: 'delivery policy decisions per trader and alert, by channel and decision (send, digest, skip_<reason>)',
        labelNames: ['channel', 'decision'],
        registers: [registry],
      }),
    sends:
      existing('notification_sends_total') ??
      new Counter({
        name: 'notification_sends_total',
        help: 'alert deliveries by channel and resulting status (a digest counts each alert in it)',
        labelNames: ['channel', 'status'],
        registers: [registry],
      }),
  };
}

function toPlanned(d: z.infer<typeof deliveryRowSchema>): PlannedDelivery[] {
  if (d.channel === 'web' || d.status !== 'queued') return [];
  return [{ userId: d.user_id, channel: d.channel, mode: d.digest_key ? 'digest' : 'send' }];
}

/** signal-with-start of the trader's digest workflow, for NotificationDeps.startDigest. */
export function digestStarter(client: Client, taskQueue: string, windowMs?: number) {
  return async (userId: string, alertId: string): Promise<void> => {
    const input: AlertDigestInput = windowMs === undefined ? { userId } : { userId, windowMs };
    await client.workflow.signalWithStart(DIGEST_WORKFLOW_TYPE, {
      workflowId: digestWorkflowId(userId),
      taskQueue,
      args: [input],
      signal: digestAlertSignal,
      signalArgs: [{ alertId }],
    });
  };
}
