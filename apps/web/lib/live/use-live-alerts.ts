'use client';
// useLiveAlerts: new alerts as they commit, through the transport the server chose (SSE in the
// local profile, Supabase Realtime in the cloud), each alert delivered once, validated, with the
// connection state for the UI. Resumes after `since` (the newest id the page already shows).
import type { LiveAlert } from '@tradeassist/db/live-alert';
import { useEffect, useMemo, useRef, useState } from 'react';
import { LiveAlertTracker } from './live-alert-tracker.ts';
import type { LiveState, LiveTransport, LiveTransportConfig } from './live-transport.ts';
import { sseTransport } from './sse-transport.ts';
import { supabaseTransport } from './supabase-transport.ts';

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
  return config.kind === 'sse'
    ? sseTransport(config.url)
    : supabaseTransport({ supabaseUrl: config.supabaseUrl, anonKey: config.anonKey, userId: config.userId });
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
    const stop = chosen.connect({
      lastId: () => tracker.lastId,
      onState: setState,
      onPayload: (payload) => {
        const r = tracker.accept(payload);
        if (r.kind === 'new') {
          received++;
          handlers.current.onAlert(r.alert);
          setStatus({ lastId: tracker.lastId, received });
        } else if (r.kind === 'invalid') handlers.current.onInvalid?.(r.reason);
        // 'fetch' cannot happen on these transports (the SSE server and the broadcast carry the row).
      },
    });
    const offline = () => setState('offline');
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('offline', offline);
      stop();
    };
  }, [chosen]);

  return { state, ...status };
}
