/**
 * The version of the stored data's format, shared by both stores, and the runner of the numbered
 * migrations that bring older data forward at start (docs/STORAGE.md, "Format versions").
 *
 * Format 1: what Podium stored before data carried a version (no header, no `podium:format` key).
 * Format 2: the embedded log starts with a format record and may be compacted (snapshot + archived
 *           log files); Redis has `podium:format`. Records and keys are otherwise those of format 1.
 */

/** The format this build writes, and the newest it can read. */
export const STORE_FORMAT = 2;

/** The format of data that carries no version: everything written before versions existed. */
export const UNVERSIONED_FORMAT = 1;

/** Where migrations and format decisions are logged (the server's logger, or console). */
export interface StoreLogger {
  warn(message: string): void;
  info?(message: string): void;
}

/** One numbered step that turns data of format `from` into format `to`; safe to run again after a crash. */
export interface Migration<Ctx> {
  from: number;
  to: number;
  /** What it does, one sentence for the log. */
  description: string;
  run(ctx: Ctx): Promise<void>;
}

/** The error for data written by a newer Podium: which format was found, which this build reads, what to do. */
export function newerFormatError(where: string, found: number): Error {
  return new Error(
    `${where} holds stored-data format ${found}, but this build of Podium reads formats up to ${STORE_FORMAT}. ` +
      'It was written by a newer Podium. Run that version (or a newer one), or restore the backup taken ' +
      'before the upgrade to use this one. Nothing was changed.',
  );
}

/**
 * Run the migrations from `found` up to `target` (STORE_FORMAT) in order, logging each one; after each step
 * `readFormat` must report the step's target (a step that did not finish is run again next start).
 */
export async function runMigrations<Ctx>(options: {
  what: string;
  migrations: ReadonlyArray<Migration<Ctx>>;
  found: number;
  ctx: Ctx;
  logger: StoreLogger;
  readFormat: () => Promise<number>;
  /** The format to reach (STORE_FORMAT unless a test says otherwise). */
  target?: number;
}): Promise<void> {
  const { what, migrations, ctx, logger, readFormat, target = STORE_FORMAT } = options;
  const say = (message: string): void => (logger.info ? logger.info(message) : logger.warn(message));
  let format = options.found;
  while (format < target) {
    const step = migrations.find((m) => m.from === format);
    if (step === undefined) throw new Error(`${what}: no migration from stored-data format ${format}`);
    say(`Migrating ${what} from stored-data format ${step.from} to ${step.to}: ${step.description}`);
    const started = performance.now();
    await step.run(ctx);
    const now = await readFormat();
    if (now !== step.to) {
      throw new Error(
        `${what}: the migration to format ${step.to} left format ${now}; nothing else was changed`,
      );
    }
    say(`Migrated ${what} to stored-data format ${now} in ${Math.round(performance.now() - started)} ms.`);
    format = now;
  }
}
