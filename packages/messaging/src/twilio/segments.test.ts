import { describe, expect, it } from 'vitest';
import { fitSms, smsEncoding, smsSegments } from './segments.ts';

describe('smsSegments', () => {
  it('counts GSM-7 septets: 160 fit one segment, then 153 per segment', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      remaining: 0,
    });
    // 161 septets: 153 + 8.
    expect(smsSegments('a'.repeat(161))).toEqual({
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
      remaining: 145,
    });
    // 306 = 2 x 153 exactly; 307 needs a third.
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters (€ [ ] { } ~ ^ | \\) as two septets', () => {
    // 80 euro signs = 160 septets: still one segment; one more character makes two.
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments(`${'€'.repeat(80)}a`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('never splits an escape pair: 152 septets then a 2-septet character starts segment 2', () => {
    // 152 + 2 = 154 > 153 in the first segment: the € moves whole into the second.
    // Then 152 + [€ 2] + 8 'a' = 162 septets, 2 segments (153-septet segment holds 152 + nothing).
    const text = `${'a'.repeat(152)}€${'a'.repeat(150)}`;
    // units 304 <= 306, yet the pair cannot straddle: segment 1 = 152, segment 2 = 2 + 150 = 152.
    expect(smsSegments(text)).toMatchObject({ units: 304, segments: 2, remaining: 1 });
    const tight = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    // 306 septets would fit 2 x 153 if splitting were allowed; it is not: 152 | 2+151 | 1.
    expect(smsSegments(tight)).toMatchObject({ units: 306, segments: 3 });
  });

  it('switches to UCS-2 for any character outside the GSM alphabet: 70, then 67 per segment', () => {
    expect(smsEncoding('took AAPL 150.20 stop 148')).toBe('GSM-7');
    expect(smsEncoding('took AAPL “150.20”')).toBe('UCS-2');
    expect(smsSegments('é'.repeat(70))).toMatchObject({ encoding: 'GSM-7', segments: 1 }); // é is GSM
    expect(smsSegments('ç'.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ç'.repeat(71))).toMatchObject({
      encoding: 'UCS-2',
      units: 71,
      segments: 2,
      remaining: 63,
    });
    expect(smsSegments('ç'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ç'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UTF-16 units and never splits the surrogate pair', () => {
    expect(smsSegments('🚀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    // 66 units of text, then a rocket (2 units) does not fit the 67-unit segment: it starts segment 2.
    expect(smsSegments(`${'ç'.repeat(66)}🚀${'ç'.repeat(10)}`)).toMatchObject({
      units: 78,
      segments: 2,
      remaining: 55,
    });
  });
});

describe('fitSms', () => {
  it('returns a text that fits unchanged', () => {
    expect(fitSms('NVDA gap up 5.97% at 482.15', 1)).toBe('NVDA gap up 5.97% at 482.15');
  });

  it('trims a GSM-7 text to the segment budget with "..." (U+2026 would force UCS-2)', () => {
    const long = `NVDA ${'x'.repeat(400)}`;
    const one = fitSms(long, 1);
    expect(one).toHaveLength(160);
    expect(one.endsWith('...')).toBe(true);
    expect(smsSegments(one)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const two = fitSms(long, 2);
    expect(two).toHaveLength(306);
    expect(smsSegments(two).segments).toBe(2);
  });

  it('drops trailing spaces before the ellipsis and keeps UCS-2 texts whole code points', () => {
    // The cut falls just after the space: 156 a's and '...' (159), not 'a... ...'.
    expect(fitSms(`${'a'.repeat(156)} ${'b'.repeat(100)}`, 1)).toBe(`${'a'.repeat(156)}...`);
    const emoji = fitSms(`🚀${'ç'.repeat(100)}`, 1);
    expect(emoji.endsWith('…')).toBe(true);
    expect(smsSegments(emoji)).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(() => fitSms('x', 0)).toThrow(/positive integer/);
  });
});
