/**
 * What the server says about itself (GET /api/info): above all the public base URL that phones and
 * tablets on the venue network open. A page opened as http://localhost on the screen PC must not
 * put "localhost" in a QR code; the server knows its LAN address (or PUBLIC_URL).
 */
import type { ServerInfo } from '../../../shared/info.ts';

let pending: Promise<string> | undefined;

/** The public base URL (no trailing slash); the page's own origin when the server cannot say. */
export function publicBaseUrl(): Promise<string> {
  pending ??= fetch('/api/info', { headers: { accept: 'application/json' } })
    .then(async (response) => {
      if (!response.ok) throw new Error(`GET /api/info: ${response.status}`);
      const info = (await response.json()) as Partial<ServerInfo>;
      return typeof info.publicUrl === 'string' && info.publicUrl !== '' ? info.publicUrl : location.origin;
    })
    .catch((error: unknown) => {
      console.warn('public address unknown, using this page’s', error);
      pending = undefined;
      return location.origin;
    });
  return pending;
}

/** A URL as printed for typing: without "http://" (browsers add it), "https://" kept. */
export function printedUrl(url: string): string {
  return url.replace(/^http:\/\//, '');
}
