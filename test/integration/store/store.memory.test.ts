/** The store contract against MemoryStore (in process, nothing persisted). */
import { MemoryStore } from '../../../server/store/memory/memoryStore.ts';
import { storeContract } from './contract.ts';

storeContract('Memory', async () => {
  const store = new MemoryStore();
  return { store, competitionId: 'memory-contract', dispose: () => store.close() };
});
