/**
 * Sign-in links printed as QR codes carry an access code in the fragment (`/judge/#code=XXXX`,
 * `/leader/#code=XXXX`), so it never reaches a server or proxy log.
 */

/** The code carried by a QR sign-in link (`#code=XXXX`), or null. */
export function codeFromHash(hash: string): string | null {
  const code = new URLSearchParams(hash.replace(/^#/, '')).get('code');
  return code !== null && code.trim() !== '' ? code.trim() : null;
}

/** Remove the access code from the address bar and history, so it is not left on the screen. */
export function clearCodeFromUrl(): void {
  history.replaceState(null, '', location.pathname + location.search);
}
