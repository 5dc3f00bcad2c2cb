/** A Svelte action that flashes an element whenever its `key` changes (a row whose score moved). */
import type { Action } from 'svelte/action';

/** Flash the element's background when `key` changes after the first render. */
export const flashOnChange: Action<HTMLElement, number | undefined> = (node, key) => {
  let last = key;
  return {
    update(next) {
      if (next === last) return;
      last = next;
      // The changed row (a riser) is drawn above the rows it passes while it moves (issue #15).
      if (getComputedStyle(node).position === 'static') node.style.position = 'relative';
      node.style.zIndex = '3';
      const lower = () => {
        node.style.zIndex = '';
      };
      if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
        setTimeout(lower, 1_000);
        return;
      }
      const flash = getComputedStyle(node).getPropertyValue('--flash').trim() || 'rgba(255, 200, 0, 0.55)';
      node
        .animate([{ backgroundColor: flash }, { backgroundColor: 'transparent' }], {
          duration: 2_200,
          easing: 'ease-out',
        })
        .finished.then(lower, lower);
    },
  };
};
