import { describe, expect, it } from 'vitest';
import { carrierKeyword, KEYWORD_REPLIES } from './keywords.ts';
import { smsSegments } from './segments.ts';

describe('carrierKeyword', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'UNSUBSCRIBE', 'cancel', 'END', 'quit!'])(
    '%j opts out',
    (body) => {
      expect(carrierKeyword(body, 'opted_in')).toEqual({
        keyword: 'stop',
        optIn: 'opted_out',
        changed: true,
        reply: KEYWORD_REPLIES.stop,
      });
    },
  );

  it('START and UNSTOP opt back in; a repeated START changes nothing', () => {
    expect(carrierKeyword('START', 'opted_out')).toMatchObject({
      keyword: 'start',
      optIn: 'opted_in',
      changed: true,
    });
    expect(carrierKeyword('unstop', 'pending')).toMatchObject({ optIn: 'opted_in', changed: true });
    expect(carrierKeyword('start', 'opted_in')).toMatchObject({ optIn: 'opted_in', changed: false });
  });

  it('YES opts in only while opted out; otherwise it answers the assistant', () => {
    expect(carrierKeyword('yes', 'opted_out')).toMatchObject({ keyword: 'start', optIn: 'opted_in' });
    expect(carrierKeyword('yes', 'opted_in')).toBeNull();
    expect(carrierKeyword('YES', 'pending')).toBeNull();
  });

  it('HELP and INFO answer with help text and keep the state', () => {
    expect(carrierKeyword('help', 'opted_in')).toEqual({
      keyword: 'help',
      optIn: 'opted_in',
      changed: false,
      reply: KEYWORD_REPLIES.help,
    });
    expect(carrierKeyword('Info', 'opted_out')).toMatchObject({ keyword: 'help', optIn: 'opted_out' });
  });

  it('a keyword inside a sentence is a normal message for the parser', () => {
    expect(carrierKeyword('stop 148 on AAPL', 'opted_in')).toBeNull();
    expect(carrierKeyword('took AAPL 150.20 stop 148', 'opted_in')).toBeNull();
    expect(carrierKeyword('help me close NVDA', 'opted_in')).toBeNull();
  });

  it('every reply fits one GSM-7 segment', () => {
    for (const reply of Object.values(KEYWORD_REPLIES)) {
      expect(smsSegments(reply)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });
});
