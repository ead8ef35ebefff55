// Which live transport the browser uses, chosen on the server from the profile. Only public values
// go to the browser (the Supabase URL and anon key); never the service key.
import type { LiveTransportConfig } from '../live/live-transport.ts';
import { getEnv } from './env.ts';

export function liveTransportConfig(): LiveTransportConfig {
  const env = getEnv();
  if (env.profile === 'cloud' && env.SUPABASE_URL && env.SUPABASE_ANON_KEY) {
    // Without signed-in users yet, the browser sees the market-wide topic only.
    return { kind: 'supabase', supabaseUrl: env.SUPABASE_URL, anonKey: env.SUPABASE_ANON_KEY, userId: null };
  }
  return { kind: 'sse', url: '/api/live' };
}
