/**
 * Reading another process's CPU time and memory from /proc (Linux), so servers are measured from
 * outside without any help from their own code.
 */
import { readFileSync } from 'node:fs';

// Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux we run on.
const CLOCK_TICKS = 100;

export interface ProcSample {
  /** User + system CPU time in milliseconds since the process started. */
  cpuMs: number;
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size (VmHWM), in bytes. */
  peakRss: number;
}

/** CPU time and memory of process `pid`; throws when the process is gone. */
export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS,
    rss: kib(status, 'VmRSS') * 1024,
    peakRss: kib(status, 'VmHWM') * 1024,
  };
}

function kib(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : NaN;
}
