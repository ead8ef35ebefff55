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
import {
  CUMULATIVE_SHARE as CUMULATIVE_IMPORT,
  DAY_MINUTES as DAY_MINUTES_IMPORT,
  MINUTE_SHARE as MINUTE_IMPORT,
} from './volume-profile.ts';

// module-local copies: imported bindings cost a getter call per access under tsx
const CUMULATIVE_SHARE = CUMULATIVE_IMPORT;
const MINUTE_SHARE = MINUTE_IMPORT;
const DAY_MINUTES = DAY_MINUTES_IMPORT;

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
 * A rule's truth now for slot `s`; `mem[base + k]` keeps cross k's side (-1/0/1) for the slot, one
 * byte each. (RuleSet keeps each rule's last truth as a bit, and its last alert time apart.)
 */
export type RuleTest = (st: SlotState, s: number, mem: Int8Array, base: number) => boolean;

export interface CompiledRule {
  readonly def: RuleDefinition;
  readonly test: RuleTest;
  /** Bytes of cross memory per slot (one per cross). */
  readonly memWidth: number;
  /** Bit (1 << SessionCode) per allowed session. */
  readonly sessionMask: number;
  readonly cooldownS: number;
  /** Identity of the definition, to keep a rule's state across a reload that did not change it. */
  readonly fingerprint: string;
  /** The generated source, for RuleSet to fuse all rules into one function (see RuleSource). */
  readonly source: RuleSource;
}

/**
 * A rule as straight-line code. Every operation V8 keeps type feedback for (loads, arithmetic,
 * comparisons) sits in `fields`, `leaves` or `crosses` and runs on EVERY evaluation; `expr` only
 * combines the resulting booleans with && || !. So the first evaluation gives the optimizing
 * compiler complete feedback: a rule that turns true for the first time at 10:47 runs code that was
 * already compiled, where short-circuited code (a comparison reached for the first time) threw the
 * whole fused rule set back to the interpreter for the ~50 ms it took to recompile - measured: 25
 * such deoptimizations over the bench's first open, each making evaluations ~8x slower.
 */
export interface RuleSource {
  /** Pure reads of the slot state, referenced as `$f<k>`. */
  readonly fields: readonly string[];
  /** Comparisons over fields and constants, referenced as `$c<k>`. */
  readonly leaves: readonly string[];
  /** Crosses of `left` over `right` (a field reference or a constant), referenced as `$x<k>`. */
  readonly crosses: readonly CrossSource[];
  /** The rule's truth over `$c<k>` and `$x<k>` only. */
  readonly expr: string;
}

export interface CrossSource {
  readonly left: string;
  readonly right: string;
  readonly above: boolean;
}

/** Replaces the `$f<k>` placeholders of a rule's source. */
export function bindFields(code: string, name: (k: number) => string): string {
  return code.replace(/\$f(\d+)/g, (_m, k: string) => name(Number(k)));
}

/** Replaces the `$c<k>` and `$x<k>` placeholders of a rule's truth expression. */
export function bindTruth(code: string, leaf: (k: number) => string, cross: (k: number) => string): string {
  return code.replace(/\$([cx])(\d+)/g, (_m, t: string, k: string) =>
    t === 'c' ? leaf(Number(k)) : cross(Number(k)),
  );
}

/**
 * Statements for cross `k` with its side kept at `mem[<at>]`, defining boolean `x<k>`: the side
 * moves only on a known, non-zero difference (NaN or a touch keeps it), and a cross is a move to
 * the other side. Branch-free: both comparisons and the load run every time.
 */
export function crossStatements(k: number, c: CrossSource, left: string, right: string, at: string): string {
  return (
    `const d${k} = ${left} - ${right}; const p${k} = mem[${at}]; const u${k} = d${k} > 0; const v${k} = d${k} < 0; ` +
    `mem[${at}] = u${k} ? 1 : v${k} ? -1 : p${k}; ` +
    `const x${k} = ${c.above ? `p${k} === -1 && u${k}` : `p${k} === 1 && v${k}`};`
  );
}

export type CompileResult = { ok: true; rule: CompiledRule } | { ok: false; error: RuleCompileError };

type Kind = (typeof RULE_FIELDS)[keyof typeof RULE_FIELDS];

// Each rule compiles to one generated function (via `new Function`, once per rule) with the field
// reads inlined as typed-array accesses: no closure tree, no per-node calls. Only validated values
// reach the generated source: field names from the schema's enum, numbers checked finite.
// Field reads are branch-free: `sel(ok, value)` evaluates both arguments, so the loads and the
// arithmetic run (and collect type feedback) on every evaluation; a guard is a comparison, never &&.
const FIELD_EXPR: Record<Exclude<keyof typeof RULE_FIELDS, 'ema'>, string> = {
  price: '(st.last[s] || NaN)',
  open: '(st.regOpen[s] || NaN)',
  prev_close: '(st.prevClose[s] || NaN)',
  high_of_day: '(st.dayHigh[s] || NaN)',
  low_of_day: '(st.dayLow[s] || NaN)',
  vwap: 'sel(st.vwapV[s] > 0, st.vwapPV[s] / st.vwapV[s])',
  bb_upper: 'st.bbUpper[s]',
  bb_middle: 'st.bbMiddle[s]',
  bb_lower: 'st.bbLower[s]',
  atr: 'sel(st.barCount[s] >= 14, st.atr[s])',
  spread: 'sel(Math.min(st.bid[s], st.ask[s]) > 0, st.ask[s] - st.bid[s])',
  spread_bps:
    'sel(Math.min(st.bid[s], st.ask[s]) > 0, ((st.ask[s] - st.bid[s]) / ((st.ask[s] + st.bid[s]) / 2)) * 1e4)',
  macd: 'sel(st.barCount[s] >= 26, st.macd[s])',
  macd_signal: 'sel(st.barCount[s] >= 34, st.macdSignal[s])',
  macd_hist: 'sel(st.barCount[s] >= 34, st.macd[s] - st.macdSignal[s])',
  change_pct:
    'sel(Math.min(st.prevClose[s], st.last[s]) > 0, ((st.last[s] - st.prevClose[s]) / st.prevClose[s]) * 100)',
  gap_pct:
    'sel(Math.min(st.prevClose[s], st.regOpen[s]) > 0, ((st.regOpen[s] - st.prevClose[s]) / st.prevClose[s]) * 100)',
  volume: 'st.dayVolume[s]',
  minute_volume: 'st.mVol[s]',
  rvol: 'sel(Math.min(st.avgVolume[s], st.curMin[s] + 1) > 0, st.dayVolume[s] / (st.avgVolume[s] * CUM[minute(st.curMin[s])]))',
  rvol_1m:
    'sel(Math.min(st.avgVolume[s], st.curMin[s] + 1) > 0, st.mVol[s] / (st.avgVolume[s] * MIN[minute(st.curMin[s])]))',
  rsi: 'st.rsi[s]',
};

/** `ok ? value : NaN` with both evaluated (a call's arguments always are). */
function sel(ok: boolean, value: number): number {
  return ok ? value : Number.NaN;
}

/** A minute index clamped into the day's tables (out of range only where `sel` discards it). */
function minute(m: number): number {
  return Math.min(Math.max(m, 0), DAY_MINUTES - 1);
}

/**
 * % change of the last price from the close `n` minutes ago (NaN before the day has that history).
 * Branch-free like the field reads: the ring is read at a clamped minute even when unknown.
 */
function changePct(st: SlotState, s: number, n: number): number {
  const m = st.curMin[s]!;
  const from = m - n;
  const known = from >= st.firstMin[s]!;
  const ref = st.closeAt(s, minute(from));
  const l = st.last[s]!;
  const pct = ((l - ref) / ref) * 100;
  const positive = Math.min(ref, l) > 0;
  return sel(known && positive, pct);
}

const num = (x: number) => {
  if (!Number.isFinite(x)) throw new Error(`non-finite constant ${x}`); // unreachable: validated
  return Object.is(x, -0) ? '0' : String(x);
};

class Compiler {
  issues: RuleCompileIssue[] = [];
  /** The cross nodes (all evaluated every time: they keep state). */
  crosses: CrossSource[] = [];
  /** Distinct field expressions (pure reads of the slot state), referenced as `$f<k>`. */
  fields: string[] = [];
  /** Distinct comparisons, referenced as `$c<k>`. */
  leaves: string[] = [];

  private ref(expr: string): string {
    let k = this.fields.indexOf(expr);
    if (k < 0) k = this.fields.push(expr) - 1;
    return `$f${k}`;
  }

  private leaf(expr: string): string {
    let k = this.leaves.indexOf(expr);
    if (k < 0) k = this.leaves.push(expr) - 1;
    return `$c${k}`;
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
        return r === null ? null : this.leaf(`${l.expr} ${c.cmp} ${r}`);
      }
      case 'cross': {
        const l = this.field(c.left, `${path}.left`);
        if (!l) return null;
        const r = this.right(c.right, { kind: l.kind, name: c.left.field }, `${path}.right`);
        if (r === null) return null;
        return `$x${this.crosses.push({ left: l.expr, right: r, above: c.direction === 'above' }) - 1}`;
      }
      case 'change': {
        if (c.field && c.field.field !== 'price') {
          this.issues.push({
            path: `${path}.field`,
            reason: `% change over a window is kept for price only (got ${c.field.field})`,
          });
          return null;
        }
        return this.leaf(`${this.ref(`chg(st, s, ${num(c.window_min)})`)} ${c.cmp} ${num(c.pct)}`);
      }
    }
  }

  build(expr: string): RuleTest {
    const f = (k: number) => `f${k}`;
    const body = [
      ...this.fields.map((e, k) => `const f${k} = ${e};`),
      ...this.leaves.map((e, k) => `const c${k} = ${bindFields(e, f)};`),
      ...this.crosses.map((c, k) =>
        crossStatements(k, c, bindFields(c.left, f), bindFields(c.right, f), `base + ${k}`),
      ),
      `return ${bindTruth(
        expr,
        (k) => `c${k}`,
        (k) => `x${k}`,
      )};`,
    ].join('\n');
    return buildWithRuleScope<boolean>('rule', body, 'st', 's', 'mem', 'base') as RuleTest;
  }
}

/**
 * Builds a function over the same free names as a rule (CUM, MIN, chg, sel, minute) from a
 * generated body; `name` (an identifier) is what profiles and deoptimization traces show.
 */
export function buildWithRuleScope<T>(
  name: string,
  body: string,
  ...names: string[]
): (...args: unknown[]) => T {
  const factory = new Function(
    'CUM',
    'MIN',
    'chg',
    'sel',
    'minute',
    `"use strict";\nreturn function ${name}(${names.join(', ')}) {\n${body}\n};`,
  ) as (
    cum: Float64Array,
    min: Float64Array,
    chg: typeof changePct,
    sel: (ok: boolean, v: number) => number,
    minute: (m: number) => number,
  ) => (...args: unknown[]) => T;
  return factory(CUMULATIVE_SHARE, MINUTE_SHARE, changePct, sel, minute);
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
      memWidth: compiler.crosses.length,
      sessionMask,
      cooldownS: def.cooldown_s,
      fingerprint: JSON.stringify(def),
      source: { fields: compiler.fields, leaves: compiler.leaves, crosses: compiler.crosses, expr: root },
    },
  };
}
