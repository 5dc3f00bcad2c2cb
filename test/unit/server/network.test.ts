/**
 * The public base URL that QR codes, login cards and printed links carry: PUBLIC_URL, else the
 * first non-internal IPv4 address, else localhost (with a warning). Fake interface tables only.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { loopbackWarning } from '../../../server/main.ts';
import { lanAddress, publicBaseUrl, type InterfaceTable } from '../../../server/network.ts';

function nic(address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo {
  const base = { address, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...base, family } : { ...base, family, scopeid: 0 };
}

const venue: InterfaceTable = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  docker0: undefined,
  wlan0: [nic('fe80::1', 'IPv6', false), nic('192.168.1.20', 'IPv4', false)],
  eth1: [nic('10.0.0.5', 'IPv4', false)],
};
const loopbackOnly: InterfaceTable = { lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)] };

describe('the LAN address picker (regression: QR codes and judge cards said localhost)', () => {
  it('picks the first non-internal IPv4 address, skipping loopback and IPv6', () => {
    expect(lanAddress(venue)).toBe('192.168.1.20');
  });

  it('finds none on a machine with only loopback', () => {
    expect(lanAddress(loopbackOnly)).toBeUndefined();
    expect(lanAddress({})).toBeUndefined();
  });

  it('uses PUBLIC_URL first, without a trailing slash', () => {
    expect(
      publicBaseUrl({ publicUrl: 'https://score.example.org/', tls: false, port: 3000, interfaces: venue }),
    ).toEqual({ url: 'https://score.example.org', source: 'setting' });
  });

  it('else the LAN address on the port, https when Podium serves TLS', () => {
    expect(publicBaseUrl({ tls: false, port: 3000, interfaces: venue })).toEqual({
      url: 'http://192.168.1.20:3000',
      source: 'lan',
    });
    expect(publicBaseUrl({ tls: true, port: 8443, interfaces: venue }).url).toBe('https://192.168.1.20:8443');
  });

  it('else localhost, which the console warns about', () => {
    const base = publicBaseUrl({ tls: false, port: 3000, interfaces: loopbackOnly });
    expect(base).toEqual({ url: 'http://localhost:3000', source: 'loopback' });
    expect(loopbackWarning({ publicUrlSource: base.source })).toMatch(/cannot open Podium/);
    expect(loopbackWarning({ publicUrlSource: 'lan' })).toBeNull();
  });
});

describe('HTTPS settings', () => {
  it('needs both the certificate and the key', () => {
    expect(() => loadConfig({ PODIUM_TLS_CERT: '/etc/podium/cert.pem' })).toThrow(/PODIUM_TLS_KEY/);
    const config = loadConfig({
      PODIUM_TLS_CERT: '/etc/podium/cert.pem',
      PODIUM_TLS_KEY: '/etc/podium/key.pem',
      PUBLIC_URL: 'https://podium.venue.example',
    });
    expect(config.tls).toEqual({ certFile: '/etc/podium/cert.pem', keyFile: '/etc/podium/key.pem' });
    expect(config.publicUrl).toBe('https://podium.venue.example');
    expect(loadConfig({}).tls).toBeUndefined();
  });
});
