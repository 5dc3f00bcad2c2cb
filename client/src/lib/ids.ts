/**
 * Random ids for operations (opIds) and new records. `crypto.randomUUID` exists only in secure
 * contexts (HTTPS or localhost): a tablet that opened Podium at http://192.168.1.20:3000 has none,
 * so ids are built from `crypto.getRandomValues`, which every context has.
 */

/** A random RFC 4122 version-4 UUID ("3b1f…-4…-a…"), 122 random bits. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // Version 4 and the RFC 4122 variant, as randomUUID would set them.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
