/**
 * Registers the judge app's service worker (client/public/judge/sw.js), which keeps the page and its
 * assets so a reload without network still opens the app. Browsers allow service workers only in a
 * secure context (HTTPS or localhost): at http://192.168.1.20:3000 there is none, and the judge is
 * told so (marks are still kept in the IndexedDB outbox and sent when the network returns).
 */

/** Whether the offline start is available: null while the registration is being tried. */
export const offlineShell = $state<{ available: boolean | null }>({ available: null });

/** Register the service worker; sets `offlineShell.available`. */
export function registerOfflineShell(): void {
  if (!window.isSecureContext || !('serviceWorker' in navigator)) {
    offlineShell.available = false;
    return;
  }
  navigator.serviceWorker.register('/judge/sw.js', { scope: '/judge/' }).then(
    () => {
      offlineShell.available = true;
    },
    (error: unknown) => {
      offlineShell.available = false;
      console.warn('judge offline shell not installed', error);
    },
  );
}
