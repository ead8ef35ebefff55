// Connection options for Temporal from a validated env: the local dev server (plain gRPC), or
// Temporal Cloud with an API key (TLS on) or mTLS client certificates. Shared by the worker, the
// screener (signals) and the web app (health, webhooks), which pass them to Connection or
// NativeConnection.
import { readFileSync } from 'node:fs';

export interface TemporalEnv {
  readonly TEMPORAL_ADDRESS: string;
  readonly TEMPORAL_NAMESPACE: string;
  readonly TEMPORAL_API_KEY?: string | undefined;
  readonly TEMPORAL_TLS_CERT?: string | undefined;
  readonly TEMPORAL_TLS_KEY?: string | undefined;
}

export interface TemporalConnectionOptions {
  address: string;
  namespace: string;
  tls?: boolean | { clientCertPair: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

export function temporalConnectionOptions(env: TemporalEnv): TemporalConnectionOptions {
  const opts: TemporalConnectionOptions = {
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
  };
  if (env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY) {
    opts.tls = {
      clientCertPair: { crt: readFileSync(env.TEMPORAL_TLS_CERT), key: readFileSync(env.TEMPORAL_TLS_KEY) },
    };
  } else if (env.TEMPORAL_API_KEY) {
    opts.tls = true;
  }
  if (env.TEMPORAL_API_KEY) opts.apiKey = env.TEMPORAL_API_KEY;
  return opts;
}
