/** Download file names that say what the file holds: competition, event, round, board. */
import type { Response } from 'express';

/** Characters no file system accepts (and quotes, which would end the header's filename). */
const UNSAFE = /[\\/:*?"<>|\p{Cc}\p{Cf}]+/gu;

/** "焊工大赛_焊工_决赛_个人.csv" from its parts; empty parts are left out, unsafe characters become "-". */
export function downloadName(parts: ReadonlyArray<string | null | undefined>, extension: string): string {
  const words = parts
    .filter((p): p is string => p !== null && p !== undefined && p.trim() !== '')
    .map((p) => p.trim().replace(UNSAFE, '-').replace(/\s+/g, ' '));
  return `${words.join('_').slice(0, 150)}.${extension}`;
}

/**
 * Headers of a download named `name`: an ASCII fallback for old clients and the UTF-8 name
 * (RFC 6266 / 5987), so Chinese names survive.
 */
export function namedAttachment(res: Response, type: string, name: string): void {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.setHeader('Content-Type', type);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  res.setHeader('Cache-Control', 'no-store');
}
