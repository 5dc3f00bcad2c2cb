/**
 * The addresses other devices use to reach this server: PUBLIC_URL when set, else this machine's
 * LAN address. Pure functions over an interfaces table (os.networkInterfaces() by default), so the
 * choice is tested without touching the network.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** The shape of os.networkInterfaces(). */
export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Where the public base URL came from: the PUBLIC_URL setting, a LAN address, or only loopback. */
export type PublicUrlSource = 'setting' | 'lan' | 'loopback';

/** This machine's non-internal IPv4 addresses, in the order the system lists them. */
export function lanAddresses(table: InterfaceTable = networkInterfaces()): string[] {
  return Object.values(table)
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

/** The first non-internal IPv4 address (what tablets on the venue network can reach), if any. */
export function lanAddress(table: InterfaceTable = networkInterfaces()): string | undefined {
  return lanAddresses(table)[0];
}

/**
 * The base URL printed links, QR codes and login cards carry: `publicUrl` (without a trailing
 * slash) when given, else `<scheme>://<first LAN address>:<port>`, else localhost (and the caller
 * should warn: no other device can open that).
 */
export function publicBaseUrl(options: {
  publicUrl?: string | undefined;
  tls: boolean;
  port: number;
  interfaces?: InterfaceTable;
}): { url: string; source: PublicUrlSource } {
  if (options.publicUrl !== undefined)
    return { url: options.publicUrl.replace(/\/+$/, ''), source: 'setting' };
  const scheme = options.tls ? 'https' : 'http';
  const lan = lanAddress(options.interfaces ?? networkInterfaces());
  if (lan !== undefined) return { url: `${scheme}://${lan}:${options.port}`, source: 'lan' };
  return { url: `${scheme}://localhost:${options.port}`, source: 'loopback' };
}
