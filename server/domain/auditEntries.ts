/**
 * Log entries that record something for the audit trail without changing any state: replaying the
 * log (rebuild, restore) passes over them. Today: a venue command the hub refused (docs/VENUES.md).
 */
export const VENUE_REFUSED = 'venue.refused';

const AUDIT_ONLY: ReadonlySet<string> = new Set([VENUE_REFUSED]);

/** True for a log entry type that changes nothing when replayed. */
export function isAuditOnly(type: string): boolean {
  return AUDIT_ONLY.has(type);
}
