import {
  DOUBLE_ACCOUNT_SID,
  DOUBLE_AUTH_TOKEN,
  formBody,
  inboundSmsParams,
  signTwilioRequest,
} from '@tradeassist/test-doubles/twilio-double';
import { describe, expect, it } from 'vitest';
import {
  formParams,
  inboundSmsSchema,
  isValidTwilioSignature,
  statusCallbackSchema,
  storedStatus,
  webhookUrl,
} from './webhook.ts';

const params = inboundSmsParams({
  from: '+15555550100',
  to: '+15555550199',
  body: 'took AAPL 150.20 stop 148',
});

describe('Twilio signature', () => {
  it('accepts a request signed with the auth token for the URL Twilio called', () => {
    const url = 'https://trade.example.com/api/twilio/sms';
    const signature = signTwilioRequest(DOUBLE_AUTH_TOKEN, url, params);
    const parsed = formParams(formBody(params));
    expect(isValidTwilioSignature({ authToken: DOUBLE_AUTH_TOKEN, signature, url, params: parsed })).toBe(
      true,
    );
  });

  it('refuses another token, a changed parameter, another URL or no signature', () => {
    const url = 'https://trade.example.com/api/twilio/sms';
    const signature = signTwilioRequest(DOUBLE_AUTH_TOKEN, url, params);
    const check = { authToken: DOUBLE_AUTH_TOKEN, signature, url, params: { ...params } };
    expect(isValidTwilioSignature({ ...check, authToken: 'f'.repeat(32) })).toBe(false);
    expect(
      isValidTwilioSignature({ ...check, params: { ...params, Body: 'took AAPL 15.20 stop 148' } }),
    ).toBe(false);
    expect(isValidTwilioSignature({ ...check, url: 'https://evil.example.com/api/twilio/sms' })).toBe(false);
    expect(isValidTwilioSignature({ ...check, signature: null })).toBe(false);
  });

  it('behind a proxy: checks the public URL Twilio signed, not the one the app sees', () => {
    const publicUrl = 'https://trade.example.com';
    const seen = 'http://10.0.0.7:3000/api/twilio/status?m=5d1d3c1e-0000-4000-8000-000000000001';
    const signed = 'https://trade.example.com/api/twilio/status?m=5d1d3c1e-0000-4000-8000-000000000001';
    expect(webhookUrl(seen, publicUrl)).toBe(signed);
    expect(webhookUrl(seen, `${publicUrl}/`)).toBe(signed);
    expect(webhookUrl(seen, undefined)).toBe(seen);
    // Without a public URL, the host the caller asked for (Next.js rewrites request.url's host).
    expect(webhookUrl('http://localhost:3000/api/twilio/sms', undefined, '127.0.0.1:3000')).toBe(
      'http://127.0.0.1:3000/api/twilio/sms',
    );
    expect(webhookUrl(seen, publicUrl, '10.0.0.7:3000')).toBe(signed);
    const signature = signTwilioRequest(DOUBLE_AUTH_TOKEN, signed, params);
    const base = { authToken: DOUBLE_AUTH_TOKEN, signature, params };
    expect(isValidTwilioSignature({ ...base, url: webhookUrl(seen, publicUrl) })).toBe(true);
    expect(isValidTwilioSignature({ ...base, url: seen })).toBe(false);
  });
});

describe('webhook forms', () => {
  it('parses an inbound message and ignores parameters it does not use', () => {
    expect(inboundSmsSchema.parse(formParams(formBody(params)))).toEqual({
      MessageSid: params.MessageSid,
      AccountSid: DOUBLE_ACCOUNT_SID,
      From: '+15555550100',
      To: '+15555550199',
      Body: 'took AAPL 150.20 stop 148',
      NumMedia: 0,
      NumSegments: 1,
    });
  });

  it('refuses a malformed sid or number with the field named', () => {
    const bad = inboundSmsSchema.safeParse({ ...params, MessageSid: 'SM123', From: '5555550100' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['From', 'MessageSid']);
  });

  it('parses status callbacks and maps Twilio statuses to ours', () => {
    const cb = statusCallbackSchema.parse({
      MessageSid: params.MessageSid,
      AccountSid: DOUBLE_ACCOUNT_SID,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    });
    expect(cb).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(storedStatus('accepted')).toBe('queued');
    expect(storedStatus('sending')).toBe('queued');
    expect(storedStatus('sent')).toBe('sent');
    expect(storedStatus('read')).toBe('delivered');
    expect(storedStatus('canceled')).toBe('failed');
    expect(storedStatus('received')).toBeNull();
  });
});
