/** The contestants a spectator follows, remembered on the device per competition. */

export class Follows {
  ids = $state<string[]>([]);
  readonly #key: string;

  constructor(competitionId: string) {
    this.#key = `podium.follow.${competitionId}`;
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(this.#key) ?? '[]');
      if (Array.isArray(stored)) this.ids = stored.filter((id): id is string => typeof id === 'string');
    } catch {
      this.ids = []; // unreadable or blocked storage: start with nobody followed
    }
  }

  /** Whether `id` is followed (reactive). */
  has(id: string): boolean {
    return this.ids.includes(id);
  }

  /** Follow or unfollow `id`, and remember it. */
  toggle(id: string): void {
    this.ids = this.has(id) ? this.ids.filter((x) => x !== id) : [...this.ids, id];
    try {
      localStorage.setItem(this.#key, JSON.stringify(this.ids));
    } catch {
      // Not remembered on this device; following still works for this visit.
    }
  }
}
