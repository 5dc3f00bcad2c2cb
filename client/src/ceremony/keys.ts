/** The keys that take one reveal step: Space, → and PageDown (what presenter clickers send). */
export const STEP_KEYS: ReadonlySet<string> = new Set([' ', 'Spacebar', 'ArrowRight', 'PageDown']);

/** True when a key press should take the next reveal step (never with a modifier held). */
export function isStepKey(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>): boolean {
  return STEP_KEYS.has(event.key) && !event.altKey && !event.ctrlKey && !event.metaKey;
}
