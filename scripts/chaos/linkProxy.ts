/**
 * A venue's line to the hub as a loopback TCP proxy the chaos run can cut (every open connection
 * destroyed, new ones refused at once) and restore. No network namespaces needed.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class LinkProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private cut = false;
  cuts = 0;

  private constructor(private readonly target: () => number) {
    this.server = createServer((client) => {
      if (this.cut) {
        client.destroy();
        return;
      }
      const upstream = createConnection({ host: '127.0.0.1', port: this.target() });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  /** A proxy on a port the OS chooses, forwarding to 127.0.0.1:target(). */
  static async open(target: () => number): Promise<LinkProxy> {
    const proxy = new LinkProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Pull the plug: open connections die, new ones are refused until restore(). */
  sever(): void {
    if (this.cut) return;
    this.cut = true;
    this.cuts++;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cut = false;
  }

  get severed(): boolean {
    return this.cut;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
