'use server';
// Server actions of /settings: alert settings (quiet hours, timezone, channels per alert type,
// sound, minimum score) saved as the trader's own database role; the phone number through a
// texted code. Every input is parsed with zod first.
import { SmsOptedOutError } from '@tradeassist/messaging/twilio';
import { revalidatePath } from 'next/cache';
import { currentUserId } from '@/lib/server/auth.ts';
import { pgCode } from '@/lib/server/auth-db.ts';
import { log } from '@/lib/server/log.ts';
import { saveAlertSettings } from '@/lib/server/settings.ts';
import { alertSettingsSchema, codeSchema, phoneSchema } from '@/lib/server/settings-input.ts';
import {
  confirmVerificationCode,
  sendVerificationCode,
  VerificationRefused,
} from '@/lib/server/settings-phone.ts';
import { verificationOutbox } from '@/lib/server/settings-sms.ts';

export interface SettingsState {
  ok: boolean;
  message: string | null;
  issues: Record<string, string>;
  seq: number;
  /** The number typed, sent back when it was refused (React resets the form after an action). */
  phone?: string;
}

const entries = (form: FormData) => Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));

export async function saveAlertSettingsAction(prev: SettingsState, form: FormData): Promise<SettingsState> {
  const userId = await currentUserId();
  const seq = prev.seq + 1;
  const parsed = alertSettingsSchema.safeParse({ sound: 'off', ...entries(form) });
  if (!parsed.success) {
    const issues: Record<string, string> = {};
    for (const i of parsed.error.issues) issues[String(i.path[0] ?? 'form')] ??= i.message;
    return { ok: false, message: 'Not saved: check the marked fields.', issues, seq };
  }
  try {
    await saveAlertSettings(userId, parsed.data);
  } catch (e) {
    // The profile's own checks (timezone known to Postgres, channel map shape) have the last word.
    const { code, constraint } = pgCode(e);
    if (code === '23514')
      return { ok: false, message: `Not saved: the database refused it (${constraint}).`, issues: {}, seq };
    throw e;
  }
  revalidatePath('/settings');
  return { ok: true, message: 'Saved.', issues: {}, seq };
}

export async function sendCodeAction(prev: SettingsState, form: FormData): Promise<SettingsState> {
  const userId = await currentUserId();
  const seq = prev.seq + 1;
  const phone = phoneSchema.safeParse(form.get('phone'));
  const typed = String(form.get('phone') ?? '');
  if (!phone.success) {
    return { ok: false, message: null, issues: { phone: phone.error.issues[0]!.message }, seq, phone: typed };
  }
  try {
    await sendVerificationCode(userId, phone.data, verificationOutbox());
  } catch (e) {
    if (e instanceof SmsOptedOutError) {
      const message = 'This number replied STOP to us: text START to it first, then ask for a code again.';
      return { ok: false, message, issues: {}, seq, phone: typed };
    }
    if (e instanceof VerificationRefused)
      return { ok: false, message: e.message, issues: {}, seq, phone: typed };
    log().error({ err: e instanceof Error ? e.message : String(e) }, 'verification code not sent');
    return {
      ok: false,
      message: 'The code could not be sent just now. Try again in a minute.',
      issues: {},
      seq,
      phone: typed,
    };
  }
  revalidatePath('/settings');
  return { ok: true, message: `Code sent to ${phone.data}. It expires in 10 minutes.`, issues: {}, seq };
}

export async function verifyCodeAction(prev: SettingsState, form: FormData): Promise<SettingsState> {
  const userId = await currentUserId();
  const seq = prev.seq + 1;
  const code = codeSchema.safeParse(form.get('code'));
  if (!code.success)
    return { ok: false, message: null, issues: { code: code.error.issues[0]!.message }, seq };
  try {
    const phone = await confirmVerificationCode(userId, code.data);
    revalidatePath('/settings');
    return { ok: true, message: `${phone} is verified: alerts can go to it by SMS.`, issues: {}, seq };
  } catch (e) {
    if (e instanceof VerificationRefused)
      return { ok: false, message: e.message, issues: { code: e.message }, seq };
    throw e;
  }
}
