import { describe, expect, it } from 'vitest';
import { isSecretName, redactEnv, redactUrl } from './redact.ts';

describe('redaction', () => {
  it('knows secret names by their words, but not public keys', () => {
    expect(isSecretName('TWILIO_AUTH_TOKEN')).toBe(true);
    expect(isSecretName('SUPABASE_SERVICE_ROLE_KEY')).toBe(true);
    expect(isSecretName('DASHBOARD_PASSCODE')).toBe(true);
    expect(isSecretName('VAPID_PUBLIC_KEY')).toBe(false);
    expect(isSecretName('DATABASE_POOL_MAX')).toBe(false);
  });

  it('strips URL passwords and secret query parameters', () => {
    expect(redactUrl('postgres://postgres:pw@127.0.0.1:5432/postgres?sslmode=require&password=x')).toBe(
      'postgres://postgres:***@127.0.0.1:5432/postgres?sslmode=require&password=***',
    );
    expect(redactUrl('not a url')).toBe('<unparseable url>');
  });

  it('makes a parsed env loggable', () => {
    expect(
      redactEnv({
        DATABASE_URL: 'postgres://u:pw@h:5432/d',
        TEMPORAL_API_KEY: 'abc',
        HEALTH_PORT: 9464,
        SCREENER_SHARD: { index: 0, count: 2 },
      }),
    ).toEqual({
      DATABASE_URL: 'postgres://u:***@h:5432/d',
      TEMPORAL_API_KEY: '***',
      HEALTH_PORT: 9464,
      SCREENER_SHARD: { index: 0, count: 2 },
    });
  });
});
