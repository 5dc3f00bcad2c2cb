/** The languages and dictionary shapes of the clients' translations (i18n.svelte.ts). */
export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

/** One dictionary: key → text with `{name}` placeholders. */
export type Messages = Record<string, string>;
export type Dictionary = Record<Locale, Messages>;
