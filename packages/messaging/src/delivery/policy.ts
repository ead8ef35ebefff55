// The delivery policy: for one alert and one trader, which channels to use and how. Pure (the
// notifier's activity gathers the inputs and records the decision), so every rule below is tested
// without a database or a clock:
//  - channels come from the trader's map by alert type, with 'default' for types not listed; a
//    rule alert uses its rule's own channels (the trader chose them when writing the rule);
//  - mutes silence every channel; min_score filters market-wide alerts (not the trader's own rules,
//    not halts);
//  - SMS needs a verified phone and an explicit opt-in (carrier rules);
//  - in quiet hours SMS is skipped, not held: a held alert would arrive hours late, when the price
//    has moved on, and the morning would start with a pile of stale texts. Push still goes (the
//    phone's own do-not-disturb decides whether it makes a sound), and the dashboard shows all;
//  - a burst becomes a digest: when the trader got an alert SMS in the last digest window, the alert
//    joins a digest message instead of a text of its own;
//  - at most `smsLimit` SMS messages per `smsLimitWindowMs` (a digest counts once); an alert that
//    would need a new message beyond that is skipped, but can still join a pending digest;
//  - halts and resumes always go at once (DOMAIN.md: never rate-limited away), still subject to
//    mutes, quiet hours and the trader's channel choice.
import type { AlertType } from '@tradeassist/core/alert';
import { inQuietHours, type QuietHours } from './quiet-hours.ts';

export type Channel = 'sms' | 'push' | 'web';
export type ChannelMapKey = AlertType | 'default' | 'trade';
export type ChannelMap = Partial<Record<ChannelMapKey, readonly Channel[]>>;
export type SmsOptIn = 'opted_in' | 'opted_out' | 'pending';

export interface PolicyAlert {
  type: AlertType;
  symbol: string;
  score: number;
  /** True for a rule alert (alerts.user_id set): the trader's own rule, not market-wide noise. */
  owned: boolean;
}

export interface PolicyRecipient {
  channels: ChannelMap;
  /** rules.channels of a rule alert whose rule still exists; null otherwise. */
  ruleChannels: readonly Channel[] | null;
  minScore: number;
  timeZone: string;
  quietHours: QuietHours | null;
  phoneVerified: boolean;
  smsOptIn: SmsOptIn;
  /** public.is_muted(user, symbol, now). */
  muted: boolean;
  /** How many push subscriptions (browsers / installed PWAs) the trader has. */
  pushSubscriptions: number;
}

/** One of the trader's recent SMS alert deliveries (alert_deliveries, channel 'sms'). */
export interface RecentSms {
  at: Date;
  /** null: sent as a message of its own; otherwise the digest it went (or goes) out in. */
  digestKey: string | null;
  /** True while its digest has not been sent yet. */
  digestPending: boolean;
}

export interface PolicyOptions {
  smsLimit: number;
  smsLimitWindowMs: number;
  digestWindowMs: number;
}

export const DEFAULT_POLICY: PolicyOptions = {
  smsLimit: 6,
  smsLimitWindowMs: 10 * 60_000,
  digestWindowMs: 60_000,
};

export type SkipReason =
  | 'channel_off'
  | 'muted'
  | 'below_min_score'
  | 'phone_not_verified'
  | 'not_opted_in'
  | 'quiet_hours'
  | 'rate_limited'
  | 'no_push_subscription';

export type SmsDecision = { action: 'send' } | { action: 'digest' } | { action: 'skip'; reason: SkipReason };
export type PushDecision = { action: 'send' } | { action: 'skip'; reason: SkipReason };

export interface DeliveryDecision {
  sms: SmsDecision;
  push: PushDecision;
}

const URGENT: ReadonlySet<AlertType> = new Set(['halt', 'resume']);

/** The channels a trader wants for an alert type: the type's entry, else 'default', else none. */
export function channelsFor(map: ChannelMap, type: AlertType): readonly Channel[] {
  return map[type] ?? map.default ?? [];
}

export function decideDelivery(
  alert: PolicyAlert,
  r: PolicyRecipient,
  recent: readonly RecentSms[],
  now: Date,
  options: PolicyOptions = DEFAULT_POLICY,
): DeliveryDecision {
  const wanted = r.ruleChannels ?? channelsFor(r.channels, alert.type);
  const urgent = URGENT.has(alert.type);
  const common = (): SkipReason | null => {
    if (r.muted) return 'muted';
    if (!alert.owned && !urgent && alert.score < r.minScore) return 'below_min_score';
    return null;
  };
  const shared = common();

  let push: PushDecision;
  if (!wanted.includes('push')) push = { action: 'skip', reason: 'channel_off' };
  else if (shared) push = { action: 'skip', reason: shared };
  else if (r.pushSubscriptions === 0) push = { action: 'skip', reason: 'no_push_subscription' };
  else push = { action: 'send' };

  return { sms: decideSms(wanted, shared, urgent, r, recent, now, options), push };
}

function decideSms(
  wanted: readonly Channel[],
  shared: SkipReason | null,
  urgent: boolean,
  r: PolicyRecipient,
  recent: readonly RecentSms[],
  now: Date,
  o: PolicyOptions,
): SmsDecision {
  if (!wanted.includes('sms')) return skip('channel_off');
  if (shared) return skip(shared);
  if (!r.phoneVerified) return skip('phone_not_verified');
  if (r.smsOptIn !== 'opted_in') return skip('not_opted_in');
  if (inQuietHours(now, r.timeZone, r.quietHours)) return skip('quiet_hours');
  if (urgent) return { action: 'send' };

  const t = now.getTime();
  const inWindow = (s: RecentSms, ms: number) => t - s.at.getTime() < ms && s.at.getTime() <= t;
  // Joining a digest that will go out anyway costs no extra message, so it is allowed even at the limit.
  if (recent.some((s) => s.digestPending && inWindow(s, o.smsLimitWindowMs))) return { action: 'digest' };
  const burst = recent.some((s) => inWindow(s, o.digestWindowMs));
  if (messagesIn(recent, t, o.smsLimitWindowMs) >= o.smsLimit) return skip('rate_limited');
  return burst ? { action: 'digest' } : { action: 'send' };
}

/** SMS messages sent (or pending) in the window: each own message once, each digest once. */
export function messagesIn(recent: readonly RecentSms[], nowMs: number, windowMs: number): number {
  let own = 0;
  const digests = new Set<string>();
  for (const s of recent) {
    const at = s.at.getTime();
    if (nowMs - at >= windowMs || at > nowMs) continue;
    if (s.digestKey === null) own++;
    else digests.add(s.digestKey);
  }
  return own + digests.size;
}

const skip = (reason: SkipReason): SmsDecision => ({ action: 'skip', reason });
