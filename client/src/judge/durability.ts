/**
 * Asks the browser to keep this site's storage (the IndexedDB outbox) even under storage pressure,
 * so marks waiting to be sent are never evicted. `navigator.storage` exists only in secure contexts;
 * elsewhere the request is skipped (best-effort storage, which browsers rarely evict while in use).
 */
export function requestPersistentStorage(): void {
  // In an insecure context StorageManager is absent although the type says otherwise.
  const storage = navigator.storage as StorageManager | undefined;
  if (storage === undefined || typeof storage.persist !== 'function') return;
  storage.persist().catch((error: unknown) => console.warn('persistent storage not granted', error));
}
