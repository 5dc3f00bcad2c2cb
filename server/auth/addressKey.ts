/** The key a client address is counted under by the sign-in limits. */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * IPv4 as is (also when written IPv4-mapped, `::ffff:10.0.0.7`); IPv6 by its /64 prefix, the
 * smallest block one subscriber is normally given, so one host cannot multiply its allowance by
 * walking its own prefix. Anything else (e.g. 'unknown') as is.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = (ip.toLowerCase().split('%')[0] ?? '').split('::');
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
