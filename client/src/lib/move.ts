/**
 * Rank-change animation without layout reads: a row that stays on screen but changes its place
 * slides from where it was, computed from the change of index alone (rows have a fixed height,
 * so `translateY(d × (100% + gap))` is where it stood). Rows that did not move are left alone;
 * a rising row is drawn above the rows it passes. Replaces animate:flip, which measured every row
 * with getBoundingClientRect on every update.
 */
import type { Action } from 'svelte/action';

export interface MoveParams {
  /** The row's position in the list (0-based). */
  index: number;
  /** The gap between rows, as CSS length (e.g. "0.35rem"). */
  gap: string;
  /** Animation length (ms). */
  duration: number;
}

/** Slide the element from its previous index when the index changes; marks it `.moving` (and `.rising`) meanwhile. */
export const moveOnRankChange: Action<HTMLElement, MoveParams> = (node, params) => {
  let last = params.index;
  let running: Animation | null = null;
  return {
    update(next) {
      const d = last - next.index;
      last = next.index;
      if (d === 0 || matchMedia('(prefers-reduced-motion: reduce)').matches) return;
      running?.cancel();
      node.classList.add('moving');
      node.classList.toggle('rising', d > 0);
      const animation = node.animate(
        [{ transform: `translateY(calc(${d} * (100% + ${next.gap})))` }, { transform: 'none' }],
        { duration: next.duration, easing: 'cubic-bezier(0.2, 0.8, 0.2, 1)' },
      );
      running = animation;
      const done = (): void => {
        if (running !== animation) return;
        running = null;
        node.classList.remove('moving', 'rising');
      };
      animation.onfinish = done;
      animation.oncancel = done;
    },
    destroy() {
      running?.cancel();
    },
  };
};
