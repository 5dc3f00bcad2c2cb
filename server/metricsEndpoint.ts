/**
 * Where Prometheus reads /metrics: on the public port (the default, for a venue LAN), or — with
 * PODIUM_METRICS_PORT — only on a separate port that a firewall or a container network keeps
 * private. PODIUM_METRICS_TOKEN additionally asks for `Authorization: Bearer <token>` on either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** Answer one request for the metrics (any path but /metrics is 404 on the metrics port). */
export function serveMetrics(
  registry: Registry,
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' }).end('unauthorized');
    return;
  }
  registry.metrics().then(
    (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
    () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics failed'),
  );
}

/** A plain HTTP server with only GET /metrics, listening on host:port; resolves once listening. */
export async function startMetricsServer(
  registry: Registry,
  options: { host: string; port: number; token: string | undefined },
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    serveMetrics(registry, options.token, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : options.port };
}

/** Constant-time check of an `Authorization: Bearer <token>` header. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
