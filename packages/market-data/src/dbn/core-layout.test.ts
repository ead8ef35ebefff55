// The shared offsets in @tradeassist/core/dbn-layout (read by the screener) agree with the codec's
// layout tables, which synthetic.test.ts checks against the official ones.
import { CONSOLIDATED, HD, MBP1, OHLCV, RType, STATUS, TRADE } from '@tradeassist/core/dbn-layout';
import { describe, expect, it } from 'vitest';
import { CMBP1_MSG, LEVEL_SIZE, layoutFor, MBP1_MSG, OHLCV_MSG, STATUS_MSG, TRADE_MSG } from './layouts.ts';

const at = (l: typeof TRADE_MSG, name: string) => l.byName[name]!.offset;

describe('core/dbn-layout matches the official layouts', () => {
  it('header, trade, MBP-1, OHLCV, status, consolidated levels', () => {
    expect(HD).toEqual({ LENGTH: 0, RTYPE: 1, PUBLISHER_ID: 2, INSTRUMENT_ID: 4, TS_EVENT: 8, SIZE: 16 });
    for (const [k, name] of [
      ['PRICE', 'price'],
      ['SIZE', 'size'],
      ['ACTION', 'action'],
      ['SIDE', 'side'],
      ['FLAGS', 'flags'],
      ['DEPTH', 'depth'],
      ['TS_RECV', 'ts_recv'],
      ['TS_IN_DELTA', 'ts_in_delta'],
      ['SEQUENCE', 'sequence'],
    ] as const) {
      expect(TRADE[k], k).toBe(at(TRADE_MSG, name));
      expect(MBP1[k], k).toBe(at(MBP1_MSG, name));
    }
    expect(TRADE.RECORD_SIZE).toBe(TRADE_MSG.size);
    const lv = at(MBP1_MSG, 'levels');
    expect([MBP1.BID_PX, MBP1.ASK_PX, MBP1.BID_SZ, MBP1.ASK_SZ, MBP1.BID_CT, MBP1.ASK_CT]).toEqual(
      [0, 8, 16, 20, 24, 28].map((d) => lv + d),
    );
    expect(MBP1.RECORD_SIZE).toBe(MBP1_MSG.size);
    const cl = at(CMBP1_MSG, 'levels');
    expect(CMBP1_MSG.byName.levels!.kind).toBe('clevels');
    expect([CONSOLIDATED.BID_PX, CONSOLIDATED.ASK_PX, CONSOLIDATED.BID_SZ, CONSOLIDATED.ASK_SZ]).toEqual(
      [0, 8, 16, 20].map((d) => cl + d),
    );
    expect([CONSOLIDATED.BID_PB, CONSOLIDATED.ASK_PB]).toEqual([cl + 24, cl + 28]);
    expect(LEVEL_SIZE).toBe(32);
    expect([OHLCV.OPEN, OHLCV.HIGH, OHLCV.LOW, OHLCV.CLOSE, OHLCV.VOLUME, OHLCV.RECORD_SIZE]).toEqual([
      ...['open', 'high', 'low', 'close', 'volume'].map((n) => at(OHLCV_MSG, n)),
      OHLCV_MSG.size,
    ]);
    expect([
      STATUS.TS_RECV,
      STATUS.ACTION,
      STATUS.REASON,
      STATUS.TRADING_EVENT,
      STATUS.IS_TRADING,
      STATUS.IS_QUOTING,
      STATUS.IS_SHORT_SELL_RESTRICTED,
      STATUS.RECORD_SIZE,
    ]).toEqual([
      ...[
        'ts_recv',
        'action',
        'reason',
        'trading_event',
        'is_trading',
        'is_quoting',
        'is_short_sell_restricted',
      ].map((n) => at(STATUS_MSG, n)),
      STATUS_MSG.size,
    ]);
  });

  it('every RType in core has a layout in each version', () => {
    for (const v of [1, 2, 3]) {
      for (const [name, rt] of Object.entries(RType)) expect(layoutFor(v, rt), `${name} v${v}`).toBeDefined();
    }
  });
});
