/** Amounts are kept in a currency's minor unit (cents), as Stripe takes them; Intl knows how many digits each has. */

const formatter = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency });

/** Whether `code` is an ISO 4217 currency Intl knows (any case). */
export const isCurrency = (code: string) =>
  /^[a-z]{3}$/i.test(code) && Intl.supportedValuesOf('currency').includes(code.toUpperCase());

const minorDigits = (currency: string) => formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;

/** "5", "5.5" or "5.50" in `currency` as minor units (550); undefined if it has more decimals than the currency. */
export function toMinorUnits(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const match = /^(\d{1,7})(?:\.(\d+))?$/.exec(text.trim());
  if (!match || (match[2]?.length ?? 0) > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
}

/** Minor units back to the form's text ("5.50"). */
export const fromMinorUnits = (amount: number, currency: string) =>
  (amount / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));

/** An amount as readers read it: "€5.50", "¥500". */
export const formatMoney = (amount: number, currency: string) =>
  formatter(currency).format(amount / 10 ** minorDigits(currency));
