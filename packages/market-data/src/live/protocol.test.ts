import { describe, expect, it } from 'vitest';
import { LiveError } from './live-error.ts';
import {
  authReply,
  authRequestLine,
  gatewayAddress,
  parseAuthResponse,
  parseChallenge,
  parseGreeting,
  startToNs,
  subscriptionLines,
} from './protocol.ts';

describe('CRAM', () => {
  it('matches the official client test vector (databento-python tests/test_common_cram.py)', () => {
    // sha256("abcd1234|db-unittestapikey1234567890FFFFF") in hex, then "-" and the last 5 key chars.
    expect(authReply('abcd1234', 'db-unittestapikey1234567890FFFFF')).toBe(
      'be87ce3d564b64481d4ad1902e2b41b26e3eef62b9de37d87eb4a1d4a5199b6f-FFFFF',
    );
  });

  it('builds the auth request with the official field names and order', () => {
    const line = authRequestLine('abcd1234', {
      apiKey: 'db-unittestapikey1234567890FFFFF',
      dataset: 'EQUS.MINI',
      heartbeatIntervalS: 10,
      client: 'TradeAssist/0.1',
    });
    expect(line).toBe(
      'auth=be87ce3d564b64481d4ad1902e2b41b26e3eef62b9de37d87eb4a1d4a5199b6f-FFFFF|dataset=EQUS.MINI|' +
        'encoding=dbn|ts_out=0|compression=none|heartbeat_interval_s=10|client=TradeAssist/0.1\n',
    );
    expect(line).not.toContain('unittestapikey');
  });
});

describe('gateway address', () => {
  it('derives the host from the dataset', () => {
    expect(gatewayAddress('EQUS.MINI')).toEqual({ host: 'equs-mini.lsg.databento.com', port: 13000 });
    expect(gatewayAddress('XNAS.ITCH')).toEqual({ host: 'xnas-itch.lsg.databento.com', port: 13000 });
  });
  it('takes a host:port override and rejects a malformed one', () => {
    expect(gatewayAddress('EQUS.MINI', '127.0.0.1:4567')).toEqual({ host: '127.0.0.1', port: 4567 });
    expect(gatewayAddress('EQUS.MINI', '[::1]:13000')).toEqual({ host: '::1', port: 13000 });
    expect(() => gatewayAddress('EQUS.MINI', 'localhost')).toThrow(LiveError);
    expect(() => gatewayAddress('EQUS.MINI', 'h:70000')).toThrow(/host:port/);
  });
});

describe('gateway lines', () => {
  it('parses greeting, challenge and both auth outcomes', () => {
    expect(parseGreeting('lsg_version=0.7.2')).toBe('0.7.2');
    expect(parseChallenge('cram=t7kNhwj4xqR0QYjzFKtBEG2ec2pXJ4FK')).toBe('t7kNhwj4xqR0QYjzFKtBEG2ec2pXJ4FK');
    expect(() => parseChallenge('hello')).toThrow(/cram=/);
    expect(parseAuthResponse('success=1|session_id=5|')).toBe('5');
    const err = (() => {
      try {
        parseAuthResponse('success=0|error=Authentication failed.');
      } catch (e) {
        return e as LiveError;
      }
    })();
    expect(err?.code).toBe('auth_failed');
    expect(err?.terminal).toBe(true);
    expect(err?.message).toContain('Authentication failed.');
    expect(() => parseAuthResponse('garbage')).toThrow(/malformed/);
  });
});

describe('subscription lines', () => {
  const symbols = Array.from({ length: 1234 }, (_, i) => `S${i}`);

  it('chunks 1,234 symbols into 500 + 500 + 234, is_last only on the last', () => {
    const lines = subscriptionLines({ schema: 'mbp-1', symbols }, 7);
    expect(lines).toHaveLength(3);
    const counts = lines.map((l) => /symbols=([^|]*)/.exec(l)![1]!.split(',').length);
    expect(counts).toEqual([500, 500, 234]);
    expect(lines.map((l) => /is_last=(\d)/.exec(l)![1])).toEqual(['0', '0', '1']);
    expect(lines[0]).toMatch(
      /^schema=mbp-1\|stype_in=raw_symbol\|symbols=S0,S1,.*\|snapshot=0\|id=7\|is_last=0\n$/,
    );
    expect(lines.flatMap((l) => /symbols=([^|]*)/.exec(l)![1]!.split(','))).toEqual(symbols);
  });

  it('sends ALL_SYMBOLS and an optional replay start', () => {
    expect(
      subscriptionLines(
        { schema: 'trades', symbols: 'ALL_SYMBOLS', start: '2023-11-21T14:30:00.000000001Z' },
        1,
      ),
    ).toEqual([
      'schema=trades|stype_in=raw_symbol|symbols=ALL_SYMBOLS|start=1700577000000000001|snapshot=0|id=1|is_last=1\n',
    ]);
    expect(subscriptionLines({ schema: 'trades', symbols: ['AAPL'] }, 2, '1700577000123456789')[0]).toContain(
      '|start=1700577000123456789|',
    );
  });

  it('rejects bad input before anything is sent', () => {
    expect(() => subscriptionLines({ schema: 'bogus' as 'trades', symbols: ['A'] }, 1)).toThrow(/schema/);
    expect(() => subscriptionLines({ schema: 'trades', symbols: ['A|B'] }, 1)).toThrow(/symbol/);
    expect(() => subscriptionLines({ schema: 'trades', symbols: [] }, 1)).toThrow(/no symbols/);
    expect(() => startToNs('yesterday')).toThrow(/ISO/);
  });

  it('converts ISO starts to UTC nanoseconds', () => {
    // 2023-11-21T09:30:00-05:00 = 14:30:00Z = 1700577000 s
    expect(startToNs('2023-11-21T09:30:00-05:00')).toBe('1700577000000000000');
    expect(startToNs('2023-11-21T14:30:00.5Z')).toBe('1700577000500000000');
    expect(startToNs(1700577000123456789n)).toBe('1700577000123456789');
  });
});
