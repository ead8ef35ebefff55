// parseIntent: Claude when a key is configured, the deterministic parser otherwise or when Claude
// fails (error, timeout, invalid output). Below the confidence threshold a result is marked
// `needsConfirmation`: the conversation asks the trader before acting on it. Claude's reading is
// also checked against the rules: if they are sure of a different action, it is asked about too.
import type { Intent, OpenTradeContext } from '@tradeassist/core/intent';
import { type ClaudeFailure, ClaudeParseError, type ClaudeParser } from '../claude/claude-errors.ts';
import { parseRules } from '../parser/rules-parser.ts';

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.7;

export interface IntentContext {
  /** The trader's open trades: "out at 12.40" means the only one. */
  openTrades: readonly OpenTradeContext[];
}

export interface ParsedIntent {
  intent: Intent;
  confidence: number;
  source: 'claude' | 'rules';
  /** Ask the trader before acting ("Did you mean ...?"). */
  needsConfirmation: boolean;
  /** Why Claude was not used, when it was configured. */
  fallback?: { reason: ClaudeFailure; message: string };
}

export interface IntentParserOptions {
  /** Absent: offline, deterministic only. */
  claude?: ClaudeParser | undefined;
  confidenceThreshold?: number | undefined;
  /** Told about fallbacks; never given a key. */
  onFallback?: ((info: { reason: ClaudeFailure; message: string }) => void) | undefined;
}

export type IntentParser = (text: string, ctx?: IntentContext) => Promise<ParsedIntent>;

export function createIntentParser(options: IntentParserOptions = {}): IntentParser {
  const threshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  return async (text, ctx = { openTrades: [] }) => {
    let result: Omit<ParsedIntent, 'needsConfirmation'> | undefined;
    if (options.claude) {
      try {
        const r = await options.claude.parse(text, ctx);
        // A second opinion for free: when the rules are sure of a different action, ask first.
        const check = parseRules(text);
        const disagree =
          check.intent.intent !== 'unknown' &&
          check.intent.intent !== r.intent.intent &&
          check.confidence >= 0.9;
        const confidence = disagree ? Math.min(r.confidence, 0.5) : r.confidence;
        result = { intent: withOnlyOpenTrade(r.intent, ctx), confidence, source: 'claude' };
      } catch (err) {
        if (!(err instanceof ClaudeParseError)) throw err;
        const fallback = { reason: err.reason, message: err.message };
        options.onFallback?.(fallback);
        result = { ...rules(text, ctx), fallback };
      }
    } else {
      result = rules(text, ctx);
    }
    const unclear = result.intent.intent !== 'unknown' && result.confidence < threshold;
    return { ...result, needsConfirmation: unclear };
  };
}

function rules(text: string, ctx: IntentContext): Omit<ParsedIntent, 'needsConfirmation'> {
  const r = parseRules(text);
  return { intent: withOnlyOpenTrade(r.intent, ctx), confidence: r.confidence, source: 'rules' };
}

/** "closed it at 12.40" with one open trade: that trade. With none or several, symbol stays null. */
export function withOnlyOpenTrade(intent: Intent, ctx: IntentContext): Intent {
  const only = ctx.openTrades.length === 1 ? ctx.openTrades[0] : undefined;
  if (!only) return intent;
  switch (intent.intent) {
    case 'close_trade':
    case 'update_stop':
    case 'update_target':
      return intent.symbol === null ? { ...intent, symbol: only.symbol } : intent;
    default:
      return intent;
  }
}
