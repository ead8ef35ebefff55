// The browser's hand-written decoder gives the zod schema's verdict (packages/db live-alert) on
// valid payloads and on each way a payload can be wrong, and the same alert when valid.
import { parseAlertNotification } from '@tradeassist/db/live-alert';
import { describe, expect, it } from 'vitest';
import { compareIds, decodeAlertPayload, trimDecimal } from './live-alert-decode.ts';

const valid = {
  id: '7',
  user_id: null,
  rule_id: null,
  symbol: 'NVDA',
  type: 'gap_up',
  ts_event: '1700577000123456789',
  price: '482.150000000',
  session: 'pre',
  score: 0.83,
  details: { prev_close: '455.00', pct: 5.97 },
  dedupe_key: 'NVDA:gap_up:2023-11-21',
  created_at: '2026-11-21T13:10:00.123456+00:00',
};
const uuid = '3f1c2a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c';

const variants: [string, unknown][] = [
  ['valid', valid],
  ['valid as JSON text', JSON.stringify(valid)],
  ['a rule alert', { ...valid, user_id: uuid, rule_id: uuid, type: 'rule' }],
  ['rule_id absent', (({ rule_id: _r, ...rest }) => rest)(valid)],
  ['an extra key (stripped)', { ...valid, extra: 1 }],
  ['BRK.B', { ...valid, symbol: 'BRK.B' }],
  ['score 0 and 1', { ...valid, score: 1 }],
  ['negative price', { ...valid, price: '-1.5' }],
  ['lower-case symbol', { ...valid, symbol: 'nvda' }],
  ['unknown type', { ...valid, type: 'moon' }],
  ['numeric ts_event', { ...valid, ts_event: 1700577000 }],
  ['float price', { ...valid, price: 482.15 }],
  ['10 decimals', { ...valid, price: '1.1234567891' }],
  ['bad session', { ...valid, session: 'overnight' }],
  ['score above 1', { ...valid, score: 1.5 }],
  ['score NaN', { ...valid, score: Number.NaN }],
  ['score as text', { ...valid, score: '0.5' }],
  ['details array', { ...valid, details: [] }],
  ['details null', { ...valid, details: null }],
  ['empty dedupe_key', { ...valid, dedupe_key: '' }],
  ['long dedupe_key', { ...valid, dedupe_key: 'k'.repeat(201) }],
  ['user_id missing', (({ user_id: _u, ...rest }) => rest)(valid)],
  ['user_id not a uuid', { ...valid, user_id: 'abc' }],
  ['rule_id not a uuid', { ...valid, rule_id: '123' }],
  ['id not digits', { ...valid, id: '7a' }],
  ['id as number', { ...valid, id: 7 }],
  ['empty created_at', { ...valid, created_at: '' }],
  ['null', null],
  ['an array', [valid]],
  ['not JSON', '{nope'],
  ['id only', { id: '42' }],
  ['id only, bad', { id: 'x' }],
  ['id and more', { id: '42', x: 1 }],
  ['ids ranges', { ids: '41-87,90' }],
  ['ids bad', { ids: '41-' }],
];

describe('decodeAlertPayload', () => {
  for (const [name, payload] of variants) {
    it(`agrees with the zod schema: ${name}`, () => {
      const z = parseAlertNotification(payload);
      const d = decodeAlertPayload(payload);
      expect(d.kind).toBe(z.kind);
      if (z.kind === 'alert' && d.kind === 'alert') expect(d.alert).toEqual(z.alert);
      if (z.kind === 'id' && d.kind === 'id') expect(d.id).toBe(z.id);
    });
  }

  it('says what is wrong', () => {
    const d = decodeAlertPayload({ ...valid, price: 482.15, session: 'x' });
    expect(d).toEqual({
      kind: 'invalid',
      reason: 'price: expected a decimal string; session: expected pre, regular or post',
    });
  });

  it('compares ids and trims decimals like the server', () => {
    expect(compareIds('10', '9')).toBeGreaterThan(0);
    expect(compareIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(trimDecimal('482.150000000')).toBe('482.15');
    expect(trimDecimal('455.000000000')).toBe('455');
  });
});
