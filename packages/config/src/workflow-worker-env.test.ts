import { describe, expect, it } from 'vitest';
import { EnvError } from './env-error.ts';
import { loadEnv } from './load-env.ts';
import { webEnv } from './web-env.ts';
import { workflowWorkerEnv } from './workflow-worker-env.ts';

const DB = 'postgres://postgres:hunter2pass@127.0.0.1:54329/postgres';
const CLOUD = {
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
};

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof EnvError) return e.issues.map((i) => `${i.variable}: ${i.reason}`);
    throw e;
  }
  throw new Error('expected an EnvError');
}

describe('TWILIO_FROM_NUMBER', () => {
  it('is the E.164 number outbound SMS come from, for the worker and the web app', () => {
    expect(
      loadEnv(workflowWorkerEnv, { ...CLOUD, TWILIO_FROM_NUMBER: '+15551230000' }).TWILIO_FROM_NUMBER,
    ).toBe('+15551230000');
    expect(
      loadEnv(webEnv, {
        ...CLOUD,
        SUPABASE_ANON_KEY: 'a'.repeat(40),
        SUPABASE_SERVICE_ROLE_KEY: 'b'.repeat(40),
        TWILIO_FROM_NUMBER: '+447700900123',
      }).TWILIO_FROM_NUMBER,
    ).toBe('+447700900123');
  });

  it('is optional with the Messaging Service (Twilio reports the number it picks) and locally', () => {
    expect(loadEnv(workflowWorkerEnv, CLOUD).TWILIO_FROM_NUMBER).toBeUndefined();
    expect(loadEnv(workflowWorkerEnv, { DATABASE_URL: DB }).TWILIO_FROM_NUMBER).toBeUndefined();
  });

  it('refuses what is not E.164, saying what is expected', () => {
    for (const bad of ['5551230000', '+1 555 123 0000', '+05551230000', '+1555']) {
      expect(issues(() => loadEnv(workflowWorkerEnv, { ...CLOUD, TWILIO_FROM_NUMBER: bad }))).toEqual([
        `TWILIO_FROM_NUMBER: invalid: expected an E.164 phone number such as +15551234567 (got "${bad}")`,
      ]);
    }
  });
});

describe('retention periods', () => {
  it('default to the SQL functions’ own: 30 days of alerts, 10 days of intraday bars', () => {
    const env = loadEnv(workflowWorkerEnv, { DATABASE_URL: DB });
    expect(env.ALERT_RETENTION_DAYS).toBe(30);
    expect(env.INTRADAY_BAR_RETENTION_DAYS).toBe(10);
  });

  it('take whole days from 1 to 3650', () => {
    const env = loadEnv(workflowWorkerEnv, {
      DATABASE_URL: DB,
      ALERT_RETENTION_DAYS: '90',
      INTRADAY_BAR_RETENTION_DAYS: '1',
    });
    expect([env.ALERT_RETENTION_DAYS, env.INTRADAY_BAR_RETENTION_DAYS]).toEqual([90, 1]);
    expect(
      issues(() =>
        loadEnv(workflowWorkerEnv, {
          DATABASE_URL: DB,
          ALERT_RETENTION_DAYS: '0',
          INTRADAY_BAR_RETENTION_DAYS: '7.5',
        }),
      ),
    ).toEqual([
      'ALERT_RETENTION_DAYS: invalid: expected a number of days from 1 to 3650 (got "0")',
      'INTRADAY_BAR_RETENTION_DAYS: invalid: expected a number of days from 1 to 3650 (got "7.5")',
    ]);
  });
});
