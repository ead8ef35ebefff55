'use client';
// useLiveAlerts: new alerts as they commit, through the transport the server chose (SSE in the
// local profile, Supabase Realtime in the cloud), each alert delivered once, validated, with the
// connection state for the UI. Resumes after `since` (the newest id the page already shows).
import type { LiveAlert } from '@tradeassist/db/live-alert';
import { useEffect, useMemo, useRef, useState } from 'react';
import { LiveAlertTracker } from './live-alert-tracker.ts';
import type { LiveState, LiveTransport, LiveTransportConfig } from './live-transport.ts';
import { sseTransport } from './sse-transport.ts';

export interface UseLiveAlertsOptions {
  transport: LiveTransportConfig | LiveTransport;
  onAlert: (alert: LiveAlert) => void;
  /** Newest alert id already on screen; alerts after it are back-filled. */
  since?: string | null;
  onInvalid?: (reason: string) => void;
}

export interface LiveAlertsStatus {
  state: LiveState;
  lastId: string | null;
  /** Alerts delivered since mounting (back-filled and live). */
  received: number;
}

export function transportFor(config: LiveTransportConfig | LiveTransport): LiveTransport {
  if ('connect' in config) return config;
  return config.kind === 'sse' ? sseTransport(config.url) : lazySupabaseTransport(config);
}

/**
 * The Supabase client (~60 KB gzipped) is fetched only where the cloud profile uses it, after the
 * page is up: the local profile's pages never download it, and the feed's first load stays small.
 */
function lazySupabaseTransport(config: Extract<LiveTransportConfig, { kind: 'supabase' }>): LiveTransport {
  return {
    connect(h) {
      let stop: (() => void) | null = null;
      let stopped = false;
      import('./supabase-transport.ts').then(
        (m) => {
          if (stopped) return;
          stop = m
            .supabaseTransport({
              supabaseUrl: config.supabaseUrl,
              anonKey: config.anonKey,
              userId: config.userId,
            })
            .connect(h);
        },
        () => h.onState('reconnecting'), // the chunk did not load (offline): the page can be reloaded
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
  };
}

export function useLiveAlerts({
  transport,
  onAlert,
  since = null,
  onInvalid,
}: UseLiveAlertsOptions): LiveAlertsStatus {
  const [state, setState] = useState<LiveState>('connecting');
  const [status, setStatus] = useState({ lastId: since, received: 0 });
  const handlers = useRef({ onAlert, onInvalid });
  // Where to start is read once: later alerts move the resume point inside the tracker.
  const start = useRef(since);
  handlers.current = { onAlert, onInvalid };
  const key = 'connect' in transport ? transport : JSON.stringify(transport);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the transport's value
  const chosen = useMemo(() => transportFor(transport), [key]);

  useEffect(() => {
    const tracker = new LiveAlertTracker(start.current);
    let received = 0;
    // The status is for display: one state update per frame, not one per alert (at 50 alerts/s a
    // render of the hook's host per alert cost the feed its frame rate).
    let frame: number | null = null;
    const publish = () => {
      frame = null;
      setStatus({ lastId: tracker.lastId, received });
    };
    const stop = chosen.connect({
      lastId: () => tracker.lastId,
      onState: setState,
      onPayload: (payload) => {
        const r = tracker.accept(payload);
        if (r.kind === 'new') {
          received++;
          handlers.current.onAlert(r.alert);
          frame ??= requestAnimationFrame(publish);
        } else if (r.kind === 'invalid') handlers.current.onInvalid?.(r.reason);
        // 'fetch' cannot happen on these transports (the SSE server and the broadcast carry the row).
      },
    });
    const offline = () => setState('offline');
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('offline', offline);
      if (frame !== null) cancelAnimationFrame(frame);
      stop();
    };
  }, [chosen]);

  return { state, ...status };
}
