/**
 * A JSON read kept fresh on request: fetched when its address changes, and again when `poke()`
 * says what it depends on moved — at most once every MIN_GAP_MS, with one trailing fetch, so a
 * page following a live board costs the server a read every few seconds at most.
 */
const MIN_GAP_MS = 2_000;

export interface ThrottledReadOptions {
  /** Sent with every read (a judge's bearer token). */
  headers?: Record<string, string>;
  /** Keep showing the last value while a new address loads (`stale` says so), instead of none. */
  keepWhileLoading?: boolean;
}

export class ThrottledRead<T> {
  value = $state.raw<T | null>(null);
  /** True from a change of address until its first answer arrives. */
  stale = $state(false);
  #url: string | null = null;
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  #again = false;

  constructor(private readonly options: ThrottledReadOptions = {}) {}

  /** Read this address (null: nothing); at once when it changed. */
  ask(url: string | null): void {
    if (url === this.#url) return;
    this.#url = url;
    this.stale = true;
    if (url === null || this.options.keepWhileLoading !== true) this.value = null;
    this.#last = 0;
    this.poke();
  }

  poke(): void {
    if (this.#url === null) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    const wait = this.#last + MIN_GAP_MS - Date.now();
    if (wait > 0) {
      this.#timer ??= setTimeout(() => {
        this.#timer = null;
        this.poke();
      }, wait);
      return;
    }
    void this.#fetch();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#url = null;
  }

  async #fetch(): Promise<void> {
    const url = this.#url;
    if (url === null) return;
    this.#running = true;
    this.#last = Date.now();
    try {
      const res = await fetch(url, { headers: { accept: 'application/json', ...this.options.headers } });
      if (res.ok && url === this.#url) {
        this.value = (await res.json()) as T;
        this.stale = false;
      } else {
        // Release an answer nobody reads (refused, or for an address no longer asked).
        await res.body?.cancel();
      }
    } catch {
      // Offline for a moment: the next change asks again.
    } finally {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.poke();
      }
    }
  }
}

/** During component set-up: keep a ThrottledRead on the address `url()` gives, poked whenever `changed()` moves. */
export function followRead<T>(
  url: () => string | null,
  changed: () => unknown,
  headers: Record<string, string> = {},
): ThrottledRead<T> {
  const read = new ThrottledRead<T>({ headers });
  $effect(() => read.ask(url()));
  $effect(() => {
    changed();
    read.poke();
  });
  $effect(() => () => read.stop());
  return read;
}
