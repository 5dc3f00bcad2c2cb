/**
 * A value shown `ms` later than it happened, so an overlay stays in step with a delayed video
 * stream. Each change is replayed after the delay, in order. Create during component set-up.
 */
export class Delayed<T> {
  current = $state.raw<T>() as T;

  constructor(read: () => T, ms: number) {
    this.current = read();
    $effect(() => {
      const value = read();
      if (ms <= 0) {
        this.current = value;
        return;
      }
      // No cleanup: a pending change must still be shown after the next one arrives.
      setTimeout(() => {
        this.current = value;
      }, ms);
    });
  }
}
