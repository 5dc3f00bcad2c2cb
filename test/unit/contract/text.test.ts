/** The shared text rules: names with something to see (issue #12), ids that can be object keys. */
import { describe, expect, it } from 'vitest';
import { idSchema, safeText } from '../../../shared/text.ts';

const name = safeText(100);

describe('names must show something (issue #12: names of only invisible characters were accepted)', () => {
  it.each([
    ['zero-width space', '\u200B'],
    ['Hangul filler', '\u3164'],
    ['Hangul choseong filler', '\u115F'],
    ['Hangul jungseong filler', '\u1160'],
    ['half-width Hangul filler', '\uFFA0'],
    ['byte order mark', '\uFEFF'],
    ['word joiner', '\u2060'],
    ['Mongolian vowel separator', '\u180E'],
    ['variation selector', '\uFE0F'],
    ['tag character', '\u{E0041}'],
    ['blank braille pattern', '\u2800'],
    ['combining accent alone', '\u0301'],
    ['zero-width joiners', '\u200D\u200C'],
    ['a mix of invisibles and spaces', ' \u200B\u3000\u3164\uFEFF '],
  ])('refuses a name made only of %s', (_what, text) => {
    const parsed = name.safeParse(text);
    expect(parsed.success).toBe(false);
  });

  it.each(['张三', 'Zoë', 'a\u200Bb', '👩‍🔧', '\u3164张三', 'O\u0301scar', '李 四'])('accepts %j', (text) => {
    expect(name.safeParse(text).success).toBe(true);
  });

  it('says why', () => {
    const parsed = name.safeParse('\u3164\u3164');
    expect(parsed.success ? '' : parsed.error.issues[0]?.message).toMatch(/visible character/);
  });
});

describe('ids (issue #12: a judge with id "__proto__" got ok acks for marks never stored)', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses %j with a clear message', (id) => {
    const parsed = idSchema.safeParse(id);
    expect(parsed.success).toBe(false);
    expect(parsed.success ? '' : parsed.error.issues[0]?.message).toMatch(/reserved/);
  });

  it.each(['toString', 'valueOf', 'hasOwnProperty', '__proto', 'proto__', 'Constructor', 'j1'])(
    'accepts %j',
    (id) => {
      expect(idSchema.safeParse(id).success).toBe(true);
    },
  );
});
