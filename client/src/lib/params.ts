/** Reading page parameters from the address (?c=…&e=…&r=…). */

/** A query parameter, or null when missing or empty. */
export function param(name: string): string | null {
  const value = new URLSearchParams(location.search).get(name);
  return value === null || value.trim() === '' ? null : value.trim();
}

/** A whole-number query parameter within [min, max], or the fallback. */
export function intParam(name: string, fallback: number, min: number, max: number): number {
  const raw = param(name);
  const value = raw === null ? NaN : Number(raw);
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** A page address with query parameters, skipping null ones. */
export function pageUrl(path: string, params: Record<string, string | number | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null) query.set(key, String(value));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
