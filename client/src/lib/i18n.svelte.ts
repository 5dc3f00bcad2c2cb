/**
 * Translations for every Podium client: zh-CN by default, English on request, remembered per device.
 * Each app registers its own dictionary (registerDictionary) next to its code; common words live
 * in ./i18n/common.ts. `t()` is reactive: text re-renders when the language changes.
 */
import { common } from './i18n/common.ts';
import { locales, type Dictionary, type Locale } from './i18n/types.ts';

export { locales, type Dictionary, type Locale, type Messages } from './i18n/types.ts';

const STORAGE_KEY = 'podium.locale';

const state = $state<{ locale: Locale }>({ locale: initialLocale() });
const dictionaries = $state<Dictionary>({ 'zh-CN': {}, en: {} });

function isLocale(value: string | null | undefined): value is Locale {
  return value === 'zh-CN' || value === 'en';
}

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage blocked (private mode, kiosk policy): fall back to the default
  }
}

function initialLocale(): Locale {
  // ?lang=en in the address wins (handy for a big screen set up remotely) and is remembered.
  const fromUrl = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('lang');
  if (isLocale(fromUrl)) {
    remember(fromUrl);
    return fromUrl;
  }
  const stored = readStored();
  return isLocale(stored) ? stored : 'zh-CN';
}

function remember(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered on this device; the switch still works for this visit.
  }
}

/** Add an area's messages (later registrations win on equal keys). */
export function registerDictionary(dictionary: Dictionary): void {
  for (const locale of locales) Object.assign(dictionaries[locale], dictionary[locale]);
}

/** The current language (reactive). */
export function getLocale(): Locale {
  return state.locale;
}

/** Switch language and remember it on this device. */
export function setLocale(locale: Locale): void {
  state.locale = locale;
  remember(locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Translate `key`, filling `{name}` placeholders from params; falls back to zh-CN, then the key. */
export function t(key: string, params?: Record<string, string | number>): string {
  const text = dictionaries[state.locale][key] ?? dictionaries['zh-CN'][key] ?? key;
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** A whole number or plain number in the current language's style (1,234). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(state.locale, options).format(value);
}

/**
 * An exact decimal score string for display: grouping for the integer part, decimals kept exactly
 * as the server rounded them (never through a float).
 */
export function formatScore(total: string | null): string {
  if (total === null) return '—';
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(total);
  if (match === null) return total;
  const [, sign = '', whole = '0', fraction = ''] = match;
  return sign + new Intl.NumberFormat(state.locale).format(BigInt(whole)) + fraction;
}

/** Clock time (14:05:09) of a timestamp in ms. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(state.locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(ms);
}

/** Date and time of a timestamp in ms, in the current language. */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(state.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    hour12: false,
  }).format(ms);
}

/** A rank cell: the number, or "—" for a row with no placing (dns/dnf/dsq: rank null). */
export function rankCell(rank: number | null): string {
  return rank === null ? '—' : String(rank);
}

/** An ordinal rank label: "第 3 名" / "3rd". */
export function formatRank(rank: number): string {
  if (state.locale === 'zh-CN') return `第 ${rank} 名`;
  const tens = rank % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][rank % 10] ?? 'th');
  return `${rank}${suffix}`;
}

registerDictionary(common);
if (typeof document !== 'undefined') document.documentElement.lang = state.locale;
