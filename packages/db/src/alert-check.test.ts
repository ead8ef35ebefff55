import { alertSchema } from '@tradeassist/core/alert';
import { describe, expect, it } from 'vitest';
import { checkAlert } from './alert-check.ts';
import { makeAlert } from './testing/alert-factory.ts';

const base = makeAlert(7);
const UUID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const variants: [string, unknown][] = [
  ['valid', base],
  ['extra key stripped', { ...base, extra: 1 }],
  ['null owner', { ...base, user_id: null, rule_id: null }],
  ['rule alert', { ...base, type: 'rule', user_id: UUID, rule_id: UUID }],
  ['bad uuid', { ...base, user_id: 'nope' }],
  ['lower-case symbol', { ...base, symbol: 'nvda' }],
  ['share class', { ...base, symbol: 'BRK.B' }],
  ['unknown type', { ...base, type: 'moon' }],
  ['float time', { ...base, ts_event: 1.5 }],
  ['20-digit time', { ...base, ts_event: '1'.repeat(20) }],
  ['float price', { ...base, price: 1.25 }],
  ['10 decimals', { ...base, price: '1.0123456789' }],
  ['negative price', { ...base, price: '-1.5' }],
  ['bad session', { ...base, session: 'night' }],
  ['score > 1', { ...base, score: 1.01 }],
  ['score NaN', { ...base, score: Number.NaN }],
  ['score string', { ...base, score: '0.5' }],
  ['details array', { ...base, details: [] }],
  ['details null', { ...base, details: null }],
  ['empty key', { ...base, dedupe_key: '' }],
  ['201-char key', { ...base, dedupe_key: 'k'.repeat(201) }],
  ['200-char key', { ...base, dedupe_key: 'k'.repeat(200) }],
  ['missing symbol', { ...base, symbol: undefined }],
  ['not an object', 'alert'],
  ['null', null],
];

describe('checkAlert', () => {
  it.each(variants)('agrees with alertSchema: %s', (_name, input) => {
    const zod = alertSchema.safeParse(input);
    const fast = checkAlert(input);
    expect(fast.success).toBe(zod.success);
    if (fast.success && zod.success) expect(fast.data).toEqual(zod.data);
    if (!fast.success) expect(fast.reason).not.toBe('');
  });

  it('copies the alert: later changes to the input do not reach the queued alert', () => {
    const input = makeAlert(1);
    const r = checkAlert(input);
    input.details.i = 99;
    expect(r.success && r.data.details.i).toBe(1);
  });
});
