// How many SMS segments a text costs, as carriers and Twilio count them: GSM-7 when every character
// is in the GSM 03.38 alphabet (its extension table's characters take two septets, an escape and
// the character), UCS-2 otherwise. One segment holds 160 septets or 70 UTF-16 units; a concatenated
// message loses room to its user-data header: 153 septets or 67 units per segment, and an escape
// pair or a surrogate pair never straddles two segments.

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units still free in the last segment. */
  remaining: number;
}

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Cost in units of each character (code point): 1 or 2. */
function unitCosts(text: string, encoding: SmsEncoding): number[] {
  const costs: number[] = [];
  for (const ch of text) costs.push(encoding === 'GSM-7' ? (EXTENSION.has(ch) ? 2 : 1) : ch.length);
  return costs;
}

export function smsSegments(text: string): SmsSegments {
  const encoding = smsEncoding(text);
  const costs = unitCosts(text, encoding);
  const units = costs.reduce((a, b) => a + b, 0);
  const single = encoding === 'GSM-7' ? 160 : 70;
  const multi = encoding === 'GSM-7' ? 153 : 67;
  if (units <= single) return { encoding, units, segments: 1, remaining: single - units };
  // Pack greedily: a two-unit character that does not fit starts the next segment.
  let segments = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > multi) {
      segments++;
      used = 0;
    }
    used += c;
  }
  return { encoding, units, segments, remaining: multi - used };
}

/**
 * `text` if it fits in `maxSegments`, else its longest prefix (whole code points, trailing space
 * dropped) followed by an ellipsis that fits. The ellipsis is "..." in a GSM-7 text (U+2026 is not
 * in the GSM alphabet and would turn the whole message into UCS-2, halving its room) and "…" in a
 * text that is UCS-2 already.
 */
export function fitSms(text: string, maxSegments: number): string {
  if (!Number.isInteger(maxSegments) || maxSegments < 1) {
    throw new RangeError(`maxSegments must be a positive integer (got ${maxSegments})`);
  }
  if (smsSegments(text).segments <= maxSegments) return text;
  const ellipsis = smsEncoding(text) === 'GSM-7' ? '...' : '…';
  const chars = Array.from(text);
  // Largest n such that chars[0..n) + ellipsis fits: the segment count only grows with n.
  let lo = 0;
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const candidate = `${chars.slice(0, mid).join('').trimEnd()}${ellipsis}`;
    if (smsSegments(candidate).segments <= maxSegments) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}${ellipsis}`;
}
