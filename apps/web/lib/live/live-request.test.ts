import { describe, expect, it } from 'vitest';
import { resumePoint } from './live-request.ts';

const req = (url: string, lastEventId?: string) =>
  new Request(url, lastEventId === undefined ? {} : { headers: { 'last-event-id': lastEventId } });

describe('resumePoint', () => {
  it('prefers Last-Event-ID over ?since= and normalises the id', () => {
    expect(resumePoint(req('http://x/api/live?since=5', '0042'))).toEqual({ ok: true, afterId: '42' });
    expect(resumePoint(req('http://x/api/live?since=5'))).toEqual({ ok: true, afterId: '5' });
    expect(resumePoint(req('http://x/api/live'))).toEqual({ ok: true, afterId: null });
  });

  it('rejects what is not an id, naming the source', () => {
    const r = resumePoint(req('http://x/api/live?since=abc'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^since: .*"abc"/);
    expect(resumePoint(req('http://x/api/live', '99999999999999999999')).ok).toBe(false);
  });
});
