/** What the spectator page tells screen readers about rank changes: a short, throttled summary. */
import type { DeltaRow } from '../../../shared/events.ts';
import type { Dictionary } from '../lib/i18n.svelte.ts';

/** At most this many names per announcement; the rest are counted. */
export const MAX_NAMED = 3;
/** At most one announcement per this many ms, so a busy board does not talk over itself. */
export const ANNOUNCE_EVERY_MS = 8_000;

export const announceMessages: Dictionary = {
  'zh-CN': {
    'watch.announce.rank': '{name} 第 {rank} 名，{total} 分',
    'watch.announce.up': '{name} 升至第 {rank} 名，{total} 分',
    'watch.announce.new': '{name} 新上榜，第 {rank} 名，{total} 分',
    'watch.announce.more': '另有 {count} 人名次变化',
    'watch.announce.region': '名次变化播报',
  },
  en: {
    'watch.announce.rank': '{name} is number {rank} with {total}',
    'watch.announce.up': '{name} rises to number {rank} with {total}',
    'watch.announce.new': '{name} enters at number {rank} with {total}',
    'watch.announce.more': '{count} more changed places',
    'watch.announce.region': 'Rank changes',
  },
};

export interface AnnouncedRow {
  id: string;
  rank: number;
  total: string;
  previousRank: number | null;
}

/** Keep the latest state of each changed row, remembering the first previous rank seen. */
export function mergeChanges(pending: Map<string, AnnouncedRow>, rows: readonly DeltaRow[]): void {
  for (const row of rows) {
    // A dns/dnf/dsq row has no place to announce.
    if (row.rank === null) continue;
    const earlier = pending.get(row.id);
    pending.set(row.id, {
      id: row.id,
      rank: row.rank,
      total: row.total,
      previousRank: earlier === undefined ? row.previousRank : earlier.previousRank,
    });
  }
}

/**
 * The summary of changed rows, best rank first: named (up to MAX_NAMED), then a count of the rest.
 * `t` translates a key with params; `name` gives a row's display name.
 */
export function announcement(
  rows: readonly AnnouncedRow[],
  name: (id: string) => string,
  t: (key: string, params: Record<string, string | number>) => string,
): string {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank);
  const parts = sorted.slice(0, MAX_NAMED).map((row) => {
    const params = { name: name(row.id), rank: row.rank, total: row.total };
    if (row.previousRank === null) return t('watch.announce.new', params);
    if (row.rank < row.previousRank) return t('watch.announce.up', params);
    return t('watch.announce.rank', params);
  });
  if (sorted.length > MAX_NAMED) parts.push(t('watch.announce.more', { count: sorted.length - MAX_NAMED }));
  return parts.join('；');
}
