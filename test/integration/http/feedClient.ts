/** A real HTTP client of the event feed for tests: reads NDJSON lines as they arrive. */
import type { FeedLine } from '../../../shared/feed.ts';

export interface FeedReader {
  status: number;
  /** Parsed lines, in arrival order. */
  lines: FeedLine[];
  /** Keep-alive (empty) lines seen. */
  blanks: number;
  /** Tokens seen, in order. */
  tokens(): string[];
  close(): void;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
}

/** Open `url` and collect its lines until `close()`. */
export async function openFeed(url: string, headers: Record<string, string> = {}): Promise<FeedReader> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers });
  const reader: FeedReader = {
    status: res.status,
    lines: [],
    blanks: 0,
    tokens: () => reader.lines.flatMap((l) => (l.token === null ? [] : [l.token])),
    close: () => abort.abort(),
    ended: Promise.resolve(),
  };
  if (res.status !== 200 || res.body === null) {
    await res.body?.cancel();
    return reader;
  }
  const body = res.body.pipeThrough(new TextDecoderStream()).getReader();
  reader.ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await body.read();
        if (done) return;
        buffer += value;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim() === '') reader.blanks += 1;
          else reader.lines.push(JSON.parse(line) as FeedLine);
          nl = buffer.indexOf('\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return reader;
}
