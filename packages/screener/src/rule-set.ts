// The loaded user rules as the engine evaluates them: compiled tests in one array, each rule's
// per-symbol memory (last truth, cross sides: one byte each) laid out slot-major in ONE byte array so
// that evaluating every rule for a symbol touches one or two cache lines (at the open every symbol is
// evaluated in turn, and with 8-byte cells and the alert times inline, 50 rules spanned 16 lines a
// symbol: the evaluation was bound by memory, 3x slower than from cache). The last alert time per
// rule and symbol, read only when a rule turns true, lives apart in `fired`. Rules are pre-split by
// session, symbol scopes as one slot-major byte matrix (a slot's scope bits share a cache line, where
// one array per scoped rule cost a cache miss per scoped rule at the open). Immutable once built except for growth; a reload builds
// a new set and carries over the memory of rules whose definition did not change.
//
// Evaluation is one generated function per session fusing that session's rules (in order): each
// field a rule reads (price, rvol, rsi, ...) is read once per evaluation and shared by every rule,
// the rule memory offsets and cooldowns are constants, and there is no per-rule indirect call
// (one call site calling 50 different closures is megamorphic).
import { bindFields, buildWithRuleScope, type CompiledRule, type RuleTest } from './rule-compiler.ts';
import type { SlotState } from './slot-state.ts';

type Fused = (
  st: SlotState,
  s: number,
  mem: Int8Array,
  base0: number,
  fired: Float64Array,
  fbase: number,
  inScope: Uint8Array,
  sbase: number,
  ts: number,
  set: RuleSet,
) => void;

/**
 * Generated evaluators by source: a reload that leaves a session's rules as they were (the usual
 * case) keeps the function V8 has already optimized instead of warming up a new one.
 */
const FUSED_CACHE = new Map<string, Fused>();

export class RuleSet {
  readonly tests: RuleTest[];
  readonly offsets: Int32Array;
  readonly cooldowns: Float64Array;
  readonly width: number;
  /** Rule indices per session code (0 closed - never evaluated, 1 pre, 2 regular, 3 post). */
  readonly bySession: Int32Array[];
  mem: Int8Array;
  /** Last alert time (s) per slot and rule: `fired[s * rules.length + i]`; 0 = never. */
  fired: Float64Array;
  /** For each rule with a symbol scope, its column in `inScope` (-1: all symbols). */
  readonly scopeCol: Int32Array;
  readonly scopeCount: number;
  /** `inScope[s * scopeCount + scopeCol[i]]` = 1 when slot s is in rule i's scope. */
  inScope: Uint8Array;
  /** Called with the rule index when a rule fires for the slot being evaluated. */
  onFire: (ruleIndex: number) => void = () => {};
  private readonly fused: (Fused | null)[];

  constructor(
    readonly rules: readonly CompiledRule[],
    readonly scopes: readonly (ReadonlySet<string> | null)[],
    capacity: number,
    tickers: readonly string[],
    previous?: RuleSet,
  ) {
    this.tests = rules.map((r) => r.test);
    this.cooldowns = Float64Array.from(rules, (r) => r.cooldownS);
    this.offsets = new Int32Array(rules.length);
    let w = 0;
    rules.forEach((r, i) => {
      this.offsets[i] = w;
      w += r.memWidth;
    });
    this.width = Math.max(1, w);
    this.bySession = [0, 1, 2, 3].map((code) =>
      Int32Array.from(rules.flatMap((r, i) => ((r.sessionMask & (1 << code)) !== 0 ? [i] : []))),
    );
    let cols = 0;
    this.scopeCol = Int32Array.from(scopes, (set) => (set ? cols++ : -1));
    this.scopeCount = cols;
    this.fused = this.bySession.map((list) => (list.length > 0 ? this.fuse(list) : null));
    this.mem = new Int8Array(capacity * this.width);
    this.fired = new Float64Array(capacity * rules.length);
    this.inScope = new Uint8Array(capacity * cols);
    this.fit(capacity, tickers);
    if (previous) this.carryOver(previous, tickers.length);
  }

  /** Grows memory and masks to `capacity` slots and (re)computes the masks for every ticker. */
  fit(capacity: number, tickers: readonly string[]): void {
    if (this.mem.length < capacity * this.width) {
      const m = new Int8Array(capacity * this.width);
      m.set(this.mem);
      this.mem = m;
    }
    if (this.fired.length < capacity * this.rules.length) {
      const f = new Float64Array(capacity * this.rules.length);
      f.set(this.fired);
      this.fired = f;
    }
    if (this.inScope.length < capacity * this.scopeCount) {
      const m = new Uint8Array(capacity * this.scopeCount);
      m.set(this.inScope);
      this.inScope = m;
    }
    for (let s = 0; s < tickers.length; s++) this.addSlot(s, tickers[s]!);
  }

  /** A slot was added (capacity unchanged). */
  addSlot(s: number, ticker: string): void {
    this.scopes.forEach((set, i) => {
      if (set) this.inScope[s * this.scopeCount + this.scopeCol[i]!] = set.has(ticker) ? 1 : 0;
    });
  }

  private carryOver(prev: RuleSet, slots: number): void {
    const byPrint = new Map(prev.rules.map((r, i) => [r.fingerprint, i]));
    this.rules.forEach((r, i) => {
      const j = byPrint.get(r.fingerprint);
      if (j === undefined) return;
      const from = prev.offsets[j]!;
      const to = this.offsets[i]!;
      const n = this.rules.length;
      const pn = prev.rules.length;
      for (let s = 0; s < slots; s++) {
        for (let k = 0; k < r.memWidth; k++)
          this.mem[s * this.width + to + k] = prev.mem[s * prev.width + from + k]!;
        this.fired[s * n + i] = prev.fired[s * pn + j]!;
      }
    });
  }

  /** One function evaluating the listed rules in order (same semantics as `evaluateEach`). */
  private fuse(list: Int32Array): Fused {
    const shared = new Map<string, string>();
    const reads: string[] = [];
    const blocks: string[] = [];
    for (const i of list) {
      const r = this.rules[i]!;
      const src = r.source;
      const names = src.fields.map((f) => {
        let v = shared.get(f);
        if (v === undefined) {
          v = `f${shared.size}`;
          shared.set(f, v);
          reads.push(`const ${v} = ${f};`);
        }
        return v;
      });
      const bind = (code: string) => bindFields(code, (k) => names[k]!);
      const cd = this.cooldowns[i]!;
      blocks.push(
        `{ if (${this.scopeCol[i]! < 0 ? 'true' : `inScope[sbase + ${this.scopeCol[i]}] !== 0`}) {\n` +
          `const base = base0 + ${this.offsets[i]!};\n` +
          `${src.cross.map(bind).join('\n')}\n` +
          `const was = mem[base];\n` +
          `if (!(${bind(src.expr)})) { if (was !== 0) mem[base] = 0; }\n` +
          `else if (was !== 1) { mem[base] = 1; if (!(ts - fired[fbase + ${i}] < ${cd} - 1e-6)) { fired[fbase + ${i}] = ts; set.onFire(${i}); } }\n` +
          `} }`,
      );
    }
    const body = `${reads.join('\n')}\n${blocks.join('\n')}`;
    const hit = FUSED_CACHE.get(body);
    if (hit) return hit;
    const f = buildWithRuleScope<void>(
      body,
      'st',
      's',
      'mem',
      'base0',
      'fired',
      'fbase',
      'inScope',
      'sbase',
      'ts',
      'set',
    ) as Fused;
    if (FUSED_CACHE.size >= 64) FUSED_CACHE.delete(FUSED_CACHE.keys().next().value!);
    FUSED_CACHE.set(body, f);
    return f;
  }

  /** Evaluates the session's rules for slot `s`; edge-triggered with each rule's cooldown. */
  evaluate(st: SlotState, s: number, sess: number, ts: number): void {
    const f = this.fused[sess];
    if (f)
      f(
        st,
        s,
        this.mem,
        s * this.width,
        this.fired,
        s * this.rules.length,
        this.inScope,
        s * this.scopeCount,
        ts,
        this,
      );
  }

  /** The same as `evaluate`, rule by rule through each compiled test (reference implementation). */
  evaluateEach(st: SlotState, s: number, sess: number, ts: number): void {
    const list = this.bySession[sess]!;
    const mem = this.mem;
    const tests = this.tests;
    const inScope = this.inScope;
    const sbase = s * this.scopeCount;
    const base0 = s * this.width;
    const fired = this.fired;
    const fbase = s * this.rules.length;
    for (let j = 0; j < list.length; j++) {
      const i = list[j]!;
      const col = this.scopeCol[i]!;
      if (col >= 0 && inScope[sbase + col] === 0) continue;
      const base = base0 + this.offsets[i]!;
      const truth = tests[i]!(st, s, mem, base);
      const was = mem[base]!;
      if (!truth) {
        if (was !== 0) mem[base] = 0;
        continue;
      }
      if (was === 1) continue;
      mem[base] = 1;
      if (ts - fired[fbase + i]! < this.cooldowns[i]! - 1e-6) continue;
      fired[fbase + i] = ts;
      this.onFire(i);
    }
  }
}
