import { describe, expect, it } from 'vitest';
import { EnvError } from './env-error.ts';
import { launcherEnv, screenerEnv, webEnv, workflowWorkerEnv } from './index.ts';
import { inferProfile, loadEnv } from './load-env.ts';

const DB = 'postgres://postgres:hunter2pass@127.0.0.1:54329/postgres';

function envError(fn: () => unknown): EnvError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EnvError) return e;
    throw e;
  }
  throw new Error('expected an EnvError');
}

describe('loadEnv', () => {
  it('applies the local defaults and types the values', () => {
    const env = loadEnv(screenerEnv, { DATABASE_URL: DB });
    expect(env.profile).toBe('local');
    expect(env.SCREENER_SOURCE).toBe('sim:42');
    expect(env.SCREENER_SHARD).toEqual({ index: 0, count: 1 });
    expect(env.HEALTH_PORT).toBe(9464);
    expect(env.HEALTH_HOST).toBe('127.0.0.1');
    expect(env.DATABENTO_DATASET).toBe('EQUS.MINI');
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(loadEnv(workflowWorkerEnv, { DATABASE_URL: DB }).HEALTH_PORT).toBe(9465);
  });

  it('needs no DATABASE_URL for the screener with SCREENER_SINK=stdout', () => {
    const env = loadEnv(screenerEnv, { SCREENER_SINK: 'stdout' });
    expect(env.SCREENER_SINK).toBe('stdout');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(loadEnv(screenerEnv, { DATABASE_URL: DB }).SCREENER_SINK).toBe('db');
  });

  it('lists every missing and malformed variable together, in one message', () => {
    const err = envError(() =>
      loadEnv(screenerEnv, {
        HEALTH_PORT: 'ninety',
        SCREENER_SHARD: '3/3',
        DATABENTO_SCHEMAS: 'mbp-1,quotes',
        LOG_LEVEL: 'loud',
      }),
    );
    expect(err.issues.map((i) => i.variable).sort()).toEqual(
      ['DATABASE_URL', 'DATABENTO_SCHEMAS', 'HEALTH_PORT', 'LOG_LEVEL', 'SCREENER_SHARD'].sort(),
    );
    expect(err.message).toMatch(
      /^Invalid environment for the screener worker \(profile: local\): 5 variables/,
    );
    expect(err.message).toMatch(/DATABASE_URL\s+missing: required/);
    expect(err.message).toMatch(
      /HEALTH_PORT\s+invalid: expected a TCP port from 0 to 65535 \(got "ninety"\)/,
    );
    expect(err.message).toMatch(
      /SCREENER_SHARD\s+invalid: expected k\/N with N >= 1 and 0 <= k < N \(got "3\/3"\)/,
    );
    expect(err.message).toMatch(/DATABENTO_SCHEMAS\s+invalid: expected a comma list of Databento schemas/);
    expect(err.message).not.toMatch(/\n\s+at /); // no stack frames in the message
  });

  it('treats empty values as unset', () => {
    const err = envError(() => loadEnv(webEnv, { DATABASE_URL: '  ', PORT: '' }));
    expect(err.issues).toEqual([
      { variable: 'DATABASE_URL', reason: expect.stringMatching(/^missing: required/) },
    ]);
  });

  it('requires what a variable implies: databento source needs a key, a passcode needs a session secret', () => {
    const s = envError(() => loadEnv(screenerEnv, { DATABASE_URL: DB, SCREENER_SOURCE: 'databento' }));
    expect(s.issues).toEqual([
      { variable: 'DATABENTO_API_KEY', reason: expect.stringContaining('(SCREENER_SOURCE is databento)') },
    ]);
    const w = envError(() => loadEnv(webEnv, { DATABASE_URL: DB, DASHBOARD_PASSCODE: 'letmein' }));
    expect(w.issues.map((i) => i.variable)).toEqual(['SESSION_SECRET']);
    // A Databento key alone switches the local default source to the live feed.
    const key = `db-${'A'.repeat(29)}`;
    expect(loadEnv(screenerEnv, { DATABASE_URL: DB, DATABENTO_API_KEY: key }).SCREENER_SOURCE).toBe(
      'databento',
    );
  });
});

describe('profiles', () => {
  it('is local by default, cloud when SUPABASE_URL is set, and TRADEASSIST_PROFILE overrides', () => {
    expect(inferProfile({})).toBe('local');
    expect(inferProfile({ SUPABASE_URL: 'https://abc.supabase.co' })).toBe('cloud');
    expect(inferProfile({ SUPABASE_URL: 'https://abc.supabase.co', TRADEASSIST_PROFILE: 'local' })).toBe(
      'local',
    );
    expect(inferProfile({ TRADEASSIST_PROFILE: 'cloud' })).toBe('cloud');
  });

  it('requires the cloud services in the cloud profile', () => {
    const err = envError(() =>
      loadEnv(workflowWorkerEnv, { SUPABASE_URL: 'https://abc.supabase.co', DATABASE_URL: DB }),
    );
    expect(err.profile).toBe('cloud');
    expect(err.issues.map((i) => i.variable)).toEqual([
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_API_KEY',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_MESSAGING_SERVICE_SID',
      // where Twilio posts delivery receipts (the outbox's status callbacks)
      'TWILIO_PUBLIC_URL',
      'ANTHROPIC_API_KEY',
    ]);
  });

  it('accepts a complete cloud environment and listens on all interfaces', () => {
    const env = loadEnv(workflowWorkerEnv, {
      SUPABASE_URL: 'https://abc.supabase.co',
      DATABASE_URL: DB,
      TEMPORAL_ADDRESS: 'prod.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'prod.a1b2c',
      TEMPORAL_API_KEY: 'tcld_0123456789abcdefghij',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'f'.repeat(32),
      TWILIO_MESSAGING_SERVICE_SID: `MG${'a'.repeat(32)}`,
      TWILIO_PUBLIC_URL: 'https://tradeassist.example.com',
      ANTHROPIC_API_KEY: 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz',
    });
    expect(env.profile).toBe('cloud');
    expect(env.HEALTH_HOST).toBe('0.0.0.0');
    expect(env.TEMPORAL_TASK_QUEUE).toBe('tradeassist');
  });

  it('rejects an unknown explicit profile', () => {
    const err = envError(() => loadEnv(launcherEnv, { TRADEASSIST_PROFILE: 'staging' }));
    expect(err.issues).toEqual([
      { variable: 'TRADEASSIST_PROFILE', reason: 'expected local or cloud (got "staging")' },
    ]);
  });
});

describe('redaction in messages', () => {
  it('never echoes a secret and strips passwords from URLs', () => {
    const err = envError(() =>
      loadEnv(webEnv, {
        DATABASE_URL: 'mysql://admin:hunter2pass@db.example.com/app',
        SESSION_SECRET: 'short-but-secret-value',
        DASHBOARD_PASSCODE: 'p4sscode',
        TWILIO_AUTH_TOKEN: 'not-hex-but-a-secret',
      }),
    );
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).toContain('mysql://admin:***@db.example.com/app');
    expect(err.message).toMatch(/SESSION_SECRET\s+invalid: expected at least 32 characters\n/);
    for (const secret of ['hunter2pass', 'short-but-secret-value', 'not-hex-but-a-secret', 'p4sscode']) {
      expect(err.message).not.toContain(secret);
    }
  });
});
