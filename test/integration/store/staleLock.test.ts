/**
 * The embedded store's LOCK file after a crash: a lock whose holder is gone — including one that
 * names this very PID, as after a SIGKILL in a container where the server is PID 1 at every start —
 * is taken over; a lock held by a live process is still refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../server/store/embedded/embeddedStore.ts';
import { processStart } from '../../../server/store/embedded/dataDirLock.ts';

const dirs: string[] = [];
const sleepers: ChildProcess[] = [];

async function folderLockedBy(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podium-lock-'));
  dirs.push(dir);
  await writeFile(join(dir, 'LOCK'), content);
  return dir;
}

/** A live process that is not this one. */
async function otherLiveProcess(): Promise<number> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  sleepers.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child.pid as number;
}

/** The PID of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

afterEach(async () => {
  for (const child of sleepers.splice(0)) child.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function opens(dir: string): Promise<void> {
  const store = await EmbeddedStore.open(dir);
  await store.close();
}

describe('embedded store LOCK recovery', () => {
  it('takes over a lock naming our own PID that we do not hold (regression: "in use by process 1 (this one)" after a SIGKILL in a container)', async () => {
    await opens(await folderLockedBy(String(process.pid)));
    await opens(
      await folderLockedBy(
        JSON.stringify({ pid: process.pid, host: hostname(), start: processStart(process.pid) }),
      ),
    );
  });

  it('takes over a lock whose PID now belongs to a process started later (regression: a reused PID kept the store shut)', async () => {
    const pid = await otherLiveProcess();
    const start = processStart(pid);
    expect(start).toBeTypeOf('number');
    await opens(
      await folderLockedBy(JSON.stringify({ pid, host: hostname(), start: (start as number) - 1 })),
    );
  });

  it('takes over a lock of a process that has exited', async () => {
    await opens(await folderLockedBy(String(await deadPid())));
    await opens(await folderLockedBy(JSON.stringify({ pid: await deadPid(), host: hostname() })));
  });

  it('takes over an unreadable lock', async () => {
    await opens(await folderLockedBy('garbage'));
  });

  it('still refuses a lock held by another live process (bare PID or full holder)', async () => {
    const pid = await otherLiveProcess();
    const full = await folderLockedBy(JSON.stringify({ pid, host: hostname(), start: processStart(pid) }));
    await expect(EmbeddedStore.open(full)).rejects.toThrow(`in use by process ${pid}`);
    await expect(EmbeddedStore.open(await folderLockedBy(String(pid)))).rejects.toThrow(
      `in use by process ${pid}`,
    );
  });

  it('refuses a lock written on another host, whose holder it cannot check (regression: any unparsable lock was taken over)', async () => {
    const dir = await folderLockedBy(JSON.stringify({ pid: 4242, host: 'another-machine', start: 1 }));
    await expect(EmbeddedStore.open(dir)).rejects.toThrow(/locked by process 4242 on host "another-machine"/);
  });

  it('refuses a second store on the same folder in one process, and opens again once it is closed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-lock-'));
    dirs.push(dir);
    const store = await EmbeddedStore.open(dir);
    await expect(EmbeddedStore.open(dir)).rejects.toThrow(/in use by process \d+ \(this one/);
    await store.close();
    await opens(dir);
  });
});
