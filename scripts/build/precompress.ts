/**
 * Vite plugin: after the client build, write a brotli (.br, quality 11) and a gzip (.gz, level 9)
 * copy next to every text file of 1 KiB or more in the output folder, so the server sends
 * compressed files without compressing on each request (server/clientFiles.ts).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Files worth compressing: text formats only (images and fonts are compressed already). */
export const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|webmanifest)$/;
const MIN_BYTES = 1024;

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** Compress every compressible file of `dir` in place (adds .br and .gz beside it). */
export function precompressFolder(dir: string): { files: number; bytes: number; brotli: number } {
  const totals = { files: 0, bytes: 0, brotli: 0 };
  for (const path of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(path) || statSync(path).size < MIN_BYTES) continue;
    const data = readFileSync(path);
    const br = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(data, { level: 9 });
    // A copy that is not smaller is not worth a Content-Encoding.
    if (br.length < data.length) writeFileSync(`${path}.br`, br);
    if (gz.length < data.length) writeFileSync(`${path}.gz`, gz);
    totals.files += 1;
    totals.bytes += data.length;
    totals.brotli += Math.min(br.length, data.length);
  }
  return totals;
}

/** The Vite plugin (build only). */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'podium-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const { files, bytes, brotli } = precompressFolder(outDir);
      this.info(`precompressed ${files} files: ${bytes} bytes → ${brotli} bytes with brotli`);
    },
  };
}
