/** Sending large answers (logs, archives) page by page instead of building them in memory. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Response } from 'express';
import type { LogEntry, Store } from '../store/types.ts';

const PAGE = 1000;

/** Every log entry of a competition, oldest first, a page at a time. */
export async function* logPages(store: Store, competitionId: string): AsyncGenerator<LogEntry[]> {
  let after: string | undefined;
  for (;;) {
    const page = await store.readLog(competitionId, after, PAGE);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]?.id;
    if (page.length < PAGE) return;
  }
}

/** Stream text chunks to the response (gzipped when asked), with back-pressure. */
export async function sendChunks(res: Response, chunks: AsyncIterable<string>, gzip = false): Promise<void> {
  const source = Readable.from(chunks);
  if (gzip) await pipeline(source, createGzip(), res);
  else await pipeline(source, res);
}

/** Set the headers of a download. */
export function attachment(res: Response, type: string, filename: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
}
