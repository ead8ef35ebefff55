// .env.example documents every variable that any process reads, in both profiles.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { launcherEnv, screenerEnv, webEnv, workflowWorkerEnv } from './index.ts';
import type { EnvContext, EnvSchema, Profile } from './load-env.ts';

function variables(schema: EnvSchema<unknown>, profile: Profile): string[] {
  const ctx: EnvContext = { profile, has: () => false, raw: () => undefined, requireWhen: (_n, c) => c };
  return Object.keys((schema.build(ctx) as unknown as z.ZodObject).shape);
}

describe('.env.example', () => {
  const text = readFileSync(fileURLToPath(new URL('../../../.env.example', import.meta.url)), 'utf8');
  const documented = new Set([...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));

  it('lists every variable of every process in both profiles', () => {
    const all = new Set<string>(['TRADEASSIST_PROFILE']);
    for (const schema of [webEnv, screenerEnv, workflowWorkerEnv, launcherEnv] as EnvSchema<unknown>[]) {
      for (const profile of ['local', 'cloud'] as const)
        for (const v of variables(schema, profile)) all.add(v);
    }
    expect([...all].filter((v) => !documented.has(v)).sort()).toEqual([]);
    expect([...documented].filter((v) => !all.has(v)).sort()).toEqual([]);
  });

  it('holds no secret values', () => {
    for (const m of text.matchAll(/^([A-Z_]*(?:KEY|SECRET|TOKEN|PASSCODE)[A-Z_]*)=(.*)$/gm)) {
      expect({ variable: m[1], value: m[2] }).toEqual({ variable: m[1], value: '' });
    }
  });
});
