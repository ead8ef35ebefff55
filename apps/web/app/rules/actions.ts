'use server';
// Server actions of the rules page. Input from the browser is parsed again here with the core schema
// (and compiled with the screener's rule compiler, which checks units the schema cannot).
import { compileRule } from '@tradeassist/screener';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { type RuleDraft, validateDraft } from '@/lib/rules/rule-draft.ts';
import { currentUserId } from '@/lib/server/auth.ts';
import { insertRule, RuleNameTaken, setRuleEnabled } from '@/lib/server/rules.ts';

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
