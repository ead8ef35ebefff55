// A local double of Supabase Auth (GoTrue) for the magic-link sign-in, from its published HTTP API
// as @supabase/auth-js calls it: POST /auth/v1/otp (with a PKCE challenge and ?redirect_to=),
// POST /auth/v1/token?grant_type=pkce|refresh_token, GET /auth/v1/user, POST /auth/v1/logout and
// the project's JWKS at /auth/v1/.well-known/jwks.json. Access tokens are ES256 JWTs signed with a
// key made per instance, so a client verifies them as it verifies a real project's (getClaims).
// One simplification: the "email" is kept in `sent` with the link Supabase's /verify endpoint would
// finally redirect to (redirect_to?code=...), instead of the /verify hop itself.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentLink {
  email: string;
  /** Where the link in the email leads once Supabase has checked it. */
  link: string;
}

export interface SupabaseAuthDouble {
  /** The project URL (SUPABASE_URL). */
  url: string;
  /** What would have gone out by email. */
  sent: SentLink[];
  /** Users by email; signing in with another address creates one (like open sign-ups). */
  users: Map<string, string>;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startSupabaseAuthDouble(
  opts: { users?: Record<string, string>; tokenTtlSeconds?: number } = {},
): Promise<SupabaseAuthDouble> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] };
  const ttl = opts.tokenTtlSeconds ?? 3600;
  const users = new Map(Object.entries(opts.users ?? {}));
  const sent: SentLink[] = [];
  const codes = new Map<string, { email: string; challenge: string }>();
  const refreshTokens = new Map<string, string>(); // token -> email
  const revoked = new Set<string>(); // session ids

  const userJson = (email: string) => ({
    id: users.get(email),
    aud: 'authenticated',
    role: 'authenticated',
    email,
    email_confirmed_at: '2026-01-01T00:00:00Z',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  });

  const session = (email: string) => {
    const now = Math.floor(Date.now() / 1000);
    const sessionId = randomUUID();
    const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
    const payload = b64url(
      JSON.stringify({
        iss: `${url}/auth/v1`,
        sub: users.get(email),
        aud: 'authenticated',
        role: 'authenticated',
        email,
        aal: 'aal1',
        session_id: sessionId,
        iat: now,
        exp: now + ttl,
      }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    const refresh = randomBytes(16).toString('hex');
    refreshTokens.set(refresh, email);
    return {
      access_token: `${header}.${payload}.${b64url(signature)}`,
      token_type: 'bearer',
      expires_in: ttl,
      expires_at: now + ttl,
      refresh_token: refresh,
      user: userJson(email),
    };
  };

  /** The signed-in email of a bearer token this double issued (signature checked, as GoTrue does). */
  const emailOfBearer = (req: IncomingMessage): string | null => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [head, part, sig] = token?.split('.') ?? [];
    if (!head || !part || !sig) return null;
    const genuine = verify(
      'sha256',
      Buffer.from(`${head}.${part}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(sig, 'base64url'),
    );
    if (!genuine) return null;
    try {
      const claims = JSON.parse(Buffer.from(part, 'base64url').toString()) as {
        email?: string;
        session_id?: string;
        exp?: number;
      };
      if (!claims.email || revoked.has(claims.session_id ?? '') || (claims.exp ?? 0) < Date.now() / 1000)
        return null;
      return claims.email;
    } catch {
      return null;
    }
  };

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, msg: string) =>
    send(res, status, { code: status, error_code: code, msg });

  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://double');
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString();
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    }
    if (req.method === 'GET' && u.pathname === '/auth/v1/.well-known/jwks.json')
      return send(res, 200, { keys: [jwk] });
    if (req.method === 'POST' && u.pathname === '/auth/v1/otp') {
      const email = typeof body.email === 'string' ? body.email.toLowerCase() : '';
      if (!/^[^@\s]+@[^@\s]+$/.test(email))
        return fail(res, 400, 'validation_failed', 'Unable to validate email address');
      if (body.code_challenge_method !== 's256' || typeof body.code_challenge !== 'string') {
        return fail(res, 400, 'validation_failed', 'PKCE code challenge required');
      }
      if (!users.has(email)) users.set(email, randomUUID());
      const code = randomUUID();
      codes.set(code, { email, challenge: body.code_challenge });
      const back = new URL(u.searchParams.get('redirect_to') ?? 'http://localhost/');
      back.searchParams.set('code', code);
      sent.push({ email, link: back.toString() });
      return send(res, 200, {});
    }
    if (req.method === 'POST' && u.pathname === '/auth/v1/token') {
      const grant = u.searchParams.get('grant_type');
      if (grant === 'pkce') {
        const entry = codes.get(String(body.auth_code ?? ''));
        const verifier = String(body.code_verifier ?? '');
        if (!entry)
          return fail(res, 404, 'flow_state_not_found', 'invalid flow state, no valid flow state found');
        codes.delete(String(body.auth_code));
        if (b64url(createHash('sha256').update(verifier).digest()) !== entry.challenge) {
          return fail(
            res,
            400,
            'bad_code_verifier',
            'code challenge does not match previously saved code verifier',
          );
        }
        return send(res, 200, session(entry.email));
      }
      if (grant === 'refresh_token') {
        const email = refreshTokens.get(String(body.refresh_token ?? ''));
        if (!email)
          return fail(res, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        refreshTokens.delete(String(body.refresh_token));
        return send(res, 200, session(email));
      }
      return fail(res, 400, 'unsupported_grant_type', 'unsupported grant type');
    }
    if (req.method === 'GET' && u.pathname === '/auth/v1/user') {
      const email = emailOfBearer(req);
      return email ? send(res, 200, userJson(email)) : fail(res, 401, 'bad_jwt', 'invalid JWT');
    }
    if (req.method === 'POST' && u.pathname === '/auth/v1/logout') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]?.split('.')[1];
      if (token) {
        const claims = JSON.parse(Buffer.from(token, 'base64url').toString()) as { session_id?: string };
        if (claims.session_id) revoked.add(claims.session_id);
      }
      res.writeHead(204).end();
      return;
    }
    fail(res, 404, 'not_found', `no route ${req.method} ${u.pathname}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    sent,
    users,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
