/**
 * The line format of the embedded store's log file: `<crc32 hex8> <byte length> <json>\n`.
 * The checksum and length let a reader tell a complete record from a torn or corrupted one.
 */
import { crc32 } from 'node:zlib';

/** Encode one record as a framed line. */
export function encodeFrame(record: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const header = `${crc32(json).toString(16).padStart(8, '0')} ${json.length} `;
  return Buffer.concat([Buffer.from(header, 'ascii'), json, Buffer.from('\n', 'ascii')]);
}

/** The record in a line (without its '\n'), or a reason why the line is not a valid record. */
export function decodeFrame(line: Buffer): { ok: true; record: unknown } | { ok: false; reason: string } {
  const text = line.subarray(0, 32).toString('latin1');
  const match = /^([0-9a-f]{8}) (\d{1,10}) /.exec(text);
  if (!match) return { ok: false, reason: 'no valid record header' };
  const [header, crcHex = '', lengthText = ''] = match;
  const json = line.subarray(header.length);
  if (json.length !== Number(lengthText)) {
    return { ok: false, reason: `length ${json.length} instead of ${lengthText}` };
  }
  if (crc32(json).toString(16).padStart(8, '0') !== crcHex) return { ok: false, reason: 'checksum mismatch' };
  try {
    return { ok: true, record: JSON.parse(json.toString('utf8')) as unknown };
  } catch {
    return { ok: false, reason: 'checksum matches but the JSON does not parse' };
  }
}
