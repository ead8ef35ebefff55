// The rule form's state and how it becomes a packages/core rule definition. Pure (zod only), so the
// form validates as the trader types with exactly the schema the server and the screener use.
import { SESSIONS, type Session } from '@tradeassist/core/alert';
import {
  COMPARATORS,
  type Comparator,
  type Condition,
  RULE_CHANNELS,
  RULE_FIELD_NAMES,
  RULE_FIELDS,
  type RuleDefinition,
  type RuleField,
  ruleDefinitionSchema,
} from '@tradeassist/core/rule';

export { COMPARATORS, RULE_CHANNELS, RULE_FIELD_NAMES, RULE_FIELDS, SESSIONS };
export type RuleChannel = (typeof RULE_CHANNELS)[number];

export interface ConditionDraft {
  left: RuleField;
  /** For `ema`. */
  period: string;
  cmp: Comparator;
  rightKind: 'value' | 'field';
  value: string;
  rightField: RuleField;
}

export interface RuleDraft {
  name: string;
  scopeKind: 'all' | 'symbols';
  symbols: string;
  sessions: Session[];
  cooldown_s: string;
  channels: RuleChannel[];
  conditions: ConditionDraft[];
  /** An optional "% change over N minutes" condition. */
  change: { enabled: boolean; window_min: string; cmp: Comparator; pct: string };
}

export const EMPTY_CONDITION: ConditionDraft = {
  left: 'change_pct',
  period: '20',
  cmp: '>=',
  rightKind: 'value',
  value: '5',
  rightField: 'vwap',
};

export const NEW_RULE: RuleDraft = {
  name: '',
  scopeKind: 'all',
  symbols: '',
  sessions: ['regular'],
  cooldown_s: '300',
  channels: ['dashboard'],
  conditions: [EMPTY_CONDITION],
  change: { enabled: false, window_min: '5', cmp: '>=', pct: '3' },
};

const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

function operandValue(field: RuleField, raw: string): number | string {
  // Dollar amounts stay exact decimal strings; other units are plain numbers.
  return RULE_FIELDS[field] === 'price' ? raw.trim() : num(raw);
}

function conditionOf(c: ConditionDraft): Condition {
  const left = c.left === 'ema' ? { field: c.left, period: num(c.period) } : { field: c.left };
  const right =
    c.rightKind === 'field'
      ? c.rightField === 'ema'
        ? { field: c.rightField, period: num(c.period) }
        : { field: c.rightField }
      : { value: operandValue(c.left, c.value) };
  return { op: 'compare', left, cmp: c.cmp, right };
}

/** The definition the draft stands for (not yet validated). */
export function draftToDefinition(d: RuleDraft, ids: { id: string; user_id: string }): unknown {
  const parts: Condition[] = d.conditions.map(conditionOf);
  if (d.change.enabled) {
    parts.push({
      op: 'change',
      window_min: num(d.change.window_min),
      cmp: d.change.cmp,
      pct: num(d.change.pct),
    });
  }
  const condition = parts.length === 1 ? parts[0] : { op: 'and', all: parts };
  const symbols = d.symbols
    .toUpperCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  return {
    ...ids,
    name: d.name.trim(),
    enabled: true,
    scope: d.scopeKind === 'all' ? { kind: 'all' } : { kind: 'symbols', symbols: [...new Set(symbols)] },
    sessions: d.sessions,
    cooldown_s: num(d.cooldown_s),
    channels: d.channels,
    condition,
  };
}

export interface DraftIssue {
  path: string;
  message: string;
}

/** Validates with the core schema; the issues name the part of the form that is wrong. */
export function validateDraft(
  d: RuleDraft,
  ids: { id: string; user_id: string },
): { ok: true; definition: RuleDefinition } | { ok: false; issues: DraftIssue[] } {
  const parsed = ruleDefinitionSchema.safeParse(draftToDefinition(d, ids));
  if (parsed.success) return { ok: true, definition: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
}

/** Fields a condition may compare a field with: the same unit. */
export function sameUnitFields(field: RuleField): RuleField[] {
  return RULE_FIELD_NAMES.filter((f) => RULE_FIELDS[f] === RULE_FIELDS[field]);
}
