/**
 * Registers the judge app's service worker (client/public/judge/sw.js), which keeps the page and its
 * assets so a reload without network still opens the app. Browsers allow service workers only on
 * HTTPS or localhost; elsewhere the app works as before, without the offline reload.
 */
export function registerOfflineShell(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register('/judge/sw.js', { scope: '/judge/' })
    .catch((error: unknown) => console.warn('judge offline shell not installed', error));
}
