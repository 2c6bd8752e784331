// Some iptables extensions read a number with atoi/strtoull and ignore whatever follows it
// (`5x/sec` is 5 per second). This reads the leading number the same way, so the module can
// accept what iptables accepts and still point at the ignored text.

export interface LeadingNumber {
  /** The number as C would read it in base 10 (0 when there are no digits); may be negative. */
  readonly value: bigint;
  /** Whether any digit was read. */
  readonly digits: boolean;
  /** Index in the text just after the number. */
  readonly end: number;
}

/** Reads `[whitespace][+|-]digits` from the start of `text`, as strtol(text, &end, 10) does. */
export function leadingNumber(text: string): LeadingNumber {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(text)!;
  if (m[2] === '') return { value: 0n, digits: false, end: 0 };
  const magnitude = BigInt(m[2]);
  return { value: m[1] === '-' ? -magnitude : magnitude, digits: true, end: m[0].length };
}
