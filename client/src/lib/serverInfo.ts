/**
 * What the server says about itself (GET /api/info): above all the public base URL that phones and
 * tablets on the venue network open. A page opened as http://localhost on the screen PC must not
 * put "localhost" in a QR code; the server knows its LAN address (or PUBLIC_URL).
 */
import type { ServerInfo } from '../../../shared/info.ts';

let pending: Promise<ServerInfo> | undefined;

/** What the server says about itself, read once per page (the page's own origin when it cannot say). */
export function serverInfo(): Promise<ServerInfo> {
  pending ??= fetch('/api/info', { headers: { accept: 'application/json' } })
    .then(async (response) => {
      if (!response.ok) throw new Error(`GET /api/info: ${response.status}`);
      const info = (await response.json()) as Partial<ServerInfo>;
      return {
        publicUrl:
          typeof info.publicUrl === 'string' && info.publicUrl !== '' ? info.publicUrl : location.origin,
        venueNode: info.venueNode === true,
      };
    })
    .catch((error: unknown) => {
      console.warn('public address unknown, using this page’s', error);
      pending = undefined;
      return { publicUrl: location.origin, venueNode: false };
    });
  return pending;
}

/** The public base URL (no trailing slash); the page's own origin when the server cannot say. */
export async function publicBaseUrl(): Promise<string> {
  return (await serverInfo()).publicUrl;
}

/** A URL as printed for typing: without "http://" (browsers add it), "https://" kept. */
export function printedUrl(url: string): string {
  return url.replace(/^http:\/\//, '');
}
