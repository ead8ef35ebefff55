import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { createWebPushSender, type PushSubscriptionKeys } from './web-push-sender.ts';

// The decryption side of RFC 8188, as a browser does it: http_ece is web-push's own dependency.
const require = createRequire(import.meta.url);
const ece = require(require.resolve('http_ece', { paths: [require.resolve('web-push')] })) as {
  decrypt(buf: Buffer, params: { version: string; privateKey: unknown; authSecret: string }): Buffer;
};

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

// A push service on loopback: records requests and answers with the status the path names.
let server: Server;
let base: string;
const received: Received[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const status = Number(/\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 201);
      res.writeHead(status, status === 201 ? { location: 'https://push.example/m/abc' } : {});
      res.end(status === 201 ? '' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:ops@example.com' };
const browser = createECDH('prime256v1');
browser.generateKeys();
const authSecret = randomBytes(16).toString('base64url');
const subscription = (path: string): PushSubscriptionKeys => ({
  endpoint: `${base}${path}`,
  p256dh: browser.getPublicKey().toString('base64url'),
  auth: authSecret,
});

describe('web push sender', () => {
  const sender = createWebPushSender({ vapid, timeoutMs: 5000 });

  it('sends an encrypted, VAPID-signed message the browser can decrypt', async () => {
    const result = await sender.send(subscription('/push/one'), {
      payload: { title: 'NVDA gap up', alertId: '42' },
      topic: 'alert-42',
      ttlSeconds: 300,
      urgency: 'high',
    });
    expect(result).toEqual({ outcome: 'sent', statusCode: 201, messageId: 'https://push.example/m/abc' });
    const req = received.at(-1)!;
    expect(req.headers['content-encoding']).toBe('aes128gcm');
    expect(req.headers.ttl).toBe('300');
    expect(req.headers.topic).toBe('alert-42');
    expect(req.headers.urgency).toBe('high');
    expect(req.headers.authorization).toMatch(
      new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`),
    );
    const clear = ece.decrypt(req.body, { version: 'aes128gcm', privateKey: browser, authSecret });
    expect(JSON.parse(clear.toString('utf8'))).toEqual({ title: 'NVDA gap up', alertId: '42' });
  });

  it('maps 404 and 410 to gone, throttling to retryable, a bad request to final', async () => {
    const msg = { payload: {}, ttlSeconds: 60 };
    expect(await sender.send(subscription('/status/410'), msg)).toEqual({ outcome: 'gone', statusCode: 410 });
    expect(await sender.send(subscription('/status/404'), msg)).toEqual({ outcome: 'gone', statusCode: 404 });
    expect(await sender.send(subscription('/status/429'), msg)).toMatchObject({
      outcome: 'failed',
      retryable: true,
    });
    expect(await sender.send(subscription('/status/503'), msg)).toMatchObject({
      outcome: 'failed',
      retryable: true,
    });
    expect(await sender.send(subscription('/status/403'), msg)).toMatchObject({
      outcome: 'failed',
      statusCode: 403,
      retryable: false,
    });
  });

  it('reports an unreachable push service as retryable', async () => {
    const dead = { ...subscription('/x'), endpoint: 'http://127.0.0.1:1/push' };
    expect(await sender.send(dead, { payload: {}, ttlSeconds: 60 })).toMatchObject({
      outcome: 'failed',
      statusCode: null,
      retryable: true,
    });
  });
});
