'use server';
// Server actions of the rules page. Input from the browser is parsed again here with the core schema
// (and compiled with the screener's rule compiler, which checks units the schema cannot).
import { loadDailyReference } from '@tradeassist/db/daily-reference';
import { compileRule } from '@tradeassist/screener';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { type RuleDraft, validateDraft } from '@/lib/rules/rule-draft.ts';
import { currentUserId } from '@/lib/server/auth.ts';
import { db } from '@/lib/server/db.ts';
import { getEnv } from '@/lib/server/env.ts';
import { type PreviewResult, previewRule, previewSourceSchema } from '@/lib/server/rule-preview.ts';
import { insertRule, RuleNameTaken, setRuleEnabled } from '@/lib/server/rules.ts';
import { listWatchlists } from '@/lib/server/watchlists.ts';

export type SaveResult =
  | { ok: true; id: string }
  | { ok: false; issues: { path: string; message: string }[] };

export async function saveRule(draft: RuleDraft): Promise<SaveResult> {
  const v = validateDraft(draft, { id: crypto.randomUUID(), user_id: await currentUserId() });
  if (!v.ok) return v;
  const compiled = compileRule(v.definition);
  if (!compiled.ok) {
    return { ok: false, issues: compiled.error.issues.map((i) => ({ path: i.path, message: i.reason })) };
  }
  try {
    const id = await insertRule(v.definition);
    revalidatePath('/rules');
    return { ok: true, id };
  } catch (e) {
    if (e instanceof RuleNameTaken) return { ok: false, issues: [{ path: 'name', message: e.message }] };
    throw e;
  }
}

const toggleSchema = z.object({ id: z.string().uuid(), enabled: z.boolean() });

export async function toggleRule(input: { id: string; enabled: boolean }): Promise<void> {
  const { id, enabled } = toggleSchema.parse(input);
  if (!(await setRuleEnabled(await currentUserId(), id, enabled))) throw new Error(`no rule ${id}`);
  revalidatePath('/rules');
}

const previewSchema = z.object({ definition: z.unknown(), source: previewSourceSchema });

// What the draft rule would have fired on the simulator or a replay file (rule-preview.ts).
export async function previewRuleAction(input: unknown): Promise<PreviewResult> {
  const parsed = previewSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, kind: 'source', message: `bad preview request: ${parsed.error.issues[0]?.message}` };
  }
  const userId = await currentUserId();
  return previewRule({
    ...parsed.data,
    userId,
    replayDir: getEnv().RULE_PREVIEW_REPLAY_DIR,
    loadWatchlists: async () =>
      Object.fromEntries((await listWatchlists(userId)).map((w) => [w.id, w.symbols])),
    loadReference: (date) => loadDailyReference(db(), date),
  });
}
