// A way for alerts to reach the browser. Both transports hand raw payloads to the hook, which
// validates and de-duplicates them (LiveAlertTracker); each is responsible for filling the gap after
// a reconnection, since neither NOTIFY nor a broadcast is replayed.
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface TransportHandlers {
  /** A raw alert payload (JSON text or object), not yet validated. */
  onPayload: (payload: unknown) => void;
  onState: (state: LiveState) => void;
  /** The highest alert id received so far (resume point), read at each reconnection. */
  lastId: () => string | null;
}

export interface LiveTransport {
  /** Starts receiving; returns the function that stops. */
  connect(h: TransportHandlers): () => void;
}

/** Chosen on the server (from the profile) and passed to the client component as a prop: no secrets. */
export type LiveTransportConfig =
  | { kind: 'sse'; url?: string }
  | { kind: 'supabase'; supabaseUrl: string; anonKey: string; userId: string | null };
