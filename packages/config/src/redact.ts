// Redaction of secrets for logs and error messages. A variable is secret when its name says so
// (key, secret, token, password, passcode, auth); URLs keep host and path but lose credentials.

const SECRET_NAME = /(KEY|SECRET|TOKEN|PASSWORD|PASSCODE|AUTH|CREDENTIAL)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !/^(VAPID_PUBLIC_KEY|SUPABASE_ANON_KEY)$/.test(name);
}

/** The URL with its password (and secret-looking query parameters) replaced by `***`. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '<unparseable url>';
  }
  if (u.password) u.password = '***';
  for (const key of [...u.searchParams.keys()]) {
    if (/pass|secret|token|key|sig/i.test(key)) u.searchParams.set(key, '***');
  }
  return u.toString();
}

/** A value safe to print next to its variable name. */
export function redactValue(name: string, value: string): string {
  if (isSecretName(name)) return value.length === 0 ? '' : '***';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return redactUrl(value);
  return value;
}

/** A loggable copy of a parsed env: secret fields become `***`, URLs lose their credentials. */
export function redactEnv(env: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (isSecretName(k)) out[k] = '***';
    else if (typeof v === 'string') out[k] = redactValue(k, v);
    else out[k] = v;
  }
  return out;
}
