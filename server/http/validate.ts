/** Parsing request bodies and path parameters with zod; failures are 400 invalid_payload. */
import type { Request } from 'express';
import type { z } from 'zod';
import { describeIssues } from '../../shared/model.ts';
import { idSchema } from '../../shared/text.ts';
import { PodiumError } from '../domain/errors.ts';

/** Parse `value` with `schema` or throw invalid_payload naming the fields. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new PodiumError('invalid_payload', describeIssues(r.error));
  return r.data;
}

/** A path parameter that must be an id (letters, digits, '-', '_'). */
export function idParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !idSchema.safeParse(value).success) {
    throw new PodiumError('invalid_payload', `${name}: must be 1-64 letters, digits, '-' or '_'`);
  }
  return value;
}

/** True when a query flag is set (?dryRun=1, ?dryRun=true, ?dryRun). */
export function flag(req: Request, name: string): boolean {
  const v = req.query[name];
  return v === '' || v === '1' || v === 'true';
}
