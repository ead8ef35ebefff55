'use client';
// The new-rule form: builds a packages/core rule definition from simple parts (conditions that must
// all hold, an optional % change over N minutes), validated with the core schema as the trader types;
// saved by a server action that validates and compiles it again. Preview backtests the draft on the
// simulator (or a replay file the server lists) and shows what it would have fired.
import { useMemo, useRef, useState, useTransition } from 'react';
import { previewRuleAction, saveRule } from '@/app/rules/actions.ts';
import { displayPrice } from '@/lib/format.ts';
import {
  COMPARATORS,
  type ConditionDraft,
  EMPTY_CONDITION,
  NEW_RULE,
  RULE_CHANNELS,
  RULE_FIELD_NAMES,
  RULE_FIELDS,
  type RuleDraft,
  SESSIONS,
  sameUnitFields,
  validateDraft,
} from '@/lib/rules/rule-draft.ts';
import type { PreviewResult } from '@/lib/server/rule-preview.ts';

// Placeholders for validation in the browser; the server assigns the real id and owner.
const DRAFT_IDS = {
  id: '00000000-0000-4000-8000-00000000d4af',
  user_id: '00000000-0000-4000-8000-000000000001',
};

const UNIT_HINT = { price: '$', pct: '%', bps: 'bps', shares: 'shares', ratio: '×', index: '' } as const;

const control =
  'h-10 min-w-0 rounded border border-line bg-bg px-2 text-[13px] text-text focus:border-accent focus:outline-none';

function Issue({ issues, path }: { issues: { path: string; message: string }[]; path: string }) {
  const mine = issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`));
  if (mine.length === 0) return null;
  return <p className="mt-1 text-[11px] text-down">{mine.map((i) => i.message).join('; ')}</p>;
}

/** What was fired, compactly: the count and source, then one dense line per alert. */
function PreviewPanel({ preview }: { preview: PreviewResult }) {
  if (!preview.ok) {
    const text =
      preview.kind === 'invalid'
        ? `Fix the rule first: ${preview.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`
        : preview.message;
    return (
      <p role="alert" className="text-[13px] text-down">
        {text}
      </p>
    );
  }
  const days = new Set(preview.alerts.map((a) => a.date)).size;
  return (
    <div>
      <p role="status" className="text-[13px]">
        Would have fired{' '}
        <span className="font-mono font-semibold">{preview.fired.toLocaleString('en-US')}</span>{' '}
        {preview.fired === 1 ? 'time' : 'times'} on {preview.source}
        {preview.partial && <span className="text-down"> (stopped at the time limit: partial)</span>}
      </p>
      <p className="text-[11px] text-muted">
        {preview.records.toLocaleString('en-US')} records in {preview.elapsedMs.toLocaleString('en-US')} ms
        {preview.fired > preview.alerts.length && ` · first ${preview.alerts.length} shown`} · times ET
      </p>
      {preview.alerts.length > 0 && (
        <ol className="mt-1 divide-y divide-line/60 border-y border-line" data-testid="preview-alerts">
          {preview.alerts.map((a, k) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: a symbol can fire twice in one second
              key={k}
              data-testid="preview-alert"
              className="tabular grid min-h-9 grid-cols-[minmax(0,1fr)_auto_5.5rem] items-center gap-3 font-mono text-[13px]"
            >
              <span className="truncate font-semibold">{a.symbol}</span>
              <span className="text-muted">
                {days > 1 && `${a.date.slice(5)} `}
                {a.time}
              </span>
              <span className="text-right">{displayPrice(a.price)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function RuleForm({ replayFiles = [] }: { replayFiles?: string[] }) {
  const [draft, setDraft] = useState<RuleDraft>(NEW_RULE);
  const [touched, setTouched] = useState(false);
  const [serverIssues, setServerIssues] = useState<{ path: string; message: string }[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [previewSource, setPreviewSource] = useState('');
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [previewing, startPreview] = useTransition();
  // Bumped on every edit: a preview that returns after the draft changed is not shown.
  const edits = useRef(0);
  const result = useMemo(() => validateDraft(draft, DRAFT_IDS), [draft]);
  // A preview needs no name yet: the trader often tries a rule before naming it.
  const previewable = useMemo(
    () => validateDraft({ ...draft, name: draft.name.trim() || 'Preview' }, DRAFT_IDS),
    [draft],
  );
  const issues = touched ? [...(result.ok ? [] : result.issues), ...serverIssues] : serverIssues;

  const update = (patch: Partial<RuleDraft>) => {
    setTouched(true);
    setServerIssues([]);
    setSaved(null);
    setPreview(null);
    edits.current++;
    setDraft((d) => ({ ...d, ...patch }));
  };
  const runPreview = () => {
    if (!previewable.ok) {
      setTouched(true);
      return;
    }
    const { id: _id, user_id: _user, ...definition } = previewable.definition;
    const source =
      previewSource === '' ? { kind: 'sim' as const } : { kind: 'replay' as const, file: previewSource };
    const asOf = edits.current;
    startPreview(async () => {
      const r = await previewRuleAction({ definition, source });
      if (edits.current !== asOf) return;
      if (!r.ok && r.kind === 'invalid') setServerIssues(r.issues);
      setPreview(r);
    });
  };
  const updateCondition = (i: number, patch: Partial<ConditionDraft>) =>
    update({ conditions: draft.conditions.map((c, k) => (k === i ? { ...c, ...patch } : c)) });

  return (
    <form
      aria-label="New rule"
      className="space-y-3 rounded border border-line bg-panel p-3"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!result.ok) return;
        startTransition(async () => {
          const r = await saveRule(draft);
          if (r.ok) {
            setSaved(draft.name);
            setDraft(NEW_RULE);
            setTouched(false);
          } else setServerIssues(r.issues);
        });
      }}
    >
      <h2 className="text-sm font-semibold">New rule</h2>
      <label className="block">
        <span className="text-[11px] uppercase tracking-wide text-muted">Name</span>
        <input
          className={`${control} block w-full`}
          value={draft.name}
          placeholder="Gappers above VWAP"
          onChange={(e) => update({ name: e.target.value })}
        />
        <Issue issues={issues} path="name" />
      </label>

      <fieldset>
        <legend className="text-[11px] uppercase tracking-wide text-muted">
          Alert when all of these hold
        </legend>
        {draft.conditions.map((c, i) => {
          const unit = RULE_FIELDS[c.left];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity beyond their place
            <div key={i} className="mt-1 flex flex-wrap items-center gap-2" data-testid="rule-condition">
              <select
                aria-label={`Condition ${i + 1} field`}
                className={control}
                value={c.left}
                onChange={(e) => {
                  const left = e.target.value as ConditionDraft['left'];
                  updateCondition(i, {
                    left,
                    rightField: sameUnitFields(left).includes(c.rightField) ? c.rightField : left,
                  });
                }}
              >
                {RULE_FIELD_NAMES.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
              {(c.left === 'ema' || c.rightField === 'ema') && (
                <input
                  aria-label={`Condition ${i + 1} EMA period`}
                  className={`${control} w-16`}
                  inputMode="numeric"
                  value={c.period}
                  onChange={(e) => updateCondition(i, { period: e.target.value })}
                />
              )}
              <select
                aria-label={`Condition ${i + 1} comparison`}
                className={`${control} w-16`}
                value={c.cmp}
                onChange={(e) => updateCondition(i, { cmp: e.target.value as ConditionDraft['cmp'] })}
              >
                {COMPARATORS.map((op) => (
                  <option key={op}>{op}</option>
                ))}
              </select>
              <select
                aria-label={`Condition ${i + 1} compare with`}
                className={control}
                value={c.rightKind === 'value' ? '' : c.rightField}
                onChange={(e) =>
                  e.target.value === ''
                    ? updateCondition(i, { rightKind: 'value' })
                    : updateCondition(i, {
                        rightKind: 'field',
                        rightField: e.target.value as ConditionDraft['left'],
                      })
                }
              >
                <option value="">a value</option>
                {sameUnitFields(c.left).map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
              {c.rightKind === 'value' && (
                <span className="flex items-center gap-1">
                  <input
                    aria-label={`Condition ${i + 1} value`}
                    className={`${control} w-24 font-mono`}
                    inputMode="decimal"
                    value={c.value}
                    onChange={(e) => updateCondition(i, { value: e.target.value })}
                  />
                  <span className="text-muted">{UNIT_HINT[unit]}</span>
                </span>
              )}
              {draft.conditions.length > 1 && (
                <button
                  type="button"
                  className="h-10 px-2 text-muted hover:text-down"
                  aria-label={`Remove condition ${i + 1}`}
                  onClick={() => update({ conditions: draft.conditions.filter((_, k) => k !== i) })}
                >
                  ✕
                </button>
              )}
            </div>
          );
        })}
        <Issue issues={issues} path="condition" />
        <button
          type="button"
          className="mt-1 h-10 text-accent"
          onClick={() => update({ conditions: [...draft.conditions, EMPTY_CONDITION] })}
        >
          + condition
        </button>
        <label className="mt-1 flex flex-wrap items-center gap-2">
          <input
            type="checkbox"
            className="size-4 accent-accent"
            checked={draft.change.enabled}
            onChange={(e) => update({ change: { ...draft.change, enabled: e.target.checked } })}
          />
          <span>and price moved</span>
          <select
            aria-label="Change comparison"
            className={`${control} w-16`}
            value={draft.change.cmp}
            onChange={(e) =>
              update({ change: { ...draft.change, cmp: e.target.value as ConditionDraft['cmp'] } })
            }
          >
            {COMPARATORS.map((op) => (
              <option key={op}>{op}</option>
            ))}
          </select>
          <input
            aria-label="Change percent"
            className={`${control} w-16 font-mono`}
            inputMode="decimal"
            value={draft.change.pct}
            onChange={(e) => update({ change: { ...draft.change, pct: e.target.value } })}
          />
          <span>% in</span>
          <input
            aria-label="Change window minutes"
            className={`${control} w-16 font-mono`}
            inputMode="numeric"
            value={draft.change.window_min}
            onChange={(e) => update({ change: { ...draft.change, window_min: e.target.value } })}
          />
          <span>min</span>
        </label>
      </fieldset>

      <div className="grid gap-3 sm:grid-cols-2">
        <fieldset>
          <legend className="text-[11px] uppercase tracking-wide text-muted">Symbols</legend>
          <div className="flex gap-2">
            <select
              aria-label="Scope"
              className={control}
              value={draft.scopeKind}
              onChange={(e) => update({ scopeKind: e.target.value as RuleDraft['scopeKind'] })}
            >
              <option value="all">All symbols</option>
              <option value="symbols">These symbols</option>
            </select>
            {draft.scopeKind === 'symbols' && (
              <input
                aria-label="Rule symbols"
                className={`${control} flex-1 font-mono uppercase`}
                placeholder="NVDA, AMD"
                value={draft.symbols}
                onChange={(e) => update({ symbols: e.target.value })}
              />
            )}
          </div>
          <Issue issues={issues} path="scope" />
        </fieldset>
        <label className="block">
          <span className="text-[11px] uppercase tracking-wide text-muted">Cooldown per symbol (s)</span>
          <input
            className={`${control} block w-28 font-mono`}
            inputMode="numeric"
            value={draft.cooldown_s}
            onChange={(e) => update({ cooldown_s: e.target.value })}
          />
          <Issue issues={issues} path="cooldown_s" />
        </label>
        <fieldset>
          <legend className="text-[11px] uppercase tracking-wide text-muted">Sessions</legend>
          <div className="flex gap-3">
            {SESSIONS.map((s) => (
              <label key={s} className="flex h-10 items-center gap-1.5">
                <input
                  type="checkbox"
                  className="size-4 accent-accent"
                  checked={draft.sessions.includes(s)}
                  onChange={(e) =>
                    update({
                      sessions: e.target.checked
                        ? [...draft.sessions, s]
                        : draft.sessions.filter((x) => x !== s),
                    })
                  }
                />
                {s}
              </label>
            ))}
          </div>
          <Issue issues={issues} path="sessions" />
        </fieldset>
        <fieldset>
          <legend className="text-[11px] uppercase tracking-wide text-muted">Send to</legend>
          <div className="flex gap-3">
            {RULE_CHANNELS.map((c) => (
              <label key={c} className="flex h-10 items-center gap-1.5">
                <input
                  type="checkbox"
                  className="size-4 accent-accent"
                  checked={draft.channels.includes(c)}
                  onChange={(e) =>
                    update({
                      channels: e.target.checked
                        ? [...draft.channels, c]
                        : draft.channels.filter((x) => x !== c),
                    })
                  }
                />
                {c}
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={pending || (touched && !result.ok)}
          className="h-10 rounded bg-accent px-4 font-semibold text-bg disabled:opacity-40"
        >
          {pending ? 'Saving…' : 'Save rule'}
        </button>
        <button
          type="button"
          onClick={runPreview}
          disabled={previewing || (touched && !previewable.ok)}
          className="h-10 rounded border border-accent px-4 font-semibold text-accent disabled:opacity-40"
        >
          {previewing ? 'Previewing…' : 'Preview'}
        </button>
        {replayFiles.length > 0 && (
          <select
            aria-label="Preview on"
            className={`${control} max-w-full`}
            value={previewSource}
            onChange={(e) => {
              setPreviewSource(e.target.value);
              setPreview(null);
            }}
          >
            <option value="">Simulator</option>
            {replayFiles.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        )}
        {saved && (
          <span role="status" className="text-up">
            Saved “{saved}”.
          </span>
        )}
      </div>
      {preview && (
        <section aria-label="Rule preview" data-testid="rule-preview" aria-busy={previewing}>
          <PreviewPanel preview={preview} />
        </section>
      )}
    </form>
  );
}
