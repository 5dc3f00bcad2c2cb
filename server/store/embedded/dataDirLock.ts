/**
 * A lock file that keeps two processes (or two stores in one process) from appending to the same
 * log file. A lock left behind by a process that no longer runs is taken over.
 *
 * The LOCK file names its holder: `{"pid":…,"host":…,"start":…}` — the process id, the machine's
 * host name and the process's start time (clock ticks since boot, from /proc on Linux). A PID alone
 * is not enough: in a container the server is PID 1 (or another small number) at every start, so
 * after a SIGKILL the next start finds "its own" PID in the lock. The lock is stale when
 *   - its PID is ours but this process does not hold it (a previous life in another PID namespace),
 *   - no process with its PID runs, or
 *   - a process with its PID runs but started at another time (the PID was reused).
 * A lock written on another host cannot be checked from here and is refused with a message that
 * says how to clear it (compose.yaml gives the container a fixed host name for that reason).
 * A plain PID (the older format) is checked by PID alone.
 *
 * Why not a lock library: proper-lockfile judges a lock by its age (mtime refreshed every few
 * seconds), so a restart right after a crash would wait out the stale period, and a stalled event
 * loop could lose a live lock; flock(2) needs a native add-on in Node. The holder's identity answers
 * at once and exactly on one host, which is the embedded store's only use.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** What a LOCK file says about its holder. */
export interface LockHolder {
  pid: number;
  host?: string;
  /** Process start time in clock ticks since boot (Linux), when known. */
  start?: number;
}

/** Lock paths held by stores of THIS process. */
const heldHere = new Set<string>();

/** Take the lock of `dir`; resolves to a function that releases it. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = resolve(join(dir, 'LOCK'));
  if (heldHere.has(path)) {
    throw new Error(
      `The data folder ${dir} is in use by process ${process.pid} (this one: it is already open here). ` +
        'The embedded store serves one process only; use Redis (REDIS_URL) to run several.',
    );
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(currentHolder()));
      await handle.sync();
      await handle.close();
      heldHere.add(path);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        heldHere.delete(path);
        await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = parseLock(await readFile(path, 'utf8').catch(() => ''));
      const verdict = holder === null ? 'stale' : judgeHolder(holder);
      if (verdict === 'other-host') {
        throw new Error(
          `The data folder ${dir} is locked by process ${holder?.pid} on host "${holder?.host}", ` +
            `not this host ("${hostname()}"). If Podium no longer runs there, delete ${path} and start again.`,
          { cause: err },
        );
      }
      if (verdict === 'live') {
        throw new Error(
          `The data folder ${dir} is in use by process ${holder?.pid}. ` +
            'The embedded store serves one process only; use Redis (REDIS_URL) to run several.',
          { cause: err },
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}`);
}

/** Read a LOCK file's text: the JSON holder, or a bare PID (older format); null if unreadable. */
export function parseLock(text: string): LockHolder | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value !== 'object' || value === null) return null;
    const { pid, host, start } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return null;
    return {
      pid,
      ...(typeof host === 'string' ? { host } : {}),
      ...(typeof start === 'number' ? { start } : {}),
    };
  } catch {
    return null;
  }
}

/** Whether the holder named in a lock still runs ('live'), cannot be checked, or is gone. */
export function judgeHolder(holder: LockHolder): 'live' | 'stale' | 'other-host' {
  if (holder.host !== undefined && holder.host !== hostname()) return 'other-host';
  // Not held by a store of this process (checked before): a previous life with the same PID.
  if (holder.pid === process.pid) return 'stale';
  if (!isRunning(holder.pid)) return 'stale';
  if (holder.start !== undefined) {
    const start = processStart(holder.pid);
    if (start !== undefined && start !== holder.start) return 'stale';
  }
  return 'live';
}

/** This process as a lock holder. */
export function currentHolder(): LockHolder {
  const start = processStart(process.pid);
  return { pid: process.pid, host: hostname(), ...(start === undefined ? {} : { start }) };
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), if readable. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
