import { describe, expect, it } from 'vitest';
import { SlotState } from './slot-state.ts';

describe('SlotState', () => {
  it('keeps the minute ring of every slot as it grows from a small capacity past one chunk', () => {
    const st = new SlotState(2);
    const close = (s: number, m: number) => 100 + s + m / 1000; // distinct per slot and minute
    for (let s = 0; s < 1030; s++) {
      st.add(`T${s}`);
      st.setMinute(s, 959, close(s, 959), s);
      st.setMinute(s, 0, close(s, 0), 2 * s);
    }
    expect(st.capacity).toBe(2048);
    expect(st.ringClose.map((c) => c.length)).toEqual([1024 * 960, 1024 * 960]); // two chunks
    for (const s of [0, 1, 2, 1023, 1024, 1029]) {
      expect(st.closeAt(s, 0)).toBe(close(s, 0));
      expect(st.closeAt(s, 959)).toBe(close(s, 959));
      expect(st.cumVolAt(s, 0)).toBe(2 * s);
      expect(st.cumVolAt(s, 959)).toBe(s);
    }
  });

  it('starts small: a one-symbol state holds one symbol-day of minutes', () => {
    const st = new SlotState(1);
    expect(st.ringClose[0]!.length).toBe(960);
  });
});
