// Compiles a user rule (core/rule.ts) once into a closure tree over the engine's slot state, so that
// evaluating it for a symbol is a few array reads and comparisons. Checks what the schema cannot:
// units (a price is only compared with a price), EMA periods the engine keeps, history lookbacks.
// A wrong rule is a value (RuleCompileError with the path of the bad part), never an exception out
// of the engine. Missing data (no prior close yet, indicator still warming up) reads as NaN, which
// makes every comparison false.
import { decimalToFixed, PRICE_SCALE } from '@tradeassist/core/money';
import {
  type Comparator,
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

/** `mem[base]` = last truth, `mem[base + 1]` = last alert ts, `mem[base + 2 + k]` = cross k's side. */
export type RuleTest = (st: SlotState, s: number, mem: Float64Array, base: number) => boolean;

export interface CompiledRule {
  readonly def: RuleDefinition;
  readonly test: RuleTest;
  readonly memWidth: number;
  /** Bit (1 << SessionCode) per allowed session. */
  readonly sessionMask: number;
  readonly cooldownS: number;
  /** Identity of the definition, to keep a rule's state across a reload that did not change it. */
  readonly fingerprint: string;
}

export type CompileResult = { ok: true; rule: CompiledRule } | { ok: false; error: RuleCompileError };

type Kind = (typeof RULE_FIELDS)[keyof typeof RULE_FIELDS];
type Getter = (st: SlotState, s: number) => number;

const NaNv = Number.NaN;
const pos = (v: number) => (v > 0 ? v : NaNv);

function fieldGetter(f: FieldOperand): Getter {
  switch (f.field) {
    case 'price':
      return (st, s) => pos(st.last[s]!);
    case 'open':
      return (st, s) => pos(st.regOpen[s]!);
    case 'prev_close':
      return (st, s) => pos(st.prevClose[s]!);
    case 'high_of_day':
      return (st, s) => pos(st.dayHigh[s]!);
    case 'low_of_day':
      return (st, s) => pos(st.dayLow[s]!);
    case 'vwap':
      return (st, s) => st.vwap(s);
    case 'ema': {
      const k = EMA_PERIODS.indexOf(f.period as (typeof EMA_PERIODS)[number]);
      return (st, s) => st.emaValue(k, s);
    }
    case 'bb_upper':
      return (st, s) => st.bbUpper[s]!;
    case 'bb_middle':
      return (st, s) => st.bbMiddle[s]!;
    case 'bb_lower':
      return (st, s) => st.bbLower[s]!;
    case 'atr':
      return (st, s) => st.atrValue(s);
    case 'spread':
      return (st, s) => (st.bid[s]! > 0 && st.ask[s]! > 0 ? st.ask[s]! - st.bid[s]! : NaNv);
    case 'spread_bps':
      return (st, s) => {
        const b = st.bid[s]!;
        const a = st.ask[s]!;
        return b > 0 && a > 0 ? ((a - b) / ((a + b) / 2)) * 1e4 : NaNv;
      };
    case 'macd':
      return (st, s) => st.macdValue(s);
    case 'macd_signal':
      return (st, s) => st.macdSignalValue(s);
    case 'macd_hist':
      return (st, s) => st.macdValue(s) - st.macdSignalValue(s);
    case 'change_pct':
      return (st, s) => {
        const p = st.prevClose[s]!;
        const l = st.last[s]!;
        return p > 0 && l > 0 ? ((l - p) / p) * 100 : NaNv;
      };
    case 'gap_pct':
      return (st, s) => {
        const p = st.prevClose[s]!;
        const o = st.regOpen[s]!;
        return p > 0 && o > 0 ? ((o - p) / p) * 100 : NaNv;
      };
    case 'volume':
      return (st, s) => st.dayVolume[s]!;
    case 'minute_volume':
      return (st, s) => st.mVol[s]!;
    case 'rvol':
      return (st, s) => {
        const a = st.avgVolume[s]!;
        const m = st.curMin[s]!;
        return a > 0 && m >= 0 ? st.dayVolume[s]! / (a * CUMULATIVE_SHARE[m]!) : NaNv;
      };
    case 'rvol_1m':
      return (st, s) => {
        const a = st.avgVolume[s]!;
        const m = st.curMin[s]!;
        return a > 0 && m >= 0 ? st.mVol[s]! / (a * MINUTE_SHARE[m]!) : NaNv;
      };
    case 'rsi':
      return (st, s) => st.rsi[s]!;
  }
}

function compare(cmp: Comparator, l: Getter, r: Getter): RuleTest {
  switch (cmp) {
    case '>':
      return (st, s) => l(st, s) > r(st, s);
    case '>=':
      return (st, s) => l(st, s) >= r(st, s);
    case '<':
      return (st, s) => l(st, s) < r(st, s);
    case '<=':
      return (st, s) => l(st, s) <= r(st, s);
  }
}
function compareConst(cmp: Comparator, l: Getter, c: number): RuleTest {
  switch (cmp) {
    case '>':
      return (st, s) => l(st, s) > c;
    case '>=':
      return (st, s) => l(st, s) >= c;
    case '<':
      return (st, s) => l(st, s) < c;
    case '<=':
      return (st, s) => l(st, s) <= c;
  }
}

class Compiler {
  issues: RuleCompileIssue[] = [];
  crosses = 0;

  private field(f: FieldOperand, path: string): { get: Getter; kind: Kind } | null {
    if (f.field === 'ema') {
      if (f.period === undefined || !(EMA_PERIODS as readonly number[]).includes(f.period)) {
        this.issues.push({
          path: `${path}.period`,
          reason: `ema needs a period, one of ${EMA_PERIODS.join(', ')} (got ${f.period ?? 'none'})`,
        });
        return null;
      }
    } else if (f.period !== undefined) {
      this.issues.push({ path: `${path}.period`, reason: `${f.field} takes no period (only ema does)` });
      return null;
    }
    return { get: fieldGetter(f), kind: RULE_FIELDS[f.field] };
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

  private right(
    r: Operand,
    left: { kind: Kind; name: string },
    path: string,
  ): { get: Getter } | { c: number } | null {
    if ('value' in r) {
      const c = this.value(r.value, left.kind, path);
      return c === null ? null : { c };
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
    return { get: f.get };
  }

  cond(c: Condition, path: string): { test: RuleTest; hasCross: boolean } | null {
    switch (c.op) {
      case 'and':
      case 'or': {
        const list = c.op === 'and' ? c.all : c.any;
        const key = c.op === 'and' ? 'all' : 'any';
        const kids = list.map((k, i) => this.cond(k, `${path}.${key}[${i}]`));
        if (kids.some((k) => k === null)) return null;
        const tests = kids.map((k) => k!.test);
        const hasCross = kids.some((k) => k!.hasCross);
        return { test: combine(c.op, tests, hasCross), hasCross };
      }
      case 'not': {
        const k = this.cond(c.cond, `${path}.cond`);
        if (!k) return null;
        const t = k.test;
        return { test: (st, s, m, b) => !t(st, s, m, b), hasCross: k.hasCross };
      }
      case 'compare': {
        const l = this.field(c.left, `${path}.left`);
        if (!l) return null;
        const r = this.right(c.right, { kind: l.kind, name: c.left.field }, `${path}.right`);
        if (!r) return null;
        return {
          test: 'c' in r ? compareConst(c.cmp, l.get, r.c) : compare(c.cmp, l.get, r.get),
          hasCross: false,
        };
      }
      case 'cross': {
        const l = this.field(c.left, `${path}.left`);
        if (!l) return null;
        const r = this.right(c.right, { kind: l.kind, name: c.left.field }, `${path}.right`);
        if (!r) return null;
        const k = 2 + this.crosses++;
        const L = l.get;
        const R: Getter =
          'c' in r
            ? (
                (cv: number) => () =>
                  cv
              )(r.c)
            : r.get;
        const up = c.direction === 'above';
        const test: RuleTest = (st, s, mem, base) => {
          const d = L(st, s) - R(st, s);
          if (Number.isNaN(d)) return false;
          const i = base + k;
          const prev = mem[i]!;
          const side = d > 0 ? 1 : d < 0 ? -1 : prev;
          mem[i] = side;
          return up ? prev === -1 && side === 1 : prev === 1 && side === -1;
        };
        return { test, hasCross: true };
      }
      case 'change': {
        if (c.field && c.field.field !== 'price') {
          this.issues.push({
            path: `${path}.field`,
            reason: `% change over a window is kept for price only (got ${c.field.field})`,
          });
          return null;
        }
        const n = c.window_min;
        const pct = c.pct;
        const pctOf = (st: SlotState, s: number) => {
          const m = st.curMin[s]!;
          const from = m - n;
          if (m < 0 || from < st.firstMin[s]!) return NaNv;
          const ref = st.closeAt(s, from);
          const l = st.last[s]!;
          return ref > 0 && l > 0 ? ((l - ref) / ref) * 100 : NaNv;
        };
        return { test: compareConst(c.cmp, pctOf, pct), hasCross: false };
      }
    }
  }
}

function combine(op: 'and' | 'or', tests: RuleTest[], evaluateAll: boolean): RuleTest {
  // Crosses keep state per evaluation, so a subtree holding one is never short-circuited away.
  if (op === 'and') {
    if (evaluateAll)
      return (st, s, m, b) => {
        let r = true;
        for (let i = 0; i < tests.length; i++) r = tests[i]!(st, s, m, b) && r;
        return r;
      };
    if (tests.length === 2) {
      const [a, c] = tests as [RuleTest, RuleTest];
      return (st, s, m, b) => a(st, s, m, b) && c(st, s, m, b);
    }
    return (st, s, m, b) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i]!(st, s, m, b)) return false;
      return true;
    };
  }
  if (evaluateAll)
    return (st, s, m, b) => {
      let r = false;
      for (let i = 0; i < tests.length; i++) r = tests[i]!(st, s, m, b) || r;
      return r;
    };
  return (st, s, m, b) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(st, s, m, b)) return true;
    return false;
  };
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
  if (!root || compiler.issues.length > 0) {
    return { ok: false, error: new RuleCompileError(def.id, compiler.issues) };
  }
  let sessionMask = 0;
  for (const s of def.sessions) sessionMask |= SESSION_BITS[s];
  return {
    ok: true,
    rule: {
      def,
      test: root.test,
      memWidth: 2 + compiler.crosses,
      sessionMask,
      cooldownS: def.cooldown_s,
      fingerprint: JSON.stringify(def),
    },
  };
}
