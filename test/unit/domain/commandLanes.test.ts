/**
 * CommandLanes on commands whose every phase the test finishes by hand: who may plan, who may be
 * in flight, who publishes when, and what a failure leaves behind.
 */
import { describe, expect, it } from 'vitest';
import { CommandLanes, type PipelinedCommand } from '../../../server/domain/commandLanes.ts';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise reaction run (all microtasks drain before the next macrotask). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What the commands of one test did, in order, and how many overlapped. */
class Recorder {
  readonly log: string[] = [];
  preparing = 0;
  maxPreparing = 0;
  /** Commands between the start of their prepare and the end of their publish. */
  inFlight = 0;
  maxInFlight = 0;

  /** The order in which commands entered `phase` ("prepare", "settle", "publish"). */
  order(phase: string): string[] {
    return this.log.filter((e) => e.endsWith(` ${phase}`)).map((e) => e.split(' ')[0] ?? '');
  }
}

type Phase = 'prepare' | 'settle' | 'publish';

/** A pipelined command whose phases each wait for the test (or not, when listed in `auto`). */
class Probe {
  readonly gates: Record<Phase, Deferred> = {
    prepare: deferred(),
    settle: deferred(),
    publish: deferred(),
  };
  /** What the caller of lanes.pipelined eventually got. */
  outcome: { ok: true; value: string } | { ok: false; error: Error } | null = null;

  constructor(
    private readonly rec: Recorder,
    readonly name: string,
    auto: Phase[] = [],
  ) {
    for (const phase of auto) this.gates[phase].resolve();
  }

  readonly command: PipelinedCommand<string, string, string> = {
    prepare: async () => {
      this.rec.inFlight++;
      this.rec.maxInFlight = Math.max(this.rec.maxInFlight, this.rec.inFlight);
      this.rec.preparing++;
      this.rec.maxPreparing = Math.max(this.rec.maxPreparing, this.rec.preparing);
      this.rec.log.push(`${this.name} prepare`);
      try {
        await this.gates.prepare.promise;
      } catch (err) {
        this.rec.inFlight--;
        throw err;
      } finally {
        this.rec.preparing--;
      }
      this.rec.log.push(`${this.name} prepared`);
      return `${this.name}:planned`;
    },
    settle: async (prepared) => {
      this.rec.log.push(`${this.name} settle`);
      try {
        await this.gates.settle.promise;
      } catch (err) {
        this.rec.inFlight--;
        throw err;
      }
      this.rec.log.push(`${this.name} settled`);
      return `${prepared}:settled`;
    },
    publish: async (settled) => {
      this.rec.log.push(`${this.name} publish`);
      await this.gates.publish.promise;
      this.rec.log.push(`${this.name} published`);
      this.rec.inFlight--;
      return `${settled}:published`;
    },
  };

  /** Hand the command to the lanes; its result is recorded in `outcome`. */
  run(lanes: CommandLanes, competitionId = 'c'): Promise<void> {
    return lanes.pipelined(competitionId, this.command).then(
      (value) => {
        this.outcome = { ok: true, value };
      },
      (error: Error) => {
        this.outcome = { ok: false, error };
      },
    );
  }
}

function probes(rec: Recorder, names: string[], auto: Phase[] = []): Probe[] {
  return names.map((name) => new Probe(rec, name, auto));
}

describe('CommandLanes', () => {
  it('prepares one command at a time, in arrival order', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(32);
    const all = probes(rec, ['A', 'B', 'C', 'D', 'E'], ['settle', 'publish']);
    const running = all.map((p) => p.run(lanes));
    for (const [i, probe] of all.entries()) {
      await flush();
      // Only this command has started preparing; the ones behind it wait however long it takes.
      expect(rec.order('prepare')).toEqual(all.slice(0, i + 1).map((p) => p.name));
      expect(rec.preparing).toBe(1);
      probe.gates.prepare.resolve();
    }
    await Promise.all(running);
    expect(rec.maxPreparing).toBe(1);
    expect(rec.order('publish')).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(all.map((p) => p.outcome)).toEqual(
      all.map((p) => ({ ok: true, value: `${p.name}:planned:settled:published` })),
    );
  });

  it('lets the next command prepare while an earlier one is still settling', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(32);
    const [a, b] = probes(rec, ['A', 'B'], ['prepare', 'publish']);
    if (!a || !b) throw new Error('two probes');
    const running = [a.run(lanes), b.run(lanes)];
    await flush();
    // A's commit is on its way (settle pending); B has planned and is settling beside it.
    expect(rec.log).toEqual(['A prepare', 'A prepared', 'A settle', 'B prepare', 'B prepared', 'B settle']);
    a.gates.settle.resolve();
    b.gates.settle.resolve();
    await Promise.all(running);
    expect(rec.order('publish')).toEqual(['A', 'B']);
  });

  it('publishes in planning order even when the commits settle in reverse', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(32);
    const all = probes(rec, ['A', 'B', 'C', 'D'], ['prepare', 'publish']);
    const running = all.map((p) => p.run(lanes));
    await flush();
    expect(rec.order('settle')).toEqual(['A', 'B', 'C', 'D']);
    for (const probe of [...all].reverse().slice(0, 3)) {
      probe.gates.settle.resolve();
      await flush();
    }
    // D, C and B have settled, but nothing may be published before A.
    expect(rec.order('settled')).toEqual(['D', 'C', 'B']);
    expect(rec.order('publish')).toEqual([]);
    expect(all.map((p) => p.outcome)).toEqual([null, null, null, null]);
    all[0]?.gates.settle.resolve();
    await Promise.all(running);
    expect(rec.order('publish')).toEqual(['A', 'B', 'C', 'D']);
  });

  it('waits for a slow publish before publishing the next command', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(32);
    const [a, b] = probes(rec, ['A', 'B'], ['prepare', 'settle']);
    if (!a || !b) throw new Error('two probes');
    const running = [a.run(lanes), b.run(lanes)];
    await flush();
    expect(rec.order('publish')).toEqual(['A']);
    a.gates.publish.resolve();
    b.gates.publish.resolve();
    await Promise.all(running);
    expect(rec.log.slice(-3)).toEqual(['A published', 'B publish', 'B published']);
  });

  it('runs an exclusive task after every earlier command published, and later commands after it', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(32);
    const [a, b, c] = probes(rec, ['A', 'B', 'C'], ['prepare', 'publish']);
    if (!a || !b || !c) throw new Error('three probes');
    const task = deferred();
    const running = [a.run(lanes), b.run(lanes)];
    const exclusive = lanes.exclusive('c', async () => {
      rec.log.push('X start');
      await task.promise;
      rec.log.push('X end');
      return 'X result';
    });
    running.push(c.run(lanes));
    await flush();
    expect(rec.log).not.toContain('X start');
    b.gates.settle.resolve();
    await flush();
    // B settled but may not publish before A: the exclusive task still waits.
    expect(rec.log).not.toContain('X start');
    a.gates.settle.resolve();
    await flush();
    expect(rec.log.slice(-5)).toEqual(['A publish', 'A published', 'B publish', 'B published', 'X start']);
    // C arrived after the exclusive task: it does not even plan while the task runs.
    expect(rec.order('prepare')).toEqual(['A', 'B']);
    task.resolve();
    c.gates.settle.resolve();
    await Promise.all(running);
    expect(await exclusive).toBe('X result');
    expect(rec.log.indexOf('X end')).toBeLessThan(rec.log.indexOf('C prepare'));
  });

  it('runs exclusive tasks one after another, in arrival order', async () => {
    const lanes = new CommandLanes(32);
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const tasks = gates.map((gate, i) =>
      lanes.exclusive('c', async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
      }),
    );
    await flush();
    gates[2]?.resolve();
    gates[1]?.resolve();
    await flush();
    expect(log).toEqual(['start 0']);
    gates[0]?.resolve();
    await Promise.all(tasks);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('keeps at most maxInFlight commands between the start of planning and the end of publishing', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(3);
    const all = probes(rec, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'], ['prepare', 'publish']);
    const running = all.map((p) => p.run(lanes));
    await flush();
    expect(rec.order('prepare')).toEqual(['A', 'B', 'C']);
    expect(rec.inFlight).toBe(3);
    // Settling a later command frees nothing: the slot opens only when the oldest is published.
    all[2]?.gates.settle.resolve();
    all[1]?.gates.settle.resolve();
    await flush();
    expect(rec.order('prepare')).toEqual(['A', 'B', 'C']);
    all[0]?.gates.settle.resolve();
    await flush();
    expect(rec.order('published')).toEqual(['A', 'B', 'C']);
    expect(rec.order('prepare')).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    // The rest, settled newest first.
    for (const probe of all.slice(3).reverse()) {
      probe.gates.settle.resolve();
      await flush();
      expect(rec.inFlight).toBeLessThanOrEqual(3);
    }
    await Promise.all(running);
    expect(rec.maxInFlight).toBe(3);
    expect(rec.order('publish')).toEqual(all.map((p) => p.name));
  });

  it('runs nothing side by side with maxInFlight 1', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(1);
    const all = probes(rec, ['A', 'B', 'C']);
    const running = all.map((p) => p.run(lanes));
    // Open every gate one by one, in an order that would let B or C run early if they could.
    for (const phase of ['settle', 'publish', 'prepare'] as const) {
      for (const probe of [...all].reverse()) {
        probe.gates[phase].resolve();
        await flush();
      }
    }
    await Promise.all(running);
    expect(rec.log).toEqual(
      all.flatMap(({ name }) =>
        ['prepare', 'prepared', 'settle', 'settled', 'publish', 'published'].map((e) => `${name} ${e}`),
      ),
    );
    expect(rec.maxInFlight).toBe(1);
  });

  it('keeps competitions apart: one lane never waits for another', async () => {
    const rec = new Recorder();
    const lanes = new CommandLanes(1);
    const [a, b] = probes(rec, ['A', 'B'], ['settle', 'publish']);
    if (!a || !b) throw new Error('two probes');
    const running = [a.run(lanes, 'one'), b.run(lanes, 'two')];
    const task = lanes.exclusive('three', () => Promise.resolve('alone'));
    await flush();
    expect(rec.order('prepare')).toEqual(['A', 'B']);
    expect(await task).toBe('alone');
    a.gates.prepare.resolve();
    b.gates.prepare.resolve();
    await Promise.all(running);
  });

  describe('a phase that throws', () => {
    it('hands a prepare error to its caller and lets later commands run', async () => {
      const rec = new Recorder();
      const lanes = new CommandLanes(1);
      const [a, b] = probes(rec, ['A', 'B'], ['settle', 'publish']);
      if (!a || !b) throw new Error('two probes');
      const running = [a.run(lanes), b.run(lanes)];
      await flush();
      a.gates.prepare.reject(new Error('plan refused'));
      b.gates.prepare.resolve();
      await Promise.all(running);
      expect(a.outcome).toEqual({ ok: false, error: new Error('plan refused') });
      expect(b.outcome).toEqual({ ok: true, value: 'B:planned:settled:published' });
      expect(rec.log).not.toContain('A settle');
    });

    it('hands a settle error to its caller, frees its slot and lets later commands publish', async () => {
      const rec = new Recorder();
      const lanes = new CommandLanes(2);
      const all = probes(rec, ['A', 'B', 'C'], ['prepare', 'publish']);
      const [a, b, c] = all;
      if (!a || !b || !c) throw new Error('three probes');
      const running = all.map((p) => p.run(lanes));
      await flush();
      expect(rec.order('prepare')).toEqual(['A', 'B']);
      a.gates.settle.reject(new Error('store down'));
      await flush();
      // A's slot is free again: C plans.
      expect(rec.order('prepare')).toEqual(['A', 'B', 'C']);
      b.gates.settle.resolve();
      c.gates.settle.resolve();
      await Promise.all(running);
      expect(a.outcome).toEqual({ ok: false, error: new Error('store down') });
      expect(b.outcome).toEqual({ ok: true, value: 'B:planned:settled:published' });
      expect(c.outcome).toEqual({ ok: true, value: 'C:planned:settled:published' });
      expect(rec.order('publish')).toEqual(['B', 'C']);
    });

    it('hands a publish error to its caller and lets later commands publish', async () => {
      const lanes = new CommandLanes(32);
      const rec = new Recorder();
      const [b] = probes(rec, ['B'], ['prepare', 'settle', 'publish']);
      if (!b) throw new Error('one probe');
      const failing = lanes.pipelined('c', {
        prepare: () => Promise.resolve(1),
        settle: (p) => Promise.resolve(p),
        publish: () => Promise.reject(new Error('listener failed')),
      });
      const running = b.run(lanes);
      await expect(failing).rejects.toThrow('listener failed');
      await running;
      expect(b.outcome).toEqual({ ok: true, value: 'B:planned:settled:published' });
      expect(await lanes.exclusive('c', () => Promise.resolve('after'))).toBe('after');
    });

    it('still publishes the commands around a failed one in planning order', async () => {
      const rec = new Recorder();
      const lanes = new CommandLanes(32);
      const [a, b, c] = probes(rec, ['A', 'B', 'C'], ['publish']);
      if (!a || !b || !c) throw new Error('three probes');
      const running = [a.run(lanes), b.run(lanes), c.run(lanes)];
      a.gates.prepare.resolve();
      await flush();
      // A is settling; B fails to plan; C plans and settles at once.
      b.gates.prepare.reject(new Error('plan refused'));
      c.gates.prepare.resolve();
      c.gates.settle.resolve();
      await flush();
      expect(b.outcome).toEqual({ ok: false, error: new Error('plan refused') });
      expect(rec.order('publish')).toEqual([]);
      a.gates.settle.resolve();
      await Promise.all(running);
      expect(rec.order('publish')).toEqual(['A', 'C']);
    });

    it('keeps an exclusive task waiting for earlier commands when one between them failed', async () => {
      const rec = new Recorder();
      const lanes = new CommandLanes(32);
      const [a, b] = probes(rec, ['A', 'B'], ['prepare', 'publish']);
      if (!a || !b) throw new Error('two probes');
      const running = [a.run(lanes), b.run(lanes)];
      const exclusive = lanes.exclusive('c', () => {
        rec.log.push('X');
        return Promise.resolve();
      });
      await flush();
      b.gates.settle.reject(new Error('store down'));
      await flush();
      // A's commit is still on its way: the exclusive task may not start yet.
      expect(rec.log).not.toContain('X');
      a.gates.settle.resolve();
      await Promise.all([...running, exclusive]);
      expect(rec.log.slice(-3)).toEqual(['A publish', 'A published', 'X']);
    });
  });
});
