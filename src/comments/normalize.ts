import unhomoglyph from 'unhomoglyph';

/**
 * What a reader cannot see: format characters (zero-width spaces and joiners, soft hyphens,
 * bidirectional controls, tags), every Default_Ignorable_Code_Point (Unicode's own list of what
 * renders as nothing: variation selectors, U+2065, U+FFF0–FFF8, the Hangul fillers U+115F, U+1160,
 * U+3164 and U+FFA0…), and the Braille blank U+2800, a letter that prints as a space.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** The format characters that reorder the text around them (U+061C, U+200E/F, U+202A–E, U+2066–9). */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const COMBINING_MARKS = /\p{M}/gu;

/**
 * A commenter's name as it is checked and stored: NFKC (full-width letters, ligatures and compatibility
 * forms become their plain letters), nothing invisible, spaces collapsed.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * A comment's text as it is stored: NFKC, without bidirectional controls (they could reverse what
 * follows them on the page). Other format characters stay: the zero-width joiner builds emoji and
 * the zero-width non-joiner is part of Persian spelling; the rules read `foldForMatching` instead.
 */
export function normalizeBody(body: string): string {
  return body.normalize('NFKC').replace(BIDI_CONTROLS, '').trim();
}

/** An email address as comments compare it: trimmed, case-insensitive (the whole address). */
export function normalizeCommentEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

const skeleton = (text: string) => unhomoglyph(text.normalize('NFD')).normalize('NFD');

function fold(text: string, lowerCaseFirst: boolean): string {
  const plain = text.replace(INVISIBLE, '');
  // Before NFKC too: NFKC turns some look-alikes (the lunate sigma "ϲ") into letters that are not.
  const once = skeleton(lowerCaseFirst ? plain.toLowerCase() : plain);
  return skeleton(once.normalize('NFKC').replace(INVISIBLE, '').toLowerCase())
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The confusable-folded form a word list or a staff name is written in: without invisible characters,
 * lower case, Unicode's UTS #39 skeleton (NFD, each character replaced by its prototype in
 * confusables.txt, through `unhomoglyph`), NFKC, without combining marks, spaces collapsed. Not for
 * display ("m" folds to "rn").
 */
export const foldForMatching = (text: string) => fold(text, true);

/**
 * The folded forms a reader's text is matched on: as `foldForMatching`, and with the skeleton taken
 * before lower-casing, because look-alikes differ by case ("Α" is "A", its lower case "α" is not "a";
 * "I" is "l"). So "саsіnо" (Cyrillic), "ϲasino" (Greek), "ｃａｓｉｎｏ", "cas\u00ADino", "cá\u200Bsino"
 * and "ΑΝΝ" are caught as "casino" and "ann".
 */
export function foldedForms(text: string): string[] {
  return [...new Set([fold(text, true), fold(text, false)])];
}
