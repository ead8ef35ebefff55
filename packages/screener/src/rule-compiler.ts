// Compiles a user rule (core/rule.ts) once into one generated function over the engine's slot state, so that
// evaluating it for a symbol is a few array reads and comparisons. Checks what the schema cannot:
// units (a price is only compared with a price), EMA periods the engine keeps, history lookbacks.
// A wrong rule is a value (RuleCompileError with the path of the bad part), never an exception out
// of the engine. Missing data (no prior close yet, indicator still warming up) reads as NaN, which
// makes every comparison false.
import { decimalToFixed, PRICE_SCALE } from '@tradeassist/core/money';
import {
  type Condition,
  EMA_PERIODS,
  type FieldOperand,
  type Operand,
  RULE_FIELDS,
  type RuleDefinition,
  ruleDefinitionSchema,
} from '@tradeassist/core/rule';
import type { SlotState } from './slot-state.ts';
import { CUMULATIVE_SHARE as CUMULATIVE_IMPORT, MINUTE_SHARE as MINUTE_IMPORT } from './volume-profile.ts';

// module-local copies: imported bindings cost a getter call per access under tsx
const CUMULATIVE_SHARE = CUMULATIVE_IMPORT;
const MINUTE_SHARE = MINUTE_IMPORT;

export interface RuleCompileIssue {
  /** Where in the rule definition, e.g. `condition.all[1].right`. */
  readonly path: string;
  readonly reason: string;
}

export class RuleCompileError extends Error {
  constructor(
    readonly ruleId: string | null,
    readonly issues: readonly RuleCompileIssue[],
  ) {
    super(
      `rule ${ruleId ?? '(no id)'} is invalid: ${issues.map((i) => `${i.path || '(rule)'}: ${i.reason}`).join('; ')}`,
    );
    this.name = 'RuleCompileError';
  }
}

/**
 * `mem[base]` = last truth (0/1), `mem[base + 1 + k]` = cross k's side (-1/0/1): bytes, so that
 * evaluating every rule of a symbol touches one or two cache lines. (The last alert time of each
 * rule, read only when a rule turns true, lives apart in RuleSet.fired.)
 */
export type RuleTest = (st: SlotState, s: number, mem: Int8Array, base: number) => boolean;

export interface CompiledRule {
  readonly def: RuleDefinition;
  readonly test: RuleTest;
  readonly memWidth: number;
  /** Bit (1 << SessionCode) per allowed session. */
  readonly sessionMask: number;
  readonly cooldownS: number;
  /** Identity of the definition, to keep a rule's state across a reload that did not change it. */
  readonly fingerprint: string;
  /**
   * The generated source, for RuleSet to fuse all rules into one function: `fields` are the pure
   * slot-state reads the rule uses (referenced as `$f<k>` in `cross` and `expr`), so that rules
   * reading the same field share one read per evaluation.
   */
  readonly source: RuleSource;
}

export interface RuleSource {
  readonly fields: readonly string[];
  readonly cross: readonly string[];
  readonly expr: string;
}

/** Replaces the `$f<k>` placeholders of a rule's source. */
export function bindFields(code: string, name: (k: number) => string): string {
  return code.replace(/\$f(\d+)/g, (_m, k: string) => name(Number(k)));
}

export type CompileResult = { ok: true; rule: CompiledRule } | { ok: false; error: RuleCompileError };

type Kind = (typeof RULE_FIELDS)[keyof typeof RULE_FIELDS];

// Each rule compiles to one generated function (via `new Function`, once per rule) with the field
// reads inlined as typed-array accesses: no closure tree, no per-node calls. Only validated values
// reach the generated source: field names from the schema's enum, numbers checked finite.
const FIELD_EXPR: Record<Exclude<keyof typeof RULE_FIELDS, 'ema'>, string> = {
  price: '(st.last[s] || NaN)',
  open: '(st.regOpen[s] || NaN)',
  prev_close: '(st.prevClose[s] || NaN)',
  high_of_day: '(st.dayHigh[s] || NaN)',
  low_of_day: '(st.dayLow[s] || NaN)',
  vwap: '(st.vwapV[s] > 0 ? st.vwapPV[s] / st.vwapV[s] : NaN)',
  bb_upper: 'st.bbUpper[s]',
  bb_middle: 'st.bbMiddle[s]',
  bb_lower: 'st.bbLower[s]',
  atr: '(st.barCount[s] >= 14 ? st.atr[s] : NaN)',
  spread: '(st.bid[s] > 0 && st.ask[s] > 0 ? st.ask[s] - st.bid[s] : NaN)',
  spread_bps:
    '(st.bid[s] > 0 && st.ask[s] > 0 ? ((st.ask[s] - st.bid[s]) / ((st.ask[s] + st.bid[s]) / 2)) * 1e4 : NaN)',
  macd: '(st.barCount[s] >= 26 ? st.macd[s] : NaN)',
  macd_signal: '(st.barCount[s] >= 34 ? st.macdSignal[s] : NaN)',
  macd_hist: '(st.barCount[s] >= 34 ? st.macd[s] - st.macdSignal[s] : NaN)',
  change_pct:
    '(st.prevClose[s] > 0 && st.last[s] > 0 ? ((st.last[s] - st.prevClose[s]) / st.prevClose[s]) * 100 : NaN)',
  gap_pct:
    '(st.prevClose[s] > 0 && st.regOpen[s] > 0 ? ((st.regOpen[s] - st.prevClose[s]) / st.prevClose[s]) * 100 : NaN)',
  volume: 'st.dayVolume[s]',
  minute_volume: 'st.mVol[s]',
  rvol: '(st.avgVolume[s] > 0 && st.curMin[s] >= 0 ? st.dayVolume[s] / (st.avgVolume[s] * CUM[st.curMin[s]]) : NaN)',
  rvol_1m:
    '(st.avgVolume[s] > 0 && st.curMin[s] >= 0 ? st.mVol[s] / (st.avgVolume[s] * MIN[st.curMin[s]]) : NaN)',
  rsi: 'st.rsi[s]',
};

/** % change of the last price from the close `n` minutes ago (NaN before the day has that history). */
function changePct(st: SlotState, s: number, n: number): number {
  const m = st.curMin[s]!;
  const from = m - n;
  if (m < 0 || from < st.firstMin[s]!) return Number.NaN;
  const ref = st.closeAt(s, from);
  const l = st.last[s]!;
  return ref > 0 && l > 0 ? ((l - ref) / ref) * 100 : Number.NaN;
}

const num = (x: number) => {
  if (!Number.isFinite(x)) throw new Error(`non-finite constant ${x}`); // unreachable: validated
  return Object.is(x, -0) ? '0' : String(x);
};

class Compiler {
  issues: RuleCompileIssue[] = [];
  /** Statements evaluating the cross nodes (all of them, every time: they keep state). */
  crossStmts: string[] = [];
  /** Distinct field expressions (pure reads of the slot state), referenced as `$f<k>`. */
  fields: string[] = [];

  private ref(expr: string): string {
    let k = this.fields.indexOf(expr);
    if (k < 0) k = this.fields.push(expr) - 1;
    return `$f${k}`;
  }

  private field(f: FieldOperand, path: string): { expr: string; kind: Kind } | null {
    if (f.field === 'ema') {
      const k = f.period === undefined ? -1 : (EMA_PERIODS as readonly number[]).indexOf(f.period);
      if (k < 0) {
        this.issues.push({
          path: `${path}.period`,
          reason: `ema needs a period, one of ${EMA_PERIODS.join(', ')} (got ${f.period ?? 'none'})`,
        });
        return null;
      }
      return { expr: this.ref(`(st.barCount[s] >= ${f.period} ? st.ema[${k}][s] : NaN)`), kind: 'price' };
    }
    if (f.period !== undefined) {
      this.issues.push({ path: `${path}.period`, reason: `${f.field} takes no period (only ema does)` });
      return null;
    }
    return { expr: this.ref(FIELD_EXPR[f.field]), kind: RULE_FIELDS[f.field] };
  }

  /** A value operand in the unit of `kind`: dollars become raw 1e-9 fixed point for price fields. */
  private value(v: number | string, kind: Kind, path: string): number | null {
    if (kind === 'price') {
      if (typeof v === 'number') return Math.round(v * PRICE_SCALE);
      try {
        return Number(decimalToFixed(v));
      } catch {
        this.issues.push({ path: `${path}.value`, reason: `not a decimal price: ${JSON.stringify(v)}` });
        return null;
      }
    }
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) {
      this.issues.push({ path: `${path}.value`, reason: `not a number: ${JSON.stringify(v)}` });
      return null;
    }
    return n;
  }

  private right(r: Operand, left: { kind: Kind; name: string }, path: string): string | null {
    if ('value' in r) {
      const c = this.value(r.value, left.kind, path);
      return c === null ? null : num(c);
    }
    const f = this.field(r, path);
    if (!f) return null;
    if (f.kind !== left.kind) {
      this.issues.push({
        path,
        reason: `compares ${left.name} (${left.kind}) with ${r.field} (${f.kind}); both sides must have the same unit`,
      });
      return null;
    }
    return f.expr;
  }

  /** A JS boolean expression for the condition, or null (issues recorded). */
  cond(c: Condition, path: string): string | null {
    switch (c.op) {
      case 'and':
      case 'or': {
        const list = c.op === 'and' ? c.all : c.any;
        const key = c.op === 'and' ? 'all' : 'any';
        const kids = list.map((k, i) => this.cond(k, `${path}.${key}[${i}]`));
        if (kids.some((k) => k === null)) return null;
        return `(${kids.join(c.op === 'and' ? ' && ' : ' || ')})`;
      }
      case 'not': {
        const k = this.cond(c.cond, `${path}.cond`);
        return k === null ? null : `!${k}`;
      }
      case 'compare': {
        const l = this.field(c.left, `${path}.left`);
        if (!l) return null;
        const r = this.right(c.right, { kind: l.kind, name: c.left.field }, `${path}.right`);
        return r === null ? null : `(${l.expr} ${c.cmp} ${r})`;
      }
      case 'cross': {
        const l = this.field(c.left, `${path}.left`);
        if (!l) return null;
        const r = this.right(c.right, { kind: l.kind, name: c.left.field }, `${path}.right`);
        if (r === null) return null;
        const k = this.crossStmts.length;
        const fired = c.direction === 'above' ? 'p === -1 && side === 1' : 'p === 1 && side === -1';
        this.crossStmts.push(
          `let x${k} = false; { const d = ${l.expr} - ${r}; if (d === d) { const i = base + ${1 + k}; ` +
            `const p = mem[i]; const side = d > 0 ? 1 : d < 0 ? -1 : p; mem[i] = side; x${k} = ${fired}; } }`,
        );
        return `x${k}`;
      }
      case 'change': {
        if (c.field && c.field.field !== 'price') {
          this.issues.push({
            path: `${path}.field`,
            reason: `% change over a window is kept for price only (got ${c.field.field})`,
          });
          return null;
        }
        return `(${this.ref(`chg(st, s, ${num(c.window_min)})`)} ${c.cmp} ${num(c.pct)})`;
      }
    }
  }

  build(expr: string): RuleTest {
    const inline = (code: string) => bindFields(code, (k) => this.fields[k]!);
    const body = `"use strict";\nreturn function rule(st, s, mem, base) {\n${inline(this.crossStmts.join('\n'))}\nreturn ${inline(expr)};\n};`;
    const factory = new Function('CUM', 'MIN', 'chg', body) as (
      cum: Float64Array,
      min: Float64Array,
      chg: typeof changePct,
    ) => RuleTest;
    return factory(CUMULATIVE_SHARE, MINUTE_SHARE, changePct);
  }
}

/** Builds a function over the same free names as a rule (CUM, MIN, chg) from a generated body. */
export function buildWithRuleScope<T>(body: string, ...names: string[]): (...args: unknown[]) => T {
  const factory = new Function(
    'CUM',
    'MIN',
    'chg',
    `"use strict";\nreturn function (${names.join(', ')}) {\n${body}\n};`,
  ) as (cum: Float64Array, min: Float64Array, chg: typeof changePct) => (...args: unknown[]) => T;
  return factory(CUMULATIVE_SHARE, MINUTE_SHARE, changePct);
}

function zodPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

const SESSION_BITS = { pre: 1 << 1, regular: 1 << 2, post: 1 << 3 } as const;

/** Parses and compiles a rule definition (as stored: JSON). */
export function compileRule(input: unknown): CompileResult {
  const parsed = ruleDefinitionSchema.safeParse(input);
  const id =
    input && typeof input === 'object' && typeof (input as { id?: unknown }).id === 'string'
      ? (input as { id: string }).id
      : null;
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: zodPath(i.path), reason: i.message }));
    return { ok: false, error: new RuleCompileError(id, issues) };
  }
  const def = parsed.data;
  const compiler = new Compiler();
  const root = compiler.cond(def.condition, 'condition');
  if (root === null || compiler.issues.length > 0) {
    return { ok: false, error: new RuleCompileError(def.id, compiler.issues) };
  }
  let sessionMask = 0;
  for (const s of def.sessions) sessionMask |= SESSION_BITS[s];
  return {
    ok: true,
    rule: {
      def,
      test: compiler.build(root),
      memWidth: 1 + compiler.crossStmts.length,
      sessionMask,
      cooldownS: def.cooldown_s,
      fingerprint: JSON.stringify(def),
      source: { fields: compiler.fields, cross: compiler.crossStmts, expr: root },
    },
  };
}
