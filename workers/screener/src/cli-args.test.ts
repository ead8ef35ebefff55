import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './cli-args.ts';

describe('screener command line', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseCliArgs(['--source', 'sim:42:30', '--speed', 'max', '--sink', 'stdout', '--shard=1/3']),
    ).toEqual({
      source: 'sim:42:30',
      speed: 'max',
      sink: 'stdout',
      shard: '1/3',
    });
    expect(parseCliArgs(['--source=replay:/data/a b.dbn', '--speed', '2.5'])).toEqual({
      source: 'replay:/data/a b.dbn',
      speed: 2.5,
    });
    expect(parseCliArgs([])).toEqual({});
  });

  it.each([
    [['--source', 'sim:x'], /--source: bad source "sim:x"/],
    [['--speed', '0'], /--speed must be max, realtime or a positive multiple/],
    [['--sink', 'file'], /--sink must be stdout or db/],
    [['--shard', '2/2'], /--shard must be k\/N with 0 <= k < N/],
    [['--shard', '1'], /--shard must be k\/N/],
    [['--sink'], /--sink needs a value/],
    [['--sink', '--source', 'sim:1'], /--sink needs a value/],
    [['sim:1'], /unknown argument "sim:1"/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
