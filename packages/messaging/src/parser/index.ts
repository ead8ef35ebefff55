export { parseRules, type RuleParse } from './rules-parser.ts';
export { decimalToNumber, plainDecimal, tokenize } from './tokens.ts';
