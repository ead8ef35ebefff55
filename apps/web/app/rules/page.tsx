import { RuleForm } from '@/components/rule-form.tsx';
import { RuleToggle } from '@/components/rule-toggle.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { currentUserId } from '@/lib/server/auth.ts';
import { getEnv } from '@/lib/server/env.ts';
import { listReplayFiles } from '@/lib/server/replay-files.ts';
import { listRules } from '@/lib/server/rules.ts';

export const dynamic = 'force-dynamic';

/** One line a trader can read: "gap_pct >= 4 and price > vwap". */
function describe(c: unknown): string {
  const x = c as Record<string, unknown>;
  const operand = (o: unknown) => {
    const v = o as { field?: string; period?: number; value?: unknown };
    return v.field ? `${v.field}${v.period ? `(${v.period})` : ''}` : String(v.value);
  };
  switch (x.op) {
    case 'and':
      return (x.all as unknown[]).map(describe).join(' and ');
    case 'or':
      return `(${(x.any as unknown[]).map(describe).join(' or ')})`;
    case 'not':
      return `not (${describe(x.cond)})`;
    case 'compare':
      return `${operand(x.left)} ${x.cmp} ${operand(x.right)}`;
    case 'cross':
      return `${operand(x.left)} crosses ${x.direction} ${operand(x.right)}`;
    case 'change':
      return `${x.field ? operand(x.field) : 'price'} change ${x.cmp} ${x.pct}% in ${x.window_min} min`;
    default:
      return JSON.stringify(c);
  }
}

// The trader's rules: each with its condition in words and an on/off switch, and the new-rule form.
export default async function RulesPage() {
  const [rules, replayFiles] = await Promise.all([
    listRules(await currentUserId()),
    listReplayFiles(getEnv().RULE_PREVIEW_REPLAY_DIR),
  ]);
  return (
    <>
      <TopBar active="Rules" />
      <main className="mx-auto max-w-6xl space-y-4 px-3 py-2 pb-10">
        <section>
          <h1 className="text-sm font-semibold">Rules</h1>
          {rules.length === 0 ? (
            <p className="py-4 text-muted">No rules yet. Build one below.</p>
          ) : (
            <ul className="mt-2 divide-y divide-line border-y border-line" data-testid="rule-list">
              {rules.map((r) => {
                const scope = r.definition.scope as { kind: string; symbols?: string[] } | undefined;
                return (
                  <li key={r.id} className="flex min-h-12 items-center gap-3 py-2" data-rule={r.name}>
                    <RuleToggle id={r.id} name={r.name} enabled={r.enabled} />
                    <div className="min-w-0 flex-1">
                      <div className={`font-medium ${r.enabled ? '' : 'text-muted'}`}>{r.name}</div>
                      <div className="break-words font-mono text-[11px] text-muted">
                        {describe(r.definition.condition)}
                        {' · '}
                        {scope?.kind === 'symbols' ? scope.symbols?.join(', ') : 'all symbols'}
                        {' · '}
                        {(r.definition.sessions as string[] | undefined)?.join('/')} · cooldown{' '}
                        {r.cooldown_seconds}s · {r.channels.join(', ')}
                      </div>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <RuleForm replayFiles={replayFiles.map((f) => f.name)} />
      </main>
    </>
  );
}
