export {
  type ClaudeFailure,
  type ClaudeParse,
  ClaudeParseError,
  type ClaudeParser,
  type ClaudeParserConfig,
  createClaudeParser,
  DEFAULT_CLAUDE_MODEL,
  type ParseContext,
} from './claude-parser.ts';
export { INTENT_TOOL_NAME, intentTool } from './intent-tool.ts';
