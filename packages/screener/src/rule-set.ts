// The loaded user rules as the engine evaluates them. Per symbol (slot), all of a rule set's memory
// is a few cache lines: each rule's last truth is one bit (30 rules to an Int32 word), each cross's
// side one byte, laid out slot-major, because at the open every symbol is evaluated in turn and
// evaluation was bound by memory when 50 rules spanned 16 lines a symbol. The last alert time per
// rule and symbol, read only when a rule turns true, lives apart in `fired`; symbol scopes are one
// slot-major byte matrix. Immutable once built except for growth; a reload builds a new set and
// carries over the memory of rules whose definition did not change.
//
// Evaluation is one generated function per session fusing that session's rules (in order): each
// field a rule reads (price, rvol, rsi, ...) and each comparison is computed once per evaluation and
// shared by every rule, memory offsets and bits are constants, and there is no per-rule indirect
// call (one call site calling 50 different closures is megamorphic). The function is straight-line
// (see RuleSource): it builds the truth words, stores them, and reports the rules that rose in
// `rises`; cooldowns and firing happen here, in code that is the same for every rule set. A new
// function is warmed up when it is built (`warmUp`), so the first evaluation of the regular session
// at 9:30 runs compiled code.
import {
  bindFields,
  bindTruth,
  buildWithRuleScope,
  type CompiledRule,
  crossStatements,
  type RuleTest,
} from './rule-compiler.ts';
import { SlotState } from './slot-state.ts';

/**
 * Evaluates one slot: stores the new truth words at `truth[tbase..]`, writes the bits that rose to
 * `rises[0..words)` and returns their OR (0: nothing turned true).
 */
type Fused = (
  st: SlotState,
  s: number,
  mem: Int8Array,
  base0: number,
  inScope: Uint8Array,
  sbase: number,
  truth: Int32Array,
  tbase: number,
  rises: Int32Array,
) => number;

/** Rule truths per Int32 word: bit 29 is the highest, so every word value is a small integer to V8. */
const BITS = 30;

/**
 * Calls of a new evaluator at build time: V8 marks it hot within them (50 rules: 16 ms, traced with
 * --trace-opt) and compiles it on a background thread in the next ~30 ms.
 */
const WARM_UP_CALLS = 2_000;

function sampleState(): SlotState {
  const st = new SlotState(1);
  st.add('WARM');
  const fill = (v: unknown) => {
    if (v instanceof Float64Array || v instanceof Float32Array) v.fill(101.37);
    else if (v instanceof Int32Array) v.fill(120);
  };
  for (const v of Object.values(st)) {
    if (Array.isArray(v)) v.forEach(fill);
    else fill(v);
  }
  return st;
}

/**
 * Generated evaluators by source: a reload that leaves a session's rules as they were (the usual
 * case) keeps the function V8 has already optimized instead of warming up a new one.
 */
const FUSED_CACHE = new Map<string, Fused>();

export class RuleSet {
  readonly tests: RuleTest[];
  /** Start of each rule's cross memory within a slot's `width` bytes. */
  readonly offsets: Int32Array;
  readonly cooldowns: Float64Array;
  /** Cross bytes per slot. */
  readonly width: number;
  /** Truth words per slot. */
  readonly words: number;
  /** Rule indices per session code (0 closed - never evaluated, 1 pre, 2 regular, 3 post). */
  readonly bySession: Int32Array[];
  /** Cross sides: `mem[s * width + offsets[i] + k]`. */
  mem: Int8Array;
  /** Last truth of rule i for slot s: bit `i % 30` of `truth[s * words + floor(i / 30)]`. */
  truth: Int32Array;
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
  /** The bits that rose in the last evaluation, per word. */
  private readonly rises: Int32Array;
  /** Evaluators built by this set and not yet warmed up. */
  private cold: Fused[] = [];

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
    this.words = Math.max(1, Math.ceil(rules.length / BITS));
    this.bySession = [0, 1, 2, 3].map((code) =>
      Int32Array.from(rules.flatMap((r, i) => ((r.sessionMask & (1 << code)) !== 0 ? [i] : []))),
    );
    let cols = 0;
    this.scopeCol = Int32Array.from(scopes, (set) => (set ? cols++ : -1));
    this.scopeCount = cols;
    this.fused = this.bySession.map((list) => {
      if (list.length === 0) return null;
      const { f, built } = this.fuse(list);
      if (built && !this.cold.includes(f)) this.cold.push(f);
      return f;
    });
    this.rises = new Int32Array(this.words);
    this.mem = new Int8Array(capacity * this.width);
    this.truth = new Int32Array(capacity * this.words);
    this.fired = new Float64Array(capacity * rules.length);
    this.inScope = new Uint8Array(capacity * cols);
    this.fit(capacity, tickers);
    if (previous) this.carryOver(previous, tickers.length);
  }

  /** Grows memory and masks to `capacity` slots and (re)computes the masks for every ticker. */
  fit(capacity: number, tickers: readonly string[]): void {
    const grow = <T extends Int8Array | Int32Array | Float64Array | Uint8Array>(
      a: T,
      n: number,
      make: (n: number) => T,
    ): T => {
      if (a.length >= n) return a;
      const b = make(n);
      b.set(a as never);
      return b;
    };
    this.mem = grow(this.mem, capacity * this.width, (n) => new Int8Array(n));
    this.truth = grow(this.truth, capacity * this.words, (n) => new Int32Array(n));
    this.fired = grow(this.fired, capacity * this.rules.length, (n) => new Float64Array(n));
    this.inScope = grow(this.inScope, capacity * this.scopeCount, (n) => new Uint8Array(n));
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
        const w = s * this.words + Math.floor(i / BITS);
        if (prev.truthOf(s, j)) this.truth[w] = this.truth[w]! | (1 << (i % BITS));
        this.fired[s * n + i] = prev.fired[s * pn + j]!;
      }
    });
  }

  /** Rule i's last truth for slot s. */
  truthOf(s: number, i: number): boolean {
    return (this.truth[s * this.words + Math.floor(i / BITS)]! & (1 << (i % BITS))) !== 0;
  }

  /** One function evaluating the listed rules in order (same semantics as `evaluateEach`). */
  private fuse(list: Int32Array): { f: Fused; built: boolean } {
    const fieldNames = new Map<string, string>();
    const leafNames = new Map<string, string>();
    const reads: string[] = [];
    const tests: string[] = [];
    const blocks: string[] = [];
    const masks = new Array<number>(this.words).fill(0);
    const named = (map: Map<string, string>, prefix: string, code: string, out: string[]) => {
      let v = map.get(code);
      if (v === undefined) {
        v = `${prefix}${map.size}`;
        map.set(code, v);
        out.push(`const ${v} = ${code};`);
      }
      return v;
    };
    for (const i of list) {
      const src = this.rules[i]!.source;
      const fields = src.fields.map((f) => named(fieldNames, 'f', f, reads));
      const bind = (code: string) => bindFields(code, (k) => fields[k]!);
      const leaves = src.leaves.map((l) => named(leafNames, 'c', bind(l), tests));
      const off = this.offsets[i]!;
      const col = this.scopeCol[i]!;
      const word = Math.floor(i / BITS);
      const bit = 1 << (i % BITS);
      masks[word]! |= bit;
      const truth = bindTruth(
        src.expr,
        (k) => leaves[k]!,
        (k) => `x${k}`,
      );
      const crosses = src.crosses.map((c, k) =>
        crossStatements(k, c, bind(c.left), bind(c.right), `base0 + ${off + k}`),
      );
      blocks.push(
        `{ ${crosses.join(' ')}\n` +
          `w${word} |= ${col < 0 ? truth : `inScope[sbase + ${col}] !== 0 && ${truth}`} ? ${bit} : 0; }`,
      );
    }
    const words = masks.map((_, k) => `let w${k} = 0;`);
    const store = masks.map(
      (m, k) =>
        `const o${k} = truth[tbase + ${k}]; truth[tbase + ${k}] = (o${k} & ${~m}) | w${k}; const r${k} = w${k} & ~o${k}; rises[${k}] = r${k};`,
    );
    const body = [
      ...reads,
      ...tests,
      ...words,
      ...blocks,
      ...store,
      `return ${masks.map((_, k) => `r${k}`).join(' | ')};`,
    ].join('\n');
    const hit = FUSED_CACHE.get(body);
    if (hit) return { f: hit, built: false };
    const f = buildWithRuleScope<number>(
      'fusedRules',
      body,
      'st',
      's',
      'mem',
      'base0',
      'inScope',
      'sbase',
      'truth',
      'tbase',
      'rises',
    ) as Fused;
    if (FUSED_CACHE.size >= 64) FUSED_CACHE.delete(FUSED_CACHE.keys().next().value!);
    FUSED_CACHE.set(body, f);
    return { f, built: true };
  }

  /**
   * Runs each evaluator built for this set (not those reused from an earlier set) on a scratch
   * one-symbol state, so that V8 compiles it now rather than at the first print of its session.
   * Straight-line code needs no particular values, only the right kinds: prices and indicators as
   * fractional doubles (integral zeros would teach it small integers, and real prices then
   * deoptimize it), minute indices and counts as small integers.
   */
  warmUp(): void {
    if (this.cold.length === 0) return;
    const st = sampleState();
    const mem = new Int8Array(this.width);
    const inScope = new Uint8Array(Math.max(1, this.scopeCount));
    const truth = new Int32Array(this.words);
    const rises = new Int32Array(this.words);
    for (const f of this.cold)
      for (let k = 0; k < WARM_UP_CALLS; k++) f(st, 0, mem, 0, inScope, 0, truth, 0, rises);
    this.cold = [];
  }

  /** Evaluates the session's rules for slot `s`; edge-triggered with each rule's cooldown. */
  evaluate(st: SlotState, s: number, sess: number, ts: number): void {
    const f = this.fused[sess];
    if (!f) return;
    const rises = this.rises;
    const words = this.words;
    if (
      f(st, s, this.mem, s * this.width, this.inScope, s * this.scopeCount, this.truth, s * words, rises) ===
      0
    )
      return;
    const fired = this.fired;
    const fbase = s * this.rules.length;
    for (let k = 0; k < words; k++) {
      let rise = rises[k]!;
      while (rise !== 0) {
        const low = rise & -rise; // lowest first: rules fire in their order
        rise ^= low;
        const i = k * BITS + 31 - Math.clz32(low);
        if (ts - fired[fbase + i]! < this.cooldowns[i]! - 1e-6) continue;
        fired[fbase + i] = ts;
        this.onFire(i);
      }
    }
  }

  /** The same as `evaluate`, rule by rule through each compiled test (reference implementation). */
  evaluateEach(st: SlotState, s: number, sess: number, ts: number): void {
    const list = this.bySession[sess]!;
    const base0 = s * this.width;
    const fbase = s * this.rules.length;
    for (let j = 0; j < list.length; j++) {
      const i = list[j]!;
      const col = this.scopeCol[i]!;
      // crosses follow the symbol whether or not it is in the rule's scope, as in the fused code
      const now =
        this.tests[i]!(st, s, this.mem, base0 + this.offsets[i]!) &&
        (col < 0 || this.inScope[s * this.scopeCount + col] !== 0);
      const was = this.truthOf(s, i);
      const w = s * this.words + Math.floor(i / BITS);
      const bit = 1 << (i % BITS);
      this.truth[w] = now ? this.truth[w]! | bit : this.truth[w]! & ~bit;
      if (!now || was) continue;
      if (ts - this.fired[fbase + i]! < this.cooldowns[i]! - 1e-6) continue;
      this.fired[fbase + i] = ts;
      this.onFire(i);
    }
  }
}
