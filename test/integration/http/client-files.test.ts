/**
 * The built clients as the server sends them (server/clientFiles.ts over a folder precompressed by
 * the build plugin, scripts/build/precompress.ts): brotli or gzip as the browser accepts, hashed
 * assets cacheable for a year, pages revalidated. Regression: JavaScript was sent uncompressed
 * (the spectator page moved 339 KB) with a one-hour cache for everything.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressFolder } from '../../../scripts/build/precompress.ts';
import { clientFiles, IMMUTABLE } from '../../../server/clientFiles.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let dir: string;
let server: Server;
let base: string;
const script = `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ rank: i, name: `选手 ${i}` })))};\n`;

function get(path: string, acceptEncoding?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'podium-client-files-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'watch'));
  writeFileSync(join(dir, 'assets', 'watch-AbC123.js'), script);
  writeFileSync(
    join(dir, 'watch', 'index.html'),
    `<!doctype html><title>x</title>${'<p>Podium</p>'.repeat(200)}`,
  );
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  precompressFolder(dir);
  const app = express();
  app.use(clientFiles(dir));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('client files', () => {
  it('sends scripts brotli-compressed to a browser that accepts it, cacheable for a year', async () => {
    const answer = await get('/assets/watch-AbC123.js', 'gzip, deflate, br, zstd');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(answer.headers['cache-control']).toBe(IMMUTABLE);
    expect(answer.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(answer.body).toString('utf8')).toBe(script);
    expect(answer.body.length).toBeLessThan(Buffer.byteLength(script) / 3);
  });

  it('falls back to gzip, then to the plain file, by what the request accepts', async () => {
    const gz = await get('/assets/watch-AbC123.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(script);
    const refused = await get('/assets/watch-AbC123.js', 'br;q=0, gzip;q=0');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString('utf8')).toBe(script);
    const plain = await get('/assets/watch-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('revalidates pages and other files on each use', async () => {
    const page = await get('/watch/', 'br');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const icon = await get('/favicon.svg', 'br');
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('never serves a file outside the folder', async () => {
    const answer = await get('/assets/..%2f..%2fetc%2fpasswd', 'br');
    expect(answer.status).not.toBe(200);
  });
});
