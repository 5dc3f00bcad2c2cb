/**
 * The judge's offline cache is written at most every 2 s (the first change at once, later ones
 * together), and at once when the page is hidden or left: at 1,000 contestants a localStorage
 * write of the whole worklist on every push took 5.7 % of a tablet's time.
 */
const INTERVAL_MS = 2_000;

interface Pending {
  key: string;
  value: () => string;
}

let pending: Pending | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastWrite = 0;
let listening = false;

function flush(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const job = pending;
  pending = null;
  if (job === null) return;
  lastWrite = Date.now();
  try {
    localStorage.setItem(job.key, job.value());
  } catch {
    // Storage full or blocked: the live worklist still works.
  }
}

/** Store `value()` under `key` soon (serialised only when written); the latest call wins. */
export function writeSoon(key: string, value: () => string): void {
  if (pending !== null && pending.key !== key) flush();
  pending = { key, value };
  if (!listening && typeof window !== 'undefined') {
    listening = true;
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
  }
  if (timer !== null) return;
  const wait = Math.max(0, lastWrite + INTERVAL_MS - Date.now());
  if (wait === 0) flush();
  else timer = setTimeout(flush, wait);
}

/** Write whatever is pending now. */
export function writeNow(): void {
  flush();
}
