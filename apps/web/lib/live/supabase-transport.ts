// Cloud profile: Supabase Realtime broadcast on the private topics the alerts trigger sends to
// (`alerts:market`, `alerts:user:<uid>`, event `alert`), authorised by the realtime.messages policy
// with the signed-in user's JWT (never a service key). A broadcast is not replayed, so on every
// (re)subscription the missed alerts are read from the table through PostgREST (RLS applies).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { LiveState, LiveTransport } from './live-transport.ts';

// Exact values: PostgREST would send bigint and numeric as JSON numbers (binary floats).
const COLUMNS =
  'id::text,user_id,rule_id,symbol,type,ts_event::text,price::text,session,score,details,dedupe_key,created_at';
const PAGE = 500;

export interface SupabaseTransportOptions {
  /** The dashboard's browser client (signed in); or url + anon key to make one. */
  client?: SupabaseClient;
  supabaseUrl?: string;
  anonKey?: string;
  userId: string | null;
}

export function alertTopics(userId: string | null): string[] {
  return userId ? ['alerts:market', `alerts:user:${userId}`] : ['alerts:market'];
}

export function supabaseTransport(o: SupabaseTransportOptions): LiveTransport {
  return {
    connect({ onPayload, onState, lastId }) {
      const client =
        o.client ??
        (o.supabaseUrl && o.anonKey
          ? createClient(o.supabaseUrl, o.anonKey)
          : (() => {
              throw new Error('supabaseTransport needs a client, or supabaseUrl and anonKey');
            })());
      let stopped = false;
      const topics = alertTopics(o.userId);
      const status = new Map<string, string>();

      const backfill = async () => {
        let after = lastId();
        if (after === null) return; // nothing shown yet: the page's initial list is the baseline
        for (;;) {
          const { data, error } = await client
            .from('alerts')
            .select(COLUMNS)
            .gt('id', after)
            .order('id', { ascending: true })
            .limit(PAGE);
          if (error) throw new Error(`alerts back-fill after ${after}: ${error.message}`);
          const rows = (data ?? []) as unknown as { id: string }[];
          for (const r of rows) onPayload(r);
          if (rows.length < PAGE || stopped) return;
          after = rows[rows.length - 1]!.id;
        }
      };

      const update = () => {
        const all = [...status.values()];
        let s: LiveState = 'connecting';
        if (all.length === topics.length && all.every((x) => x === 'SUBSCRIBED')) s = 'live';
        else if (all.some((x) => x === 'CLOSED')) s = 'offline';
        else if (all.some((x) => x === 'CHANNEL_ERROR' || x === 'TIMED_OUT')) s = 'reconnecting';
        onState(s);
      };

      void (async () => {
        // Private channels are authorised with the user's access token.
        const { data } = await client.auth.getSession();
        if (data.session) await client.realtime.setAuth(data.session.access_token);
        if (stopped) return;
        for (const topic of topics) {
          client
            .channel(topic, { config: { private: true } })
            .on('broadcast', { event: 'alert' }, (m) => onPayload(m.payload))
            .subscribe((st) => {
              status.set(topic, st);
              if (st === 'SUBSCRIBED') {
                backfill()
                  .catch(() => onState('reconnecting'))
                  .finally(update);
              } else update();
            });
        }
      })();

      onState('connecting');
      return () => {
        stopped = true;
        void client.removeAllChannels();
      };
    },
  };
}
