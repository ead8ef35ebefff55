'use client';
// Alert notifications on this device (Web Push): subscribes this browser with the server's VAPID
// public key and registers the subscription at /api/push/subscription; the Temporal notifier then
// pushes alerts to it per the trader's channel settings. Permission is asked on a click only
// (browsers penalise sites that ask on load). The public key is public by design: the push
// service uses it to check that pushes come from the server holding the private key.
import { useCallback, useEffect, useState } from 'react';

export type PushState = 'loading' | 'unsupported' | 'unconfigured' | 'denied' | 'off' | 'on' | 'busy';

const API = '/api/push/subscription';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  return x.every((v, i) => v === b[i]);
}

/** iPhone and iPad (iPadOS reports itself as a Mac with touch): push only once on the Home Screen. */
function isAppleMobile(): boolean {
  const ua = navigator.userAgent;
  return /iPhone|iPad|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

function supported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The route's refusal: its message, and its code for the ones the toggle acts on. */
async function refusal(res: Response): Promise<{ error: string; code: string | null }> {
  const body = (await res.json().catch(() => null)) as { error?: unknown; code?: unknown } | null;
  return {
    error: typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`,
    code: typeof body?.code === 'string' ? body.code : null,
  };
}

function send(method: 'POST' | 'DELETE', body: unknown): Promise<Response> {
  return fetch(API, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The worker that receives pushes; waits for the one components/service-worker.tsx registers. */
async function registration(): Promise<ServiceWorkerRegistration> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('the service worker is not running: reload the page')), 10_000),
  );
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

export function PushToggle({ publicKey }: { publicKey: string | null }) {
  const [state, setState] = useState<PushState>('loading');
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const settle = (s: PushState) => live && setState(s);
    (async () => {
      if (!supported()) return settle('unsupported');
      if (!publicKey) return settle('unconfigured');
      if (Notification.permission === 'denied') return settle('denied');
      const reg = await navigator.serviceWorker.getRegistration('/');
      const sub = await reg?.pushManager.getSubscription();
      if (!sub || Notification.permission !== 'granted') return settle('off');
      // "On" means the server pushes here: this browser subscribed and its row is still stored
      // (the notifier deletes rows the push service reports gone).
      const res = await fetch(`${API}?endpoint=${encodeURIComponent(sub.endpoint)}`);
      const known = res.ok && ((await res.json()) as { registered?: unknown }).registered === true;
      settle(known && sameKey(sub.options.applicationServerKey, keyBytes(publicKey)) ? 'on' : 'off');
    })().catch(() => settle('off'));
    return () => {
      live = false;
    };
  }, [publicKey]);

  const turnOn = useCallback(async (key: string) => {
    const permission = await Notification.requestPermission();
    if (permission === 'denied') return setState('denied');
    if (permission !== 'granted') {
      setNote('Notifications were not allowed. Click again to be asked once more.');
      return setState('off');
    }
    const reg = await registration();
    const serverKey = keyBytes(key);
    let sub = await reg.pushManager.getSubscription();
    // Subscribed under an older VAPID key: pushes signed with the new one would be refused.
    if (sub && !sameKey(sub.options.applicationServerKey, serverKey)) {
      await sub.unsubscribe();
      sub = null;
    }
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
    let res = await send('POST', sub.toJSON());
    let why = res.ok ? null : await refusal(res);
    if (why?.code === 'taken') {
      // This browser was subscribed for someone else: a fresh subscription has a new endpoint
      // (the old row goes when the push service reports the old endpoint gone).
      await sub.unsubscribe();
      sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
      res = await send('POST', sub.toJSON());
      why = res.ok ? null : await refusal(res);
    }
    if (why) {
      // Not stored: keep the browser from holding a subscription nobody pushes to.
      await sub.unsubscribe().catch(() => undefined);
      throw new Error(why.error);
    }
    setState('on');
  }, []);

  const turnOff = useCallback(async () => {
    const reg = await navigator.serviceWorker.getRegistration('/');
    const sub = await reg?.pushManager.getSubscription();
    if (sub) {
      const res = await send('DELETE', { endpoint: sub.endpoint });
      if (!res.ok) throw new Error((await refusal(res)).error);
      await sub.unsubscribe();
    }
    setState('off');
  }, []);

  const toggle = () => {
    if (!publicKey || (state !== 'on' && state !== 'off')) return;
    const was = state;
    setNote(null);
    setState('busy');
    (was === 'on' ? turnOff() : turnOn(publicKey)).catch((e: unknown) => {
      setNote(`Could not turn push ${was === 'on' ? 'off' : 'on'}: ${(e as Error).message}`);
      setState(was);
    });
  };

  const on = state === 'on';
  const canToggle = state === 'on' || state === 'off';
  return (
    <div className="flex flex-col gap-1" data-testid="push-toggle" data-push-state={state}>
      <div className="flex items-center gap-3">
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-label="Push notifications on this device"
          disabled={!canToggle}
          onClick={toggle}
          className={`relative h-6 w-11 shrink-0 rounded-full border border-line transition-colors disabled:opacity-40 ${on ? 'bg-accent' : 'bg-bg'}`}
        >
          <span
            aria-hidden
            className={`absolute top-0.5 size-4.5 rounded-full bg-text transition-[left] ${on ? 'left-5.5' : 'left-0.5'}`}
          />
        </button>
        <span className="font-medium">Push notifications on this device</span>
        <span className="text-muted" data-testid="push-status">
          {LABEL[state]}
        </span>
      </div>
      <p className="text-[11px] text-muted" data-testid="push-help">
        {note ?? help(state)}
      </p>
    </div>
  );
}

const LABEL: Record<PushState, string> = {
  loading: '…',
  unsupported: 'not available',
  unconfigured: 'not configured',
  denied: 'blocked',
  off: 'off',
  on: 'on',
  busy: '…',
};

function help(state: PushState): string {
  switch (state) {
    case 'unsupported':
      return typeof navigator !== 'undefined' && isAppleMobile()
        ? 'On iPhone and iPad, push works in the installed app: tap Share, then Add to Home Screen, and open TradeAssist from there (iOS 16.4 or later).'
        : 'This browser does not support Web Push notifications.';
    case 'unconfigured':
      return 'Push is not configured on this server: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT (npx web-push generate-vapid-keys).';
    case 'denied':
      return "Notifications are blocked for this site: allow them in the browser's site settings, then reload.";
    case 'on':
      return 'Alerts you route to push (Settings) arrive here even when the dashboard is closed.';
    case 'off':
      return 'Turn on to get alerts here even when the dashboard is closed; the browser asks for permission.';
    default:
      return '';
  }
}
