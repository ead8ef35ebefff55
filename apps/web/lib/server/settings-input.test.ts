import { describe, expect, it } from 'vitest';
import { alertSettingsSchema, codeSchema, phoneSchema } from './settings-input.ts';

const form = {
  timezone: 'America/New_York',
  quiet_start: '22:00',
  quiet_end: '07:00',
  sound: 'on',
  min_score: '0.6',
  channels: JSON.stringify({ default: ['web', 'push'], gap_up: ['sms', 'web'], trade: ['sms'] }),
};

describe('alert settings form', () => {
  it('parses quiet hours, channels in a fixed order, sound and score', () => {
    expect(alertSettingsSchema.parse(form)).toEqual({
      timezone: 'America/New_York',
      quiet_start: '22:00',
      quiet_end: '07:00',
      sound: true,
      min_score: 0.6,
      channels: { default: ['push', 'web'], gap_up: ['sms', 'web'], trade: ['sms'] },
    });
    expect(
      alertSettingsSchema.parse({ ...form, quiet_start: '', quiet_end: '', sound: 'off' }),
    ).toMatchObject({
      quiet_start: null,
      quiet_end: null,
      sound: false,
    });
  });

  it('refuses half quiet hours, unknown zones, bad scores and channel maps the profile check refuses', () => {
    const bad = [
      { quiet_end: '' },
      { quiet_start: '25:00' },
      { quiet_end: '22:00' },
      { timezone: 'Mars/Olympus' },
      { min_score: '1.5' },
      { channels: JSON.stringify({ gap_up: ['sms'] }) }, // no default
      { channels: JSON.stringify({ default: ['fax'] }) },
      { channels: JSON.stringify({ default: ['sms', 'sms'] }) },
      { channels: JSON.stringify({ default: [], earnings: ['sms'] }) },
      { channels: 'not json' },
    ];
    for (const b of bad)
      expect(alertSettingsSchema.safeParse({ ...form, ...b }).success, JSON.stringify(b)).toBe(false);
  });
});

describe('phone verification inputs', () => {
  it('accepts E.164 numbers as typed with spaces, and 6-digit codes', () => {
    expect(phoneSchema.parse('+1 (415) 555-0123')).toBe('+14155550123');
    expect(phoneSchema.safeParse('4155550123').success).toBe(false);
    expect(phoneSchema.safeParse('+0123456789').success).toBe(false);
    expect(codeSchema.parse(' 123 456 ')).toBe('123456');
    expect(codeSchema.safeParse('12345').success).toBe(false);
  });
});
