'use client';
// The alert settings form of /settings: quiet hours, timezone, minimum score, sound, and the
// channels matrix (sms / push / web per alert type; a type left on "default" follows the default
// row). Saved by a server action that parses it again; the matrix goes as one JSON field.
import { useActionState, useEffect, useState } from 'react';
import { type SettingsState, saveAlertSettingsAction } from '@/app/settings/actions.ts';
import { ALERT_KINDS } from '@/lib/feed/alert-kinds.ts';
import {
  CHANNEL_KEYS,
  CHANNELS,
  type Channel,
  type ChannelKey,
  type ChannelMap,
} from '@/lib/server/settings-input.ts';
import { buttonClass, FormMessage, inputClass } from './trade-fields.tsx';

const INITIAL: SettingsState = { ok: false, message: null, issues: {}, seq: 0 };

const LABEL: Record<ChannelKey, string> = {
  default: 'Default',
  trade: 'My trades (stop, target, follow-ups)',
  ...Object.fromEntries(Object.entries(ALERT_KINDS).map(([k, v]) => [k, v.label])),
} as Record<ChannelKey, string>;

export interface AlertSettingsValues {
  timezone: string;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  channels: ChannelMap;
  sound_enabled: boolean;
  min_score: number;
}

function Err({ msg }: { msg: string | undefined }) {
  return msg ? <span className="mt-0.5 block text-[12px] text-down">{msg}</span> : null;
}

export function SettingsAlerts({ values, timezones }: { values: AlertSettingsValues; timezones: string[] }) {
  const [state, action, pending] = useActionState(saveAlertSettingsAction, INITIAL);
  // Controlled: React resets a form after its action, and a refused save must keep what was typed.
  const [channels, setChannels] = useState<ChannelMap>(values.channels);
  const [f, setF] = useState({
    quiet_start: values.quiet_hours_start ?? '',
    quiet_end: values.quiet_hours_end ?? '',
    timezone: values.timezone,
    min_score: String(values.min_score),
    sound: values.sound_enabled,
  });
  const field = (k: 'quiet_start' | 'quiet_end' | 'timezone' | 'min_score') => ({
    name: k,
    value: f[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setF((x) => ({ ...x, [k]: e.target.value })),
  });
  const fallback = channels.default ?? [];
  // Marks the form interactive (hydrated): the matrix is large, and tests wait for this.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const toggle = (key: ChannelKey, c: Channel) =>
    setChannels((m) => {
      const cur = m[key] ?? [];
      return {
        ...m,
        [key]: cur.includes(c)
          ? cur.filter((x) => x !== c)
          : CHANNELS.filter((x) => x === c || cur.includes(x)),
      };
    });
  const inherit = (key: ChannelKey, on: boolean) =>
    setChannels((m) => {
      const next = { ...m };
      if (on) delete next[key];
      else next[key] = [...(m.default ?? [])];
      return next;
    });
  return (
    <form
      action={action}
      aria-label="Alert settings"
      data-hydrated={hydrated || undefined}
      className="space-y-4 rounded border border-line bg-panel p-3"
    >
      <h2 className="text-sm font-semibold">Alerts</h2>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <label className="block min-w-0">
          <span className="text-[11px] uppercase tracking-wide text-muted">Quiet from</span>
          <input
            type="time"
            {...field('quiet_start')}
            className={inputClass}
            aria-invalid={state.issues.quiet_start ? true : undefined}
          />
          <Err msg={state.issues.quiet_start} />
        </label>
        <label className="block min-w-0">
          <span className="text-[11px] uppercase tracking-wide text-muted">Quiet until</span>
          <input
            type="time"
            {...field('quiet_end')}
            className={inputClass}
            aria-invalid={state.issues.quiet_end ? true : undefined}
          />
          <Err msg={state.issues.quiet_end} />
        </label>
        <label className="col-span-2 block min-w-0">
          <span className="text-[11px] uppercase tracking-wide text-muted">Timezone</span>
          <select {...field('timezone')} className={`${inputClass} font-sans`}>
            {timezones.map((tz) => (
              <option key={tz} value={tz}>
                {tz.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
          <Err msg={state.issues.timezone} />
        </label>
        <label className="block min-w-0">
          <span className="text-[11px] uppercase tracking-wide text-muted">Minimum score</span>
          <input
            {...field('min_score')}
            inputMode="decimal"
            className={inputClass}
            aria-invalid={state.issues.min_score ? true : undefined}
          />
          <Err msg={state.issues.min_score} />
        </label>
        <label className="flex min-h-11 items-center gap-2 self-end">
          <input
            type="checkbox"
            name="sound"
            checked={f.sound}
            onChange={(e) => setF((x) => ({ ...x, sound: e.target.checked }))}
            className="size-5 accent-accent"
          />
          <span>Sound on alerts</span>
        </label>
      </div>
      <p className="text-[12px] text-muted">
        No SMS during quiet hours (in your timezone; 22:00 to 07:00 wraps midnight); push and the dashboard
        still show alerts. Leave both empty for none. Minimum score filters market-wide alerts, not your rules
        or halts.
      </p>

      <fieldset>
        <legend className="text-[11px] uppercase tracking-wide text-muted">Where each alert goes</legend>
        <input type="hidden" name="channels" value={JSON.stringify(channels)} />
        <table className="mt-1 w-full border-collapse" aria-label="Channels per alert type">
          <thead>
            <tr className="border-b border-line text-[11px] uppercase tracking-wide text-muted">
              <th className="py-1 text-left font-normal">Alert</th>
              <th className="w-16 font-normal">Default</th>
              {CHANNELS.map((c) => (
                <th key={c} className="w-12 font-normal">
                  {c === 'sms' ? 'SMS' : c === 'push' ? 'Push' : 'Web'}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {CHANNEL_KEYS.map((key) => {
              const own = channels[key];
              const inherits = key !== 'default' && own === undefined;
              const shown = own ?? fallback;
              return (
                <tr key={key} data-channel-row={key} className="border-b border-line/60">
                  <th
                    scope="row"
                    className={`py-0.5 text-left font-normal ${key === 'default' ? 'font-semibold' : ''}`}
                  >
                    {LABEL[key]}
                  </th>
                  <td className="text-center">
                    {key !== 'default' && (
                      <label className="inline-flex size-11 items-center justify-center">
                        <input
                          type="checkbox"
                          aria-label={`${LABEL[key]}: same as default`}
                          checked={inherits}
                          onChange={(e) => inherit(key, e.target.checked)}
                          className="size-5 accent-accent"
                        />
                      </label>
                    )}
                  </td>
                  {CHANNELS.map((c) => (
                    <td key={c} className="text-center">
                      <label className="inline-flex size-11 items-center justify-center">
                        <input
                          type="checkbox"
                          aria-label={`${LABEL[key]}: ${c}`}
                          checked={shown.includes(c)}
                          disabled={inherits}
                          onChange={() => toggle(key, c)}
                          className="size-5 accent-accent disabled:opacity-40"
                        />
                      </label>
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        <Err msg={state.issues.channels} />
      </fieldset>
      <FormMessage ok={state.ok} message={state.message} />
      <button type="submit" disabled={pending} className={`${buttonClass} w-full sm:w-auto`}>
        {pending ? 'Saving…' : 'Save alert settings'}
      </button>
    </form>
  );
}
