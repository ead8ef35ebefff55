import { describe, expect, it } from 'vitest';
import { journalLine } from './trades-journal.ts';

const ev = (kind: string, data: Record<string, unknown>) => ({
  id: '1',
  kind,
  at: '2026-11-20T15:00:00.000Z',
  data,
});

describe('journal lines', () => {
  it('reads each kind as a sentence', () => {
    expect(
      journalLine(
        ev('opened', { quantity: '100', entry: '150.2', stop: '148', target: '155', source: 'sms' }),
        'long',
      ).text,
    ).toBe('Opened long 100 @ 150.20 · stop 148.00 · target 155.00 · by SMS');
    expect(journalLine(ev('stop_moved', { from: '148', to: '150.2' }), 'long').text).toBe(
      'Stop moved to 150.20 (was 148.00)',
    );
    const partial = journalLine(
      ev('partial_exit', { quantity: '50', price: '153.1', realized_pnl: '145' }),
      'long',
    );
    expect(partial).toMatchObject({ text: 'Sold 50 @ 153.10 · P&L +145.00', tone: 'up' });
    const closed = journalLine(
      ev('closed', { exit_price: '147.5', realized_pnl: '-270', r_multiple: '-1.2273' }),
      'long',
    );
    expect(closed).toMatchObject({ text: 'Closed @ 147.50 · P&L -270.00 · -1.23R', tone: 'down' });
    expect(journalLine(ev('note', { text: 'chased the open' }), 'long').text).toBe('chased the open');
    expect(
      journalLine(ev('trigger_fired', { kind: 'stop', level: '148', price: '147.95' }), 'long').text,
    ).toBe('Stop 148.00 crossed at 147.95');
    expect(journalLine(ev('partial_exit', { quantity: '10', price: '40' }), 'short').text).toBe(
      'Covered 10 @ 40.00',
    );
  });
  it('survives events without the fields it looks for', () => {
    expect(journalLine(ev('closed', {}), 'long').text).toBe('Closed');
    expect(journalLine(ev('stop_moved', {}), 'long').text).toBe('Stop moved to ?');
    expect(journalLine(ev('mystery', { a: 1 }), 'long').text).toBe('{"a":1}');
  });
});
