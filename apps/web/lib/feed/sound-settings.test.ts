import { describe, expect, it } from 'vitest';
import { DEFAULT_SOUND, parseSoundSettings } from './sound-settings.ts';

describe('parseSoundSettings', () => {
  it('reads what the toggle stored', () => {
    const s = { muted: false, tones: { up: true, down: false, halt: true, indicator: true } };
    expect(parseSoundSettings(JSON.stringify(s))).toEqual(s);
    // unknown keys are not kept
    expect(parseSoundSettings(JSON.stringify({ ...s, volume: 3, tones: { ...s.tones, x: 1 } }))).toEqual(s);
  });

  it('falls back to the default (muted) on anything else', () => {
    for (const raw of [
      null,
      '',
      'not json',
      'null',
      '[]',
      '{"muted":"no","tones":{"up":true,"down":true,"halt":true,"indicator":true}}',
      '{"muted":false}',
      '{"muted":false,"tones":{"up":true,"down":true,"halt":true}}',
      '{"muted":false,"tones":[true,true,true,true]}',
    ])
      expect(parseSoundSettings(raw)).toEqual(DEFAULT_SOUND);
  });
});
