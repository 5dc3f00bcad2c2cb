/** A Svelte action that flashes an element whenever its `key` changes (a row whose score moved). */
import type { Action } from 'svelte/action';

/** Flash the element's background when `key` changes after the first render. */
export const flashOnChange: Action<HTMLElement, number | undefined> = (node, key) => {
  let last = key;
  return {
    update(next) {
      if (next === last) return;
      last = next;
      if (matchMedia('(prefers-reduced-motion: reduce)').matches) return;
      const flash = getComputedStyle(node).getPropertyValue('--flash').trim() || 'rgba(255, 200, 0, 0.55)';
      node.animate([{ backgroundColor: flash }, { backgroundColor: 'transparent' }], {
        duration: 2_200,
        easing: 'ease-out',
      });
    },
  };
};
