export {
  createIntentParser,
  DEFAULT_CONFIDENCE_THRESHOLD,
  type IntentContext,
  type IntentParser,
  type IntentParserOptions,
  type ParsedIntent,
  withOnlyOpenTrade,
} from './parse-intent.ts';
