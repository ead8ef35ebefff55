// Control records read at both layouts, built with the codec's own writers where it has them (an
// independent cross-check of the offsets used here).
import { describe, expect, it } from 'vitest';
import { writeSymbolMapping } from '../dbn/index.ts';
import { readErrorMsg, readSystemMsg, SystemCode, symbolMappingTicker } from './control-records.ts';
import { LiveError } from './live-error.ts';

function buf(size: number) {
  const bytes = new Uint8Array(size + 3);
  // Start at an odd offset: v1/v2 records need not be aligned.
  return { bytes, view: new DataView(bytes.buffer), off: 3 };
}

function putHeader(view: DataView, off: number, size: number, rtype: number) {
  view.setUint8(off, size / 4);
  view.setUint8(off + 1, rtype);
}

function putText(bytes: Uint8Array, off: number, s: string) {
  bytes.set(new TextEncoder().encode(s), off);
}

describe('control records', () => {
  it('reads the ticker of a symbol mapping in v1 (80 bytes) and v2/v3 (176 bytes)', () => {
    for (const version of [1, 2, 3] as const) {
      const { bytes, view, off } = buf(176);
      writeSymbolMapping(view, off, version, 42, 1n, 'BRK.B', 'BRK.B', 1n, 2n);
      expect(symbolMappingTicker(bytes, view, off, version)).toBe('BRK.B');
    }
  });

  it('reads system messages: v2 codes, and the v1 heartbeat by its text', () => {
    const v2 = buf(320);
    putHeader(v2.view, v2.off, 320, 0x17);
    putText(v2.bytes, v2.off + 16, 'Warning: slow reading detected');
    v2.view.setUint8(v2.off + 319, SystemCode.SLOW_READER_WARNING);
    expect(readSystemMsg(v2.bytes, v2.view, v2.off, 3)).toEqual({
      code: 2,
      msg: 'Warning: slow reading detected',
    });

    const v1 = buf(80);
    putHeader(v1.view, v1.off, 80, 0x17);
    putText(v1.bytes, v1.off + 16, 'Heartbeat');
    expect(readSystemMsg(v1.bytes, v1.view, v1.off, 1)).toEqual({
      code: SystemCode.HEARTBEAT,
      msg: 'Heartbeat',
    });
  });

  it('reads error messages with code and is_last', () => {
    const v2 = buf(320);
    putHeader(v2.view, v2.off, 320, 0x15);
    putText(v2.bytes, v2.off + 16, 'Failed to resolve symbol: ZZZZ');
    v2.view.setUint8(v2.off + 318, 4);
    v2.view.setUint8(v2.off + 319, 1);
    expect(readErrorMsg(v2.bytes, v2.view, v2.off, 2)).toEqual({
      code: 4,
      err: 'Failed to resolve symbol: ZZZZ',
      isLast: true,
    });
  });

  it('rejects a control record shorter than its layout', () => {
    const r = buf(320);
    putHeader(r.view, r.off, 80, 0x15); // a v1-sized error record in a v3 stream
    expect(() => readErrorMsg(r.bytes, r.view, r.off, 3)).toThrow(LiveError);
  });
});
