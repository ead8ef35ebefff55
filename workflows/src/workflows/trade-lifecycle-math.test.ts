// The trade arithmetic, with the sums written out: exact decimals, rounding half away from zero.
import { describe, expect, it } from 'vitest';
import {
  averageExit,
  dec,
  fractionOf,
  fx,
  numberToDecimal,
  realizedPnl,
  rMultiple,
  signedMoney,
  stopOnRightSide,
  targetOnRightSide,
} from './trade-lifecycle-math.ts';

describe('trade arithmetic', () => {
  it('P&L of a long stopped out: 100 x (148 - 150.20) = -220', () => {
    const pnl = realizedPnl('long', '150.20', [{ quantity: '100', price: '148' }]);
    expect(dec(pnl)).toBe('-220.00');
    // risk 2.20 x 100 = 220 -> R = -1
    expect(rMultiple(pnl, '150.20', '148', '100')).toBe('-1.0000');
  });

  it('partial exits and fees: 50 x 0.80 + 50 x 1.80 - 1.30 fees = 128.70; R = 128.70 / 220 = 0.5850', () => {
    const exits = [
      { quantity: '50', price: '151' },
      { quantity: '50', price: '152' },
    ];
    const pnl = realizedPnl('long', '150.20', exits, '1.30');
    expect(dec(pnl)).toBe('128.70');
    expect(rMultiple(pnl, '150.20', '148', '100')).toBe('0.5850');
    expect(dec(averageExit(exits))).toBe('151.50');
  });

  it('a short: 30 x (20.10 - 19.43) = +20.10; R = 20.10 / (0.40 x 30 = 12) = 1.675 -> 1.6750', () => {
    const pnl = realizedPnl('short', '20.10', [{ quantity: '30', price: '19.43' }]);
    expect(dec(pnl)).toBe('20.10');
    expect(rMultiple(pnl, '20.10', '20.50', '30')).toBe('1.6750');
  });

  it('sums that binary floats get wrong stay exact: 3 x (0.3 - 0.1) = 0.6', () => {
    expect(dec(realizedPnl('long', '0.1', [{ quantity: '3', price: '0.3' }]))).toBe('0.60');
    expect(0.3 - 0.1).not.toBe(0.2); // the float trap the fixed-point math avoids
  });

  it('rounds R half away from zero, and has none without a stop', () => {
    // 1 / 3 = 0.33333 -> 0.3333; -2 / 3 = -0.66667 -> -0.6667
    expect(rMultiple(fx('1'), '10', '9', '3')).toBe('0.3333');
    expect(rMultiple(fx('-2'), '10', '9', '3')).toBe('-0.6667');
    expect(rMultiple(fx('5'), '10', null, '3')).toBeNull();
  });

  it('takes a fraction in whole shares: half of 100 = 50, a third of 100 = 33, half of 1 = 1', () => {
    expect(dec(fractionOf(fx('100'), 0.5), 0)).toBe('50');
    expect(dec(fractionOf(fx('100'), 0.33), 0)).toBe('33');
    expect(dec(fractionOf(fx('1'), 0.5), 0)).toBe('1');
    expect(dec(fractionOf(fx('10.5'), 0.5), 0)).toBe('5.25');
  });

  it('formats money with its sign, and parser numbers as written', () => {
    expect(signedMoney(fx('40'))).toBe('+40.00');
    expect(signedMoney(fx('-0.005'))).toBe('-0.01');
    expect(numberToDecimal(150.2)).toBe('150.2');
    expect(numberToDecimal(1e21)).toBeNull();
    expect(numberToDecimal(-1)).toBeNull();
  });

  it('knows which side of the entry a stop and a target belong on', () => {
    expect(stopOnRightSide('long', '150.20', '148')).toBe(true);
    expect(stopOnRightSide('short', '150.20', '148')).toBe(false);
    expect(targetOnRightSide('short', '150.20', '140')).toBe(true);
    expect(targetOnRightSide('long', '150.20', '150.20')).toBe(false);
  });
});
