// A local stand-in for Anthropic's Messages API (`POST /v1/messages`), for tests: Anthropic is not
// reachable here. It checks what the real API checks first (the key, as x-api-key or a Bearer
// token; anthropic-version; a JSON body with model, max_tokens and messages), answers with the published error shape
// ({"type":"error","error":{"type":...,"message":...},"request_id":...}) and otherwise serves
// recorded responses (recordings/anthropic/*.json), keyed by the text of the last content block of
// the last user message. A recording may hold several responses, served in turn (the last one
// repeats), to script faults: 429 with retry-after, 500, 529 overloaded, a slow answer.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ANTHROPIC_RECORDINGS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../recordings/anthropic',
);

export interface RecordedResponse {
  status: number;
  headers?: Record<string, string>;
  /** A Messages API `message` object, or an error object. */
  body: unknown;
  /** Wait this long before answering (to make the client time out). */
  delay_ms?: number;
}

export interface Recording {
  /** The SMS text: the last content block of the last user message. */
  text: string;
  /** Served in turn; the last repeats. */
  responses: RecordedResponse[];
}

export interface ReceivedRequest {
  text: string | null;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface AnthropicDoubleOptions {
  recordingsDir?: string;
  /** Keys answered with 200; any other x-api-key gets 401. */
  apiKeys?: readonly string[];
  /**
   * Sent as `retry-after-ms` on 429/529 answers (the SDK reads it before `retry-after`), so a
   * test's retries wait milliseconds instead of the real API's seconds.
   */
  retryAfterMs?: number;
}

export interface AnthropicDouble {
  /** Base URL for the SDK's `baseURL`. */
  url: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Adds or replaces a recording for this run (overrides the files). */
  record(recording: Recording): void;
  close(): Promise<void>;
}

export const DOUBLE_API_KEY = 'sk-ant-double-0000000000';

export function loadAnthropicRecordings(dir = ANTHROPIC_RECORDINGS_DIR): Recording[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const rec = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Recording;
      if (typeof rec.text !== 'string' || !Array.isArray(rec.responses) || rec.responses.length === 0) {
        throw new Error(`${f}: a recording needs "text" and at least one response`);
      }
      return rec;
    });
}

const requestId = () => `req_${randomBytes(12).toString('base64url')}`;

function errorBody(type: string, message: string, id: string) {
  return { type: 'error', error: { type, message }, request_id: id };
}

/** The API key: `x-api-key`, or `Authorization: Bearer` (as SDK 1.x sends it); both are accepted. */
function apiKeyOf(req: IncomingMessage): string | null {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') return key;
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return bearer?.[1] ?? null;
}

/** The text the double keys on: the last block of the last user message. */
function smsTextOf(body: unknown): string | null {
  const messages = (body as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return null;
  const last = [...messages].reverse().find((m) => (m as { role?: unknown }).role === 'user') as
    | { content?: unknown }
    | undefined;
  if (!last) return null;
  if (typeof last.content === 'string') return last.content;
  if (!Array.isArray(last.content)) return null;
  const block = last.content.at(-1) as { type?: unknown; text?: unknown } | undefined;
  return block?.type === 'text' && typeof block.text === 'string' ? block.text : null;
}

export async function startAnthropicDouble(options: AnthropicDoubleOptions = {}): Promise<AnthropicDouble> {
  const recordings = new Map<string, Recording>();
  for (const r of loadAnthropicRecordings(options.recordingsDir)) recordings.set(r.text, r);
  const served = new Map<string, number>();
  const apiKeys = new Set(options.apiKeys ?? [DOUBLE_API_KEY]);
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    id: string,
    headers: Record<string, string> = {},
  ) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id, ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const id = requestId();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') {
      return send(res, 404, errorBody('not_found_error', `Not found: ${req.method} ${req.url}`, id), id);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, errorBody('invalid_request_error', 'Request body is not valid JSON', id), id);
    }
    const text = smsTextOf(body);
    requests.push({ text, headers: req.headers, body });
    const key = apiKeyOf(req);
    if (key === null || !apiKeys.has(key)) {
      return send(res, 401, errorBody('authentication_error', 'invalid x-api-key', id), id);
    }
    if (typeof req.headers['anthropic-version'] !== 'string') {
      return send(
        res,
        400,
        errorBody('invalid_request_error', 'anthropic-version: header is required', id),
        id,
      );
    }
    const b = body as { model?: unknown; max_tokens?: unknown; messages?: unknown };
    for (const field of ['model', 'max_tokens', 'messages'] as const) {
      if (b[field] === undefined) {
        return send(res, 400, errorBody('invalid_request_error', `${field}: Field required`, id), id);
      }
    }
    const rec = text === null ? undefined : recordings.get(text);
    if (!rec) {
      const what = JSON.stringify(text);
      return send(
        res,
        400,
        errorBody('invalid_request_error', `anthropic double: no recording for ${what}`, id),
        id,
      );
    }
    const n = served.get(rec.text) ?? 0;
    served.set(rec.text, n + 1);
    const answer = rec.responses[Math.min(n, rec.responses.length - 1)]!;
    const headers = { ...answer.headers };
    const throttled = answer.status === 429 || answer.status === 529;
    if (throttled && options.retryAfterMs !== undefined) {
      headers['retry-after-ms'] = String(options.retryAfterMs);
    }
    const reply = () => send(res, answer.status, answer.body, id, headers);
    if (!answer.delay_ms) return reply();
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply();
    }, answer.delay_ms);
    timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const id = requestId();
      send(res, 500, errorBody('api_error', `anthropic double: ${String(err)}`, id), id);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    record(recording) {
      recordings.set(recording.text, recording);
      served.delete(recording.text);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
