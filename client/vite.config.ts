/**
 * Vite build of the Podium clients: one multi-page app rooted at client/, built into dist/client.
 * Pages whose HTML does not exist yet (judge/, admin/ while being written) are simply left out.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { precompress } from '../scripts/build/precompress.ts';

const root = dirname(fileURLToPath(import.meta.url));
const pages = [
  'index.html',
  'judge/index.html',
  'screen/index.html',
  'watch/index.html',
  'admin/index.html',
  'overlay/index.html',
  'ceremony/index.html',
  'print/index.html',
  'verify/index.html',
  'leader/index.html',
];

/** Rollup inputs keyed by page name ("main" for the landing page). */
function pageInputs(): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const page of pages) {
    const file = resolve(root, page);
    if (existsSync(file)) inputs[page === 'index.html' ? 'main' : dirname(page)] = file;
  }
  return inputs;
}

const server = process.env['PODIUM_DEV_SERVER'] ?? 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [svelte(), precompress()],
  build: {
    outDir: resolve(root, '../dist/client'),
    emptyOutDir: true,
    rollupOptions: { input: pageInputs() },
  },
  server: {
    // shared/ lives beside client/: let the dev server read it.
    fs: { allow: [resolve(root, '..')] },
    proxy: {
      '/socket.io': { target: server, ws: true },
      '/api': { target: server },
    },
  },
});
