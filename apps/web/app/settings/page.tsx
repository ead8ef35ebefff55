import { logout } from '@/app/login/actions.ts';
import { PushToggle } from '@/components/push-toggle.tsx';
import { SettingsAlerts } from '@/components/settings-alerts.tsx';
import { SettingsPhone } from '@/components/settings-phone.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { quietButtonClass } from '@/components/trade-fields.tsx';
import { authMode, currentUserId } from '@/lib/server/auth.ts';
import { getEnv } from '@/lib/server/env.ts';
import { getSettings } from '@/lib/server/settings.ts';

export const dynamic = 'force-dynamic';

// Most-used first for a US trader; then every other zone this runtime knows.
const COMMON = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Europe/London',
  'UTC',
];

function timezones(current: string): string[] {
  const all = Intl.supportedValuesOf('timeZone');
  return [...new Set([current, ...COMMON, ...all])];
}

// The trader's settings: the phone SMS goes to (verified by a code), where and when alerts reach
// them, and sign-out when a passcode protects the dashboard.
export default async function SettingsPage() {
  const userId = await currentUserId();
  const s = await getSettings(userId);
  return (
    <>
      <TopBar active="Settings" />
      <main className="mx-auto max-w-3xl space-y-3 px-3 py-2 pb-10">
        <h1 className="text-sm font-semibold">Settings</h1>
        {!s ? (
          <p role="alert" className="text-down">
            No profile for this user: run the seed (npm run demo does) or sign up again.
          </p>
        ) : (
          <>
            <SettingsPhone
              phone={s.phone}
              verified={s.phone_verified}
              optIn={s.sms_opt_in}
              pending={s.pending}
            />
            {/* Per device: a browser subscribes itself, so the switch lives with the other channels. */}
            <section
              aria-label="Push on this device"
              className="space-y-2 rounded border border-line bg-panel p-3"
            >
              <h2 className="text-sm font-semibold">Push on this device</h2>
              <PushToggle publicKey={getEnv().VAPID_PUBLIC_KEY ?? null} />
            </section>
            <SettingsAlerts
              timezones={timezones(s.timezone)}
              values={{
                timezone: s.timezone,
                quiet_hours_start: s.quiet_hours_start,
                quiet_hours_end: s.quiet_hours_end,
                channels: s.channels,
                sound_enabled: s.sound_enabled,
                min_score: s.min_score,
              }}
            />
          </>
        )}
        {(authMode().kind === 'passcode' || authMode().kind === 'supabase') && (
          <form action={logout}>
            <button type="submit" className={quietButtonClass}>
              Sign out
            </button>
          </form>
        )}
      </main>
    </>
  );
}
