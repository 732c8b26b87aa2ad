/**
 * The rules for the strings of a click. Every string must be well-formed Unicode without control
 * characters; an id (user_id) must also not pass for another: it is taken in NFC, and characters
 * that cannot be seen or that change how it reads are refused, so `user1`, `user1 ` and
 * `user\u200b1` are not three users.
 */

declare global {
  interface String {
    /** ES2024; Node 20 has it. False when the string holds a lone surrogate. */
    isWellFormed(): boolean;
  }
}

// C0 controls, DEL and C1 controls: never legitimate in ids or user agents, and dangerous in logs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Zero-width spaces and joiners, the BOM, direction marks and overrides: invisible in a listing.
const FORMAT = /\p{Cf}/u;
const SEPARATOR = /[\p{Zl}\p{Zp}]/u;
// U+FDD0-FDEF and the last two code points of every plane: never assigned to a character.
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
const EDGE_SPACE = /^\s|\s$/u;
// Printable ASCII with no space at either end: passes every rule below and is already NFC.
const PLAIN_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Why `s` is not clean text (lone surrogates, control characters), or null if it is. */
export function textProblem(s: string): string | null {
  // ClickHouse refuses a lone surrogate: valid JSON and a valid JavaScript string, but not Unicode.
  if (!s.isWellFormed()) return 'must be well-formed Unicode (no lone surrogates)';
  if (CONTROL.test(s)) return 'must not contain control characters';
  return null;
}

/** True for well-formed Unicode without control characters: what every string of a click must be. */
export function isCleanText(s: string): boolean {
  return textProblem(s) === null;
}

/** Why `s` cannot be an id, or null if it can. Checks the string as given: normalize to NFC first. */
export function idProblem(s: string): string | null {
  if (PLAIN_ID.test(s)) return null;
  const text = textProblem(s);
  if (text !== null) return text;
  if (FORMAT.test(s)) return 'must not contain format characters (zero-width, BOM, direction marks)';
  if (SEPARATOR.test(s)) return 'must not contain line or paragraph separators';
  if (NONCHARACTER.test(s)) return 'must not contain noncharacters (such as U+FFFF)';
  if (EDGE_SPACE.test(s)) return 'must not start or end with white space';
  return null;
}

/** True when `s` is an id exactly as given: in NFC and without a problem. */
export function isCleanId(s: string): boolean {
  return PLAIN_ID.test(s) || (idProblem(s) === null && s.normalize('NFC') === s);
}
