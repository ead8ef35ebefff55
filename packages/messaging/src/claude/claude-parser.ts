// Reads an SMS with Claude (Messages API, one strict tool, forced tool choice). The trader's open
// trades go along as context so "out at 12.40" names the only open trade. Time-boxed (timeout, SDK
// retries on 408/429/5xx/529 and timeouts); anything but a valid tool call is a ClaudeParseError,
// on which the caller falls back to the deterministic parser.
import Anthropic from '@anthropic-ai/sdk';
import { ClaudeParseError, type ClaudeParser, type ParseContext } from './claude-errors.ts';
import { INTENT_TOOL_NAME, IntentToolError, intentTool, toolInputToIntent } from './intent-tool.ts';
import { SYSTEM_PROMPT } from './system-prompt.ts';

export * from './claude-errors.ts';

/** A current, fast Claude model: intent parsing is short and latency matters on SMS. */
export const DEFAULT_CLAUDE_MODEL = 'claude-haiku-5-5';

export interface ClaudeParserConfig {
  apiKey: string;
  model?: string | undefined;
  /** For tests and proxies (the local Messages API double); default Anthropic's API. */
  baseURL?: string | undefined;
  /** Per attempt, ms. */
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export function createClaudeParser(config: ClaudeParserConfig): ClaudeParser {
  const model = config.model ?? DEFAULT_CLAUDE_MODEL;
  const client = new Anthropic({
    apiKey: config.apiKey,
    // Always explicit, so the SDK does not read the environment itself.
    baseURL: config.baseURL ?? 'https://api.anthropic.com',
    timeout: config.timeoutMs ?? 4_000,
    maxRetries: config.maxRetries ?? 2,
  });

  return {
    async parse(text, ctx) {
      let message: Anthropic.Messages.Message;
      try {
        message = await client.messages.create({
          model,
          max_tokens: 400,
          system: SYSTEM_PROMPT,
          tools: [intentTool],
          tool_choice: { type: 'tool', name: INTENT_TOOL_NAME },
          messages: [{ role: 'user', content: userContent(text, ctx) }],
        });
      } catch (err) {
        throw toParseError(err, text);
      }
      const call = message.content.find(
        (b): b is Anthropic.Messages.ToolUseBlock => b.type === 'tool_use' && b.name === INTENT_TOOL_NAME,
      );
      if (!call) {
        throw new ClaudeParseError(
          'invalid_output',
          `no ${INTENT_TOOL_NAME} call (stop_reason ${message.stop_reason})`,
        );
      }
      try {
        return { ...toolInputToIntent(call.input, text, ctx.openTrades), model: message.model };
      } catch (err) {
        if (err instanceof IntentToolError)
          throw new ClaudeParseError('invalid_output', err.message, { cause: err });
        throw err;
      }
    },
  };
}

/** Context first, then the SMS alone in the last block: the double keys its recordings on it. */
function userContent(text: string, ctx: ParseContext): Anthropic.Messages.TextBlockParam[] {
  const trades =
    ctx.openTrades.length === 0
      ? 'none'
      : ctx.openTrades
          .map(
            (t) =>
              `${t.symbol} ${t.side}${t.quantity === null ? '' : ` ${t.quantity} sh`}${t.entry ? ` @ ${t.entry}` : ''}`,
          )
          .join('; ');
  return [
    { type: 'text', text: `Open trades: ${trades}\nThe trader's SMS follows in the next block.` },
    { type: 'text', text },
  ];
}

function toParseError(err: unknown, text: string): ClaudeParseError {
  const where = `Claude request for ${JSON.stringify(text.slice(0, 80))}`;
  if (err instanceof Anthropic.APIConnectionTimeoutError)
    return new ClaudeParseError('timeout', `${where} timed out`, { cause: err });
  if (err instanceof Anthropic.AuthenticationError || err instanceof Anthropic.PermissionDeniedError) {
    return new ClaudeParseError('auth', `${where}: authentication failed (${err.status})`, { cause: err });
  }
  if (err instanceof Anthropic.RateLimitError)
    return new ClaudeParseError('rate_limited', `${where}: rate limited`, { cause: err });
  if (err instanceof Anthropic.APIError && err.status === 529) {
    return new ClaudeParseError('overloaded', `${where}: overloaded`, { cause: err });
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new ClaudeParseError('api_error', `${where} failed: ${detail}`, { cause: err });
}
