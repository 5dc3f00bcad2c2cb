/**
 * Registers the judge app's service worker (client/public/judge/sw.js), which keeps the page and its
 * assets so a reload without network still opens the app. Browsers allow service workers only in a
 * secure context (HTTPS or localhost): at http://192.168.1.20:3000 there is none, and the judge is
 * told so (marks are still kept in the IndexedDB outbox and sent when the network returns).
 */

/**
 * Whether the offline start is available (null while the registration is being tried), and if not,
 * why: 'insecure' (plain HTTP on a network address) or 'failed' (the browser refused it).
 */
export const offlineShell = $state<{ available: boolean | null; reason: 'insecure' | 'failed' | null }>({
  available: null,
  reason: null,
});

/** Register the service worker; sets `offlineShell.available`. */
export function registerOfflineShell(): void {
  if (!window.isSecureContext || !('serviceWorker' in navigator)) {
    offlineShell.available = false;
    offlineShell.reason = window.isSecureContext ? 'failed' : 'insecure';
    return;
  }
  navigator.serviceWorker.register('/judge/sw.js', { scope: '/judge/' }).then(
    () => {
      offlineShell.available = true;
    },
    (error: unknown) => {
      offlineShell.available = false;
      offlineShell.reason = 'failed';
      console.warn('judge offline shell not installed', error);
    },
  );
}
