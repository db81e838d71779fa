import { describe, expect, it } from 'vitest';
import { foldedForms, foldForMatching, normalizeBody, normalizeName } from '../../src/comments/normalize';
import { judgeComment } from '../../src/comments/rules';
import { formatCommentText } from '../../src/comments/text';
import { checkFormToken, createFormToken } from '../../src/lib/form-token';
import { ipGroup } from '../../src/lib/ip-group';

const draft = { authorName: 'Ann', authorEmail: 'ann@example.com', body: 'A fair point about trade.' };
const settings = { mode: 'first-time' as const, holdWords: ['casino', 'payday loan'], spamWords: ['viagra'] };

describe('judging a new comment', () => {
  it('follows the moderation mode', () => {
    expect(judgeComment(draft, { ...settings, mode: 'none' }, 'new')).toEqual({ status: 'approved', reason: null });
    expect(judgeComment(draft, settings, 'new')).toEqual({
      status: 'pending',
      reason: 'first comment from this address',
    });
    expect(judgeComment(draft, settings, 'proven')).toEqual({ status: 'approved', reason: null });
    expect(judgeComment(draft, settings, 'unproven')).toEqual({
      status: 'pending',
      reason: 'known address, from a browser it was never approved on',
    });
    expect(judgeComment(draft, { ...settings, mode: 'all' }, 'proven')).toEqual({
      status: 'pending',
      reason: 'moderation mode: all',
    });
  });

  it('holds two or more links and held words in any mode, and sends disallowed words to spam', () => {
    const none = { ...settings, mode: 'none' as const };
    expect(judgeComment({ ...draft, body: 'See http://a.example' }, none, 'proven').status).toBe('approved');
    expect(judgeComment({ ...draft, body: 'See http://a.example and https://b.example' }, none, 'proven')).toEqual({
      status: 'pending',
      reason: '2 links',
    });
    expect(judgeComment({ ...draft, body: 'Best PAYDAY LOAN offers' }, none, 'proven')).toEqual({
      status: 'pending',
      reason: 'held word: payday loan',
    });
    expect(judgeComment({ ...draft, authorEmail: 'viagra@spam.example' }, none, 'proven')).toEqual({
      status: 'spam',
      reason: 'disallowed word: viagra',
    });
    expect(
      judgeComment({ ...draft, body: 'Occasionally' }, { ...none, holdWords: ['casino', 'occasion'] }, 'proven').status,
    ).toBe('approved');
  });
});

describe('formatting a comment', () => {
  it('keeps paragraphs and lines and links bare URLs without trailing punctuation', () => {
    expect(formatCommentText('Dear Richard,\nThanks.\n\n\nSee https://example.org/a?b=1).')).toEqual([
      [[{ kind: 'text', text: 'Dear Richard,' }], [{ kind: 'text', text: 'Thanks.' }]],
      [
        [
          { kind: 'text', text: 'See ' },
          { kind: 'link', href: 'https://example.org/a?b=1', text: 'https://example.org/a?b=1' },
          { kind: 'text', text: ').' },
        ],
      ],
    ]);
    expect(formatCommentText('javascript:alert(1) and data:text/html,x')).toEqual([
      [[{ kind: 'text', text: 'javascript:alert(1) and data:text/html,x' }]],
    ]);
  });
});

describe('grouping client addresses', () => {
  it('uses the /24 of IPv4 and the /48 of IPv6', () => {
    expect(ipGroup('203.0.113.54')).toBe('203.0.113.0/24');
    expect(ipGroup('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48');
    expect(ipGroup('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(ipGroup('2001:DB8:1:2::')).toBe('2001:db8:1::/48');
    expect(ipGroup('::1')).toBe('0:0:0::/48');
    for (const bad of ['', 'not an ip', '1:2:3', '1::2::3', 'fffff::1']) expect(ipGroup(bad)).toBe('unknown');
  });
});

describe('the comment form token', () => {
  it('is valid for one day after it was issued, for its own form only', async () => {
    const issued = Date.UTC(2026, 0, 1);
    const token = await createFormToken('secret', 'comment:a', issued);
    // No minimum age: a cached page's token is as old as the copy, so such a rule could never hold.
    expect(await checkFormToken('secret', 'comment:a', token, issued)).toBe('valid');
    expect(await checkFormToken('secret', 'comment:a', token, issued + 86_400_000)).toBe('valid');
    expect(await checkFormToken('secret', 'comment:a', token, issued + 86_400_001)).toBe('expired');
    expect(await checkFormToken('secret', 'comment:b', token, issued + 10_000)).toBe('invalid');
    expect(await checkFormToken('other', 'comment:a', token, issued + 10_000)).toBe('invalid');
    const forged = token.replace(/^\d+/, String(issued - 1_000_000));
    expect(await checkFormToken('secret', 'comment:a', forged, issued + 10_000)).toBe('invalid');
  });
});

const noModeration = { mode: 'none' as const, holdWords: ['casino', 'payday loan'], spamWords: ['viagra'] };
const emptyDraft = { authorName: 'Ann', authorEmail: 'ann@example.com', body: '' };

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
    expect(judgeComment({ ...emptyDraft, body: `Great ${word} here` }, noModeration, 'proven').status).not.toBe(
      'approved',
    );
  });

  it('still leaves words that merely contain a listed one', () => {
    expect(
      judgeComment({ ...emptyDraft, body: 'Occasionally' }, { ...noModeration, holdWords: ['occasion'] }, 'proven')
        .status,
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

/** Every code point Unicode calls Default_Ignorable_Code_Point, and the letters that print as a blank. */
const INVISIBLE_CODE_POINTS = (() => {
  const found: string[] = [];
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    if (/\p{Default_Ignorable_Code_Point}/u.test(char)) found.push(char);
  }
  return [...found, '\u2800'];
})();

describe('invisible characters, the whole class', () => {
  const hex = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

  it('covers Unicode’s property, not a list of examples', () => {
    expect(INVISIBLE_CODE_POINTS.length).toBeGreaterThan(4000);
    for (const code of [0x2065, 0xfff0, 0xfff8, 0xe0041, 0x3164, 0x1160, 0x115f, 0xffa0, 0x2800, 0x200b, 0xfe0f]) {
      expect(INVISIBLE_CODE_POINTS).toContain(String.fromCodePoint(code));
    }
  });

  it('hides no listed word, no staff name and no duplicate, wherever one is inserted', () => {
    const missed: string[] = [];
    for (const char of INVISIBLE_CODE_POINTS) {
      if (judgeComment({ ...draft, body: `Cheap via${char}gra here` }, settings, 'proven').status !== 'spam') {
        missed.push(`word list ${hex(char)}`);
      }
      if (judgeComment({ ...draft, body: `A cas${char}ino opened` }, settings, 'proven').status !== 'pending') {
        missed.push(`held word ${hex(char)}`);
      }
      if (!foldedForms(`Mina P${char}ark`).includes(foldForMatching('Mina Park'))) missed.push(`name ${hex(char)}`);
      if (foldForMatching(`The same${char} point, made again.`) !== foldForMatching('The same point, made again.')) {
        missed.push(`duplicate ${hex(char)}`);
      }
      if (normalizeName(`Mina${char} Park`) !== 'Mina Park') missed.push(`stored name ${hex(char)}`);
    }
    expect(missed).toEqual([]);
  });
});
