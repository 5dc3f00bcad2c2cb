/**
 * Service worker of the judge tablet app (scope /judge/): keeps the app shell so that a reload while
 * the venue network is down still opens the app, which then shows the marks waiting in IndexedDB.
 *  - the page (/judge/…): network first, the cached copy when the network fails or hangs;
 *  - hashed build assets (/assets/…): cache first (a new build has new names);
 *  - everything else (/socket.io/, /api/, other origins, non-GET): not touched.
 * Plain JS served as is from dist/client/judge/sw.js (client/public is copied verbatim by Vite).
 */
const CACHE = 'podium-judge-shell-v1';
const PAGE = '/judge/';
/** A network that neither answers nor fails (Wi-Fi up, uplink down) counts as down after this. */
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
  else if (request.mode === 'navigate' && url.pathname.startsWith(PAGE))
    event.respondWith(pageNetworkFirst(request));
});

/** The page and every asset it links (scripts, styles, module preloads). */
async function precache() {
  const cache = await caches.open(CACHE);
  const response = await fetch(PAGE, { cache: 'no-cache' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put(PAGE, response);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(assets)]);
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Every /judge/… address is the same single-page app, cached under /judge/. */
async function pageNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_WAIT_MS);
    if (response.ok) await cache.put(PAGE, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(PAGE);
    if (cached) return cached;
    throw error;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('network timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
