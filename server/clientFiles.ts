/**
 * Static files of the built clients (dist/client): compressed and cacheable.
 *  - The build writes brotli and gzip copies beside each text file (scripts/build/precompress.ts);
 *    a browser that accepts them gets the copy with its Content-Encoding (brotli first).
 *  - Hashed build assets (/assets/…) never change under their name: cached for a year, immutable.
 *    Everything else (pages, the service worker, the favicon) is revalidated on each use (ETag).
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** Cache-Control of hashed build assets. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|webmanifest)$/;
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Cache-Control (and Vary) for a file served from the client folder. */
function cacheHeaders(res: Response, urlPath: string, file: string): void {
  res.setHeader('Cache-Control', urlPath.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
  if (COMPRESSIBLE.test(file)) res.vary('Accept-Encoding');
}

/** The encodings a request accepts, in our order of preference (q=0 refuses one). */
function accepted(req: Request): Array<(typeof ENCODINGS)[number]> {
  const header = String(req.headers['accept-encoding'] ?? '').toLowerCase();
  const offered = new Map(
    header.split(',').map((part) => {
      const [name = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return [name.trim(), q === undefined ? 1 : Number(q)] as const;
    }),
  );
  return ENCODINGS.filter((e) => (offered.get(e.name) ?? 0) > 0);
}

/** Serve `dir` (the built clients) with precompressed copies and the cache policy above. */
export function clientFiles(dir: string): RequestHandler {
  const root = resolve(dir);
  const plain = express.static(root, {
    index: 'index.html',
    fallthrough: true,
    cacheControl: false,
    setHeaders: (res, file) => cacheHeaders(res, res.req.path, file),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      plain(req, res, next);
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      plain(req, res, next); // express.static answers a malformed path itself
      return;
    }
    const file = resolve(root, `.${path}`);
    const inside = file.startsWith(root + sep);
    const encoding =
      inside && COMPRESSIBLE.test(file)
        ? accepted(req).find((e) => existsSync(file + e.suffix) && statSync(file).isFile())
        : undefined;
    if (encoding === undefined) {
      plain(req, res, next);
      return;
    }
    cacheHeaders(res, path, file);
    res.setHeader('Content-Encoding', encoding.name);
    res.type(extname(file));
    res.sendFile(file + encoding.suffix, { cacheControl: false, dotfiles: 'deny' }, (err) => {
      if (err === undefined || res.headersSent) return;
      res.removeHeader('Content-Encoding');
      next(err);
    });
  };
}
