// DBN (Databento Binary Encoding) codec, versions 1-3. Databento publishes no JavaScript DBN
// library, so this is our own implementation, written from the published specification and the
// official Rust source (the `dbn` crate) and tested field by field against the official decoder
// (the `databento_dbn` Python package and, when installed, the `dbn` CLI).
//
//   const dec = new DbnDecoder();            // { metadata: false, version, tsOut } for fragments
//   for await (const chunk of socket) {
//     const { view, offsets, count } = dec.push(chunk);   // valid until the next push
//     for (let i = 0; i < count; i++) { const o = offsets[i]; ... view.getUint32(o + 24, true) ... }
//   }
//   dec.finish();                            // throws DbnError on a partial record
//
// Offsets shared by all versions are in @tradeassist/core/dbn-layout; version-specific layouts
// (definitions, statistics, symbol mappings, errors, system messages) via layoutFor(version, rtype).
// decodeFile() for whole files, recordToJson()/metadataToJson() for the `dbn --json` shape,
// DbnEncoder for JSON -> bytes, and the write* functions to build records fast (simulator).
export { DbnDecoder, type DbnDecoderOptions, type DbnRecordBatch, decodeFile } from './decoder.ts';
export { DbnEncoder, type DbnEncoderOptions } from './encoder.ts';
export { DbnError } from './errors.ts';
export { i64String, recordToJson, u64String } from './json.ts';
export {
  type Field,
  type FieldKind,
  HEADER_SIZE,
  INSTRUMENT_DEF_MSG_V1,
  INSTRUMENT_DEF_MSG_V2,
  INSTRUMENT_DEF_MSG_V3,
  LEVEL_SIZE,
  layoutFor,
  type RecordLayout,
  STAT_MSG_V1,
  STAT_MSG_V3,
  SYMBOL_MAPPING_MSG_V1,
  SYMBOL_MAPPING_MSG_V2,
  symbolCstrLen,
} from './layouts.ts';
export {
  type DbnMetadata,
  decodeMetadata,
  encodeMetadata,
  type MappingInterval,
  metadataToJson,
  readCStr,
  SCHEMAS,
  type Schema,
  STYPES,
  type SType,
  type SymbolMapping,
} from './metadata.ts';
export { type DbnStats, StatsAccumulator } from './stats.ts';
export {
  appendTsOut,
  type NsTime,
  nsTime,
  nsToBigInt,
  setI64,
  setNs,
  setU64,
  writeMbp1,
  writeOhlcv,
  writeStatus,
  writeSymbolMapping,
  writeTrade,
} from './writers.ts';
