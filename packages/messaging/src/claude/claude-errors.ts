// What a Claude parser promises and how it fails, without the SDK: the orchestrator and the
// offline CLI import this and load the SDK only when a key is configured.
import type { Intent, OpenTradeContext } from '@tradeassist/core/intent';

export interface ParseContext {
  openTrades: readonly OpenTradeContext[];
}

export interface ClaudeParse {
  intent: Intent;
  confidence: number;
  model: string;
}

export type ClaudeFailure =
  | 'auth'
  | 'rate_limited'
  | 'overloaded'
  | 'timeout'
  | 'api_error'
  | 'invalid_output';

export class ClaudeParseError extends Error {
  override readonly name = 'ClaudeParseError';
  constructor(
    readonly reason: ClaudeFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ClaudeParser {
  parse(text: string, ctx: ParseContext): Promise<ClaudeParse>;
}
