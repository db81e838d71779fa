import { describe, expect, it } from 'vitest';
import { foldedForms, foldForMatching, normalizeBody, normalizeName } from '../../src/comments/normalize';
import { judgeComment } from '../../src/comments/rules';

const settings = { mode: 'none' as const, holdWords: ['casino', 'payday loan'], spamWords: ['viagra'] };
const draft = { authorName: 'Ann', authorEmail: 'ann@example.com', body: '' };

describe('the confusable-folded form the word lists are matched on', () => {
  it.each([
    ['plain', 'casino', 'casino'],
    ['upper case', 'CASINO', 'casino'],
    ['zero-width space', 'cas\u200Bino', 'casino'],
    ['zero-width joiner and non-joiner', 'ca\u200Dsi\u200Cno', 'casino'],
    ['word joiner', 'casi\u2060no', 'casino'],
    ['soft hyphen', 'cas\u00ADino', 'casino'],
    ['right-to-left override', '\u202Ecasino\u202C', 'casino'],
    ['left-to-right mark and isolate', 'ca\u200Esi\u2066no\u2069', 'casino'],
    ['Cyrillic look-alikes', 'саsіnо', 'casino'],
    ['Cyrillic capitals', 'САЅІNО', 'casino'],
    ['Greek look-alikes', 'ϲasinο', 'casino'],
    ['Greek capitals', 'ΑΝΝ', 'ann'],
    ['full-width letters', 'ｃａｓｉｎｏ', 'casino'],
    ['full-width capitals', 'ＣＡＳＩＮＯ', 'casino'],
    ['mathematical bold', '𝐜𝐚𝐬𝐢𝐧𝐨', 'casino'],
    ['accents', 'cásìnô', 'casino'],
    ['digit for a letter', 'casin0', 'casino'],
    ['doubled and odd spaces', 'payday \u00A0 loan', 'payday loan'],
  ])('folds %s', (_, text, folded) => {
    expect(foldedForms(text)).toContain(foldForMatching(folded));
  });

  it.each([
    ['zero-width space', 'vi\u200Bagra'],
    ['soft hyphen', 'via\u00ADgra'],
    ['bidi override', 'via\u202Egra'],
    ['Cyrillic і and а', 'vіаgrа'],
    ['Greek ο in a phrase', 'payday lοan'],
    ['full-width', 'ｖｉａｇｒａ'],
  ])('catches a listed word written with %s', (_, word) => {
    expect(judgeComment({ ...draft, body: `Great ${word} here` }, settings, 'proven').status).not.toBe('approved');
  });

  it('still leaves words that merely contain a listed one', () => {
    expect(
      judgeComment({ ...draft, body: 'Occasionally' }, { ...settings, holdWords: ['occasion'] }, 'proven').status,
    ).toBe('approved');
  });
});

describe('names and text as they are stored', () => {
  it.each([
    ['a right-to-left override', 'Ann\u202E rotidE', 'Ann rotidE'],
    ['isolates and marks', '\u2067Ann\u2069\u200F', 'Ann'],
    ['zero-width characters', 'A\u200Bn\u200Dn\uFEFF', 'Ann'],
    ['a soft hyphen', 'An\u00ADn', 'Ann'],
    ['full-width letters', 'Ａｎｎ', 'Ann'],
    ['runs of spaces', '  Ann \u3000 Lee ', 'Ann Lee'],
  ])('removes %s from a name', (_, name, stored) => {
    expect(normalizeName(name)).toBe(stored);
  });

  it('keeps emoji joiners in text but drops bidirectional controls', () => {
    expect(normalizeBody(' I agree \u{1F469}\u200D\u{1F4BB}\u202E!  ')).toBe('I agree \u{1F469}\u200D\u{1F4BB}!');
    expect(normalizeBody('ｆｕｌｌ ｗｉｄｔｈ')).toBe('full width');
  });
});
