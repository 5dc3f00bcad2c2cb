/**
 * bench:page-weight — bytes each page moves over the wire on a first visit, from a real Podium
 * server (in this process, embedded store in a temp folder, 127.0.0.1): the HTML, every script,
 * style sheet, module preload and icon it links, fetched with `Accept-Encoding: br, gzip` as a
 * browser sends it, counting the response bodies as received (compressed), next to the same files
 * uncompressed. Chunks a page imports later on demand are not in a first load and not counted.
 *   npm run bench:page-weight            (needs the built clients: npm run build:client)
 * Prints one line of JSON per page and, last, a summary with the budgets of docs/BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodiumConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startPodium } from '../../server/main.ts';

/** First-load budgets in bytes over the wire (docs/BENCHMARKS.md, "Page weight"). */
export const BUDGETS: Record<string, number> = {
  '/': 40 * 1024,
  '/watch/': 120 * 1024,
  '/screen/': 80 * 1024,
  '/overlay/': 60 * 1024,
  '/judge/': 100 * 1024,
  '/admin/': 110 * 1024,
};

interface Fetched {
  status: number;
  wireBytes: number;
  encoding: string;
  cacheControl: string;
  body: Buffer;
}

function get(url: string, acceptEncoding: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          wireBytes: body.length,
          encoding: String(res.headers['content-encoding'] ?? 'identity'),
          cacheControl: String(res.headers['cache-control'] ?? ''),
          body,
        });
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end();
  });
}

/** Same-origin scripts, style sheets, module preloads and icons an HTML page links. */
function linked(html: string): string[] {
  const urls = [
    ...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*\shref="([^"]+)"/g),
  ].map((m) => m[1] ?? '');
  return [...new Set(urls.filter((u) => u.startsWith('/') && !u.startsWith('//')))];
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-weight-'));
  const config: PodiumConfig = {
    port: 0,
    host: '127.0.0.1',
    redisUrl: undefined,
    dataDir,
    allowedOrigins: [],
    publicUrl: 'http://127.0.0.1',
    coalesceMs: 100,
    trustProxy: 'loopback',
    adminUser: 'admin',
    adminPassword: 'page-weight-password',
    logLevel: 'silent',
  };
  const running = await startPodium(config, createLogger('silent'));
  const base = `http://127.0.0.1:${running.port}`;
  const pages: Array<Record<string, unknown>> = [];
  try {
    for (const page of Object.keys(BUDGETS)) {
      const html = await get(base + page, 'br, gzip');
      if (html.status !== 200) throw new Error(`${page}: HTTP ${html.status} (run npm run build:client)`);
      const plainHtml = await get(base + page, 'identity');
      const files = [
        { url: page, wire: html.wireBytes, plain: plainHtml.wireBytes, encoding: html.encoding },
      ];
      for (const url of linked(plainHtml.body.toString('utf8'))) {
        const compressed = await get(base + url, 'br, gzip');
        const plain = await get(base + url, 'identity');
        if (compressed.status !== 200) throw new Error(`${url}: HTTP ${compressed.status}`);
        files.push({
          url,
          wire: compressed.wireBytes,
          plain: plain.wireBytes,
          encoding: compressed.encoding,
        });
      }
      const wireBytes = files.reduce((n, f) => n + f.wire, 0);
      const result = {
        page,
        requests: files.length,
        wireBytes,
        uncompressedBytes: files.reduce((n, f) => n + f.plain, 0),
        budgetBytes: BUDGETS[page],
        withinBudget: wireBytes <= (BUDGETS[page] ?? 0),
        largest: [...files].sort((a, b) => b.wire - a.wire).slice(0, 3),
      };
      pages.push(result);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  } finally {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const summary = Object.fromEntries(
    pages.map((p) => [
      p['page'],
      { wireKiB: Math.round((Number(p['wireBytes']) / 1024) * 10) / 10, withinBudget: p['withinBudget'] },
    ]),
  );
  process.stdout.write(
    `${JSON.stringify({ bench: 'page-weight', pages: summary, allWithinBudget: pages.every((p) => p['withinBudget']) })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`page-weight failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
