// Makes a plain PostgreSQL database look like Supabase (supabase/local/*.sql: roles, auth.uid(),
// the realtime publication) and then applies supabase/migrations with the Supabase CLI, exactly as
// a hosted project gets them with `supabase db push`.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';

const run = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

function supabaseCli(): string {
  const bin = join(REPO_ROOT, 'node_modules/.bin/supabase');
  if (!existsSync(bin)) throw new Error(`Supabase CLI not found at ${bin}: run npm ci`);
  return bin;
}

/** Applies supabase/local (idempotent SQL) to the database at `url`. */
export async function applySupabaseCompat(url: string): Promise<void> {
  const dir = join(REPO_ROOT, 'supabase/local');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const f of files) await sql.unsafe(readFileSync(join(dir, f), 'utf8'));
  } finally {
    await sql.end();
  }
}

/** Applies pending migrations with `supabase migration up --db-url`. */
export async function applyMigrations(url: string): Promise<void> {
  try {
    await run(supabaseCli(), ['migration', 'up', '--db-url', url, '--yes'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`supabase migration up failed: ${(err.stderr || err.stdout || err.message).trim()}`);
  }
}

export async function prepareDatabase(url: string): Promise<void> {
  await applySupabaseCompat(url);
  await applyMigrations(url);
}

/** Applies supabase/seed.sql (the local single user; idempotent) to the database at `url`. */
export async function applySeed(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(readFileSync(join(REPO_ROOT, 'supabase/seed.sql'), 'utf8'));
  } finally {
    await sql.end();
  }
}
