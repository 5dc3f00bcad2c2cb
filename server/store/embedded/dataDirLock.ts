/**
 * A lock file that keeps two processes (or two stores in one process) from appending to the same
 * log file. A lock left by a process that no longer runs is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Take the lock of `dir`; resolves to a function that releases it. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new Error(
          `The data folder ${dir} is in use by process ${holder}${holder === process.pid ? ' (this one)' : ''}. ` +
            'The embedded store serves one process only; use Redis (REDIS_URL) to run several.',
          { cause: err },
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
