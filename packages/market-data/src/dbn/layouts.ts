// Record layouts of DBN versions 1, 2 and 3, transcribed from the official `dbn` crate
// (rust/dbn/src/record.rs, compat.rs, v1.rs, v2.rs, v3.rs). Offsets count from the start of the
// record (its 16-byte header). layouts.test.ts checks every table against the official package's
// own layout description, so a typo here fails a test instead of silently misreading a field.
//
// The common records (trades, MBP, MBO, OHLCV, BBO, status, imbalance) are the same in all three
// versions; definitions, statistics, symbol mappings, errors and system messages differ.
// Two definition fields are Rust enums rather than c_char in older versions (security_update_action
// in v1, user_defined_instrument in v1 and v2): the official JSON shows 0 there as "\u0000", not null.
import { RType } from '@tradeassist/core/dbn-layout';

export type FieldKind =
  | 'u8'
  | 'i8'
  | 'u16'
  | 'i16'
  | 'u32'
  | 'i32'
  | 'u64'
  | 'i64'
  | 'char' // c_char: one byte, JSON 1-char string, null when 0
  | 'echar' // a 1-byte Rust enum of chars: JSON 1-char string even when 0 ("\u0000")
  | 'str' // fixed-length c string, JSON trimmed at the first NUL
  | 'pad' // reserved bytes, not in JSON
  | 'levels' // BidAskPair[count]
  | 'clevels'; // ConsolidatedBidAskPair[count]

export interface Field {
  readonly name: string;
  readonly kind: FieldKind;
  readonly offset: number;
  readonly size: number;
  /** Number of levels for `levels`/`clevels`. */
  readonly count: number;
}

export interface RecordLayout {
  readonly name: string;
  /** Size of the record without ts_out. */
  readonly size: number;
  readonly fields: readonly Field[];
  readonly byName: Readonly<Record<string, Field>>;
}

export const HEADER_SIZE = 16;
/** One BidAskPair / ConsolidatedBidAskPair. */
export const LEVEL_SIZE = 32;

const SIZES: Record<string, number> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  u64: 8,
  i64: 8,
  char: 1,
};

/**
 * Parses `name:kind` tokens laid out from offset 16: `kind` = u8..i64, c (c_char), e (char enum),
 * sN (string), pN (reserved), levelsN, clevelsN.
 */
function layout(name: string, spec: string): RecordLayout {
  const fields: Field[] = [];
  let offset = HEADER_SIZE;
  for (const token of spec.trim().split(/\s+/)) {
    const [fname, kindSpec] = token.split(':') as [string, string];
    const m = /^(u8|i8|u16|i16|u32|i32|u64|i64|c|e|s|p|levels|clevels)(\d*)$/.exec(kindSpec);
    if (!m) throw new Error(`bad layout token ${token}`);
    const base = m[1]!;
    const n = m[2] ? Number(m[2]) : 1;
    let kind: FieldKind;
    let size: number;
    if (base === 'c' || base === 'e') {
      kind = base === 'c' ? 'char' : 'echar';
      size = 1;
    } else if (base === 's') {
      kind = 'str';
      size = n;
    } else if (base === 'p') {
      kind = 'pad';
      size = n;
    } else if (base === 'levels' || base === 'clevels') {
      kind = base;
      size = n * LEVEL_SIZE;
    } else {
      kind = base as FieldKind;
      size = SIZES[base]!;
    }
    fields.push({ name: fname, kind, offset, size, count: kind === 'levels' || kind === 'clevels' ? n : 1 });
    offset += size;
  }
  const byName: Record<string, Field> = {};
  for (const f of fields) if (f.kind !== 'pad') byName[f.name] = f;
  return { name, size: offset, fields, byName };
}

const TRADE_FIELDS =
  'price:i64 size:u32 action:c side:c flags:u8 depth:u8 ts_recv:u64 ts_in_delta:i32 sequence:u32';

export const TRADE_MSG = layout('TradeMsg', TRADE_FIELDS);
export const MBP1_MSG = layout('Mbp1Msg', `${TRADE_FIELDS} levels:levels1`);
export const MBP10_MSG = layout('Mbp10Msg', `${TRADE_FIELDS} levels:levels10`);
export const BBO_MSG = layout(
  'BboMsg',
  'price:i64 size:u32 _:p1 side:c flags:u8 _:p1 ts_recv:u64 _:p4 sequence:u32 levels:levels1',
);
export const CMBP1_MSG = layout(
  'Cmbp1Msg',
  'price:i64 size:u32 action:c side:c flags:u8 _:p1 ts_recv:u64 ts_in_delta:i32 _:p4 levels:clevels1',
);
export const CBBO_MSG = layout(
  'CbboMsg',
  'price:i64 size:u32 _:p1 side:c flags:u8 _:p1 ts_recv:u64 _:p8 levels:clevels1',
);
export const MBO_MSG = layout(
  'MboMsg',
  'order_id:u64 price:i64 size:u32 flags:u8 channel_id:u8 action:c side:c ts_recv:u64 ts_in_delta:i32 sequence:u32',
);
export const OHLCV_MSG = layout('OhlcvMsg', 'open:i64 high:i64 low:i64 close:i64 volume:u64');
export const STATUS_MSG = layout(
  'StatusMsg',
  'ts_recv:u64 action:u16 reason:u16 trading_event:u16 is_trading:c is_quoting:c is_short_sell_restricted:c _:p7',
);
export const IMBALANCE_MSG = layout(
  'ImbalanceMsg',
  `ts_recv:u64 ref_price:i64 auction_time:u64 cont_book_clr_price:i64 auct_interest_clr_price:i64
   ssr_filling_price:i64 ind_match_price:i64 upper_collar:i64 lower_collar:i64 paired_qty:u32
   total_imbalance_qty:u32 market_imbalance_qty:u32 unpaired_qty:u32 auction_type:c side:c
   auction_status:u8 freeze_status:u8 num_extensions:u8 unpaired_side:c significant_imbalance:c _:p1`,
);

/** Statistics: `quantity` is i32 in v1/v2 and i64 in v3. */
export const STAT_MSG_V1 = layout(
  'StatMsgV1',
  `ts_recv:u64 ts_ref:u64 price:i64 quantity:i32 sequence:u32 ts_in_delta:i32 stat_type:u16
   channel_id:u16 update_action:u8 stat_flags:u8 _:p6`,
);
export const STAT_MSG_V3 = layout(
  'StatMsg',
  `ts_recv:u64 ts_ref:u64 price:i64 quantity:i64 sequence:u32 ts_in_delta:i32 stat_type:u16
   channel_id:u16 update_action:u8 stat_flags:u8 _:p18`,
);

export const ERROR_MSG_V1 = layout('ErrorMsgV1', 'err:s64');
export const ERROR_MSG_V2 = layout('ErrorMsg', 'err:s302 code:u8 is_last:u8');
export const SYSTEM_MSG_V1 = layout('SystemMsgV1', 'msg:s64');
export const SYSTEM_MSG_V2 = layout('SystemMsg', 'msg:s303 code:u8');
export const SYMBOL_MAPPING_MSG_V1 = layout(
  'SymbolMappingMsgV1',
  'stype_in_symbol:s22 stype_out_symbol:s22 _:p4 start_ts:u64 end_ts:u64',
);
export const SYMBOL_MAPPING_MSG_V2 = layout(
  'SymbolMappingMsg',
  'stype_in:u8 stype_in_symbol:s71 stype_out:u8 stype_out_symbol:s71 start_ts:u64 end_ts:u64',
);

export const INSTRUMENT_DEF_MSG_V1 = layout(
  'InstrumentDefMsgV1',
  `ts_recv:u64 min_price_increment:i64 display_factor:i64 expiration:u64 activation:u64
   high_limit_price:i64 low_limit_price:i64 max_price_variation:i64 trading_reference_price:i64
   unit_of_measure_qty:i64 min_price_increment_amount:i64 price_ratio:i64 inst_attrib_value:i32
   underlying_id:u32 raw_instrument_id:u32 market_depth_implied:i32 market_depth:i32
   market_segment_id:u32 max_trade_vol:u32 min_lot_size:i32 min_lot_size_block:i32
   min_lot_size_round_lot:i32 min_trade_vol:u32 _:p4 contract_multiplier:i32 decay_quantity:i32
   original_contract_size:i32 _:p4 trading_reference_date:u16 appl_id:i16 maturity_year:u16
   decay_start_date:u16 channel_id:u16 currency:s4 settl_currency:s4 secsubtype:s6 raw_symbol:s22
   group:s21 exchange:s5 asset:s7 cfi:s7 security_type:s7 unit_of_measure:s31 underlying:s21
   strike_price_currency:s4 instrument_class:c _:p2 strike_price:i64 _:p6 match_algorithm:c
   md_security_trading_status:u8 main_fraction:u8 price_display_format:u8 settl_price_type:u8
   sub_fraction:u8 underlying_product:u8 security_update_action:e maturity_month:u8
   maturity_day:u8 maturity_week:u8 user_defined_instrument:e contract_multiplier_unit:i8
   flow_schedule_type:i8 tick_rule:u8 _:p3`,
);
export const INSTRUMENT_DEF_MSG_V2 = layout(
  'InstrumentDefMsgV2',
  `ts_recv:u64 min_price_increment:i64 display_factor:i64 expiration:u64 activation:u64
   high_limit_price:i64 low_limit_price:i64 max_price_variation:i64 trading_reference_price:i64
   unit_of_measure_qty:i64 min_price_increment_amount:i64 price_ratio:i64 strike_price:i64
   inst_attrib_value:i32 underlying_id:u32 raw_instrument_id:u32 market_depth_implied:i32
   market_depth:i32 market_segment_id:u32 max_trade_vol:u32 min_lot_size:i32 min_lot_size_block:i32
   min_lot_size_round_lot:i32 min_trade_vol:u32 contract_multiplier:i32 decay_quantity:i32
   original_contract_size:i32 trading_reference_date:u16 appl_id:i16 maturity_year:u16
   decay_start_date:u16 channel_id:u16 currency:s4 settl_currency:s4 secsubtype:s6 raw_symbol:s71
   group:s21 exchange:s5 asset:s7 cfi:s7 security_type:s7 unit_of_measure:s31 underlying:s21
   strike_price_currency:s4 instrument_class:c match_algorithm:c md_security_trading_status:u8
   main_fraction:u8 price_display_format:u8 settl_price_type:u8 sub_fraction:u8
   underlying_product:u8 security_update_action:c maturity_month:u8 maturity_day:u8
   maturity_week:u8 user_defined_instrument:e contract_multiplier_unit:i8 flow_schedule_type:i8
   tick_rule:u8 _:p10`,
);
export const INSTRUMENT_DEF_MSG_V3 = layout(
  'InstrumentDefMsg',
  `ts_recv:u64 min_price_increment:i64 display_factor:i64 expiration:u64 activation:u64
   high_limit_price:i64 low_limit_price:i64 max_price_variation:i64 unit_of_measure_qty:i64
   min_price_increment_amount:i64 price_ratio:i64 strike_price:i64 raw_instrument_id:u64
   leg_price:i64 leg_delta:i64 inst_attrib_value:i32 underlying_id:u32 market_depth_implied:i32
   market_depth:i32 market_segment_id:u32 max_trade_vol:u32 min_lot_size:i32 min_lot_size_block:i32
   min_lot_size_round_lot:i32 min_trade_vol:u32 contract_multiplier:i32 decay_quantity:i32
   original_contract_size:i32 leg_instrument_id:u32 leg_ratio_price_numerator:i32
   leg_ratio_price_denominator:i32 leg_ratio_qty_numerator:i32 leg_ratio_qty_denominator:i32
   leg_underlying_id:u32 appl_id:i16 maturity_year:u16 decay_start_date:u16 channel_id:u16
   leg_count:u16 leg_index:u16 currency:s4 settl_currency:s4 secsubtype:s6 raw_symbol:s71 group:s21
   exchange:s5 asset:s11 cfi:s7 security_type:s7 unit_of_measure:s31 underlying:s21
   strike_price_currency:s4 leg_raw_symbol:s71 instrument_class:c match_algorithm:c
   main_fraction:u8 price_display_format:u8 sub_fraction:u8 underlying_product:u8
   security_update_action:c maturity_month:u8 maturity_day:u8 maturity_week:u8
   user_defined_instrument:c contract_multiplier_unit:i8 flow_schedule_type:i8 tick_rule:u8
   leg_instrument_class:c leg_side:c _:p17`,
);

type Version = 1 | 2 | 3;

function table(version: Version): ReadonlyArray<RecordLayout | undefined> {
  const t: Array<RecordLayout | undefined> = new Array(256).fill(undefined);
  t[RType.MBP_0] = TRADE_MSG;
  t[RType.MBP_1] = MBP1_MSG;
  t[RType.MBP_10] = MBP10_MSG;
  t[RType.MBO] = MBO_MSG;
  t[RType.BBO_1S] = BBO_MSG;
  t[RType.BBO_1M] = BBO_MSG;
  t[RType.CMBP_1] = CMBP1_MSG;
  t[RType.TCBBO] = CMBP1_MSG;
  t[RType.CBBO_1S] = CBBO_MSG;
  t[RType.CBBO_1M] = CBBO_MSG;
  for (const rt of [
    RType.OHLCV_DEPRECATED,
    RType.OHLCV_1S,
    RType.OHLCV_1M,
    RType.OHLCV_1H,
    RType.OHLCV_1D,
    RType.OHLCV_EOD,
  ]) {
    t[rt] = OHLCV_MSG;
  }
  t[RType.STATUS] = STATUS_MSG;
  t[RType.IMBALANCE] = IMBALANCE_MSG;
  t[RType.STATISTICS] = version === 3 ? STAT_MSG_V3 : STAT_MSG_V1;
  t[RType.ERROR] = version === 1 ? ERROR_MSG_V1 : ERROR_MSG_V2;
  t[RType.SYSTEM] = version === 1 ? SYSTEM_MSG_V1 : SYSTEM_MSG_V2;
  t[RType.SYMBOL_MAPPING] = version === 1 ? SYMBOL_MAPPING_MSG_V1 : SYMBOL_MAPPING_MSG_V2;
  t[RType.INSTRUMENT_DEF] =
    version === 1 ? INSTRUMENT_DEF_MSG_V1 : version === 2 ? INSTRUMENT_DEF_MSG_V2 : INSTRUMENT_DEF_MSG_V3;
  return t;
}

const TABLES: Record<Version, ReadonlyArray<RecordLayout | undefined>> = {
  1: table(1),
  2: table(2),
  3: table(3),
};

/** The layout of records of `rtype` in DBN `version`, or undefined for an rtype DBN 1-3 doesn't define. */
export function layoutFor(version: number, rtype: number): RecordLayout | undefined {
  return TABLES[version as Version]?.[rtype];
}

/** Minimum record length in bytes per rtype (16, the header, for rtypes we don't know). */
export function minLengths(version: number): Uint16Array {
  const out = new Uint16Array(256).fill(HEADER_SIZE);
  const t = TABLES[version as Version];
  if (t) for (let rt = 0; rt < 256; rt++) out[rt] = t[rt]?.size ?? HEADER_SIZE;
  return out;
}

/** Length of the fixed symbol strings in metadata (and in v2+ definitions/mappings). */
export function symbolCstrLen(version: number): number {
  return version === 1 ? 22 : 71;
}
