// Whether apps/web needs `next build` before `next start`: when there is no build yet, or a source
// file of the app or of a workspace package changed after the last one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', '.next', '.turbo', 'dist', '.local']);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.endsWith('.test.ts')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function webBuildIsStale(repoRoot: string): boolean {
  const buildId = join(repoRoot, 'apps/web/.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const dirs = [join(repoRoot, 'apps/web'), join(repoRoot, 'packages')];
  return dirs.some((d) => existsSync(d) && newestMtime(d) > built);
}
