/**
 * Reading plain-object records keyed by user-chosen ids (judge, criterion, event, round ids):
 * `record[id]` would return Object.prototype members for ids like "toString" or "valueOf".
 */

/** record[key] only if it is the record's own property (ids like "toString" are legal ids). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
