/**
 * The viewers of bench:viewer-memory, in their own process so they do not count in the server's
 * heap: on {type:'connect', base, count, competitionId, board} it connects `count` more lean
 * viewers (scripts/bench/fanout/lean-client.ts) and answers {type:'connected'} once all have
 * their snapshot.
 */
import { FrameCache, LeanViewer } from './fanout/lean-client.ts';

interface ConnectMessage {
  type: 'connect';
  base: string;
  count: number;
  competitionId: string;
  board: string;
}

const CONCURRENCY = 100;
const viewers: LeanViewer[] = [];
const cache = new FrameCache();

process.on('message', (m: ConnectMessage) => {
  if (m.type !== 'connect') return;
  let left = m.count;
  const lane = async (): Promise<void> => {
    while (left > 0) {
      left--;
      const viewer = new LeanViewer({
        base: m.base,
        competitionId: m.competitionId,
        board: m.board,
        cache,
        onDelta: () => undefined,
      });
      viewers.push(viewer);
      await viewer.ready;
    }
  };
  Promise.all(Array.from({ length: CONCURRENCY }, lane)).then(
    () => process.send?.({ type: 'connected' }),
    (err: unknown) => process.send?.({ type: 'connected', error: String(err) }),
  );
});
