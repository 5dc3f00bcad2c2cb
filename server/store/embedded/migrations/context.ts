/** What a migration of this store gets to work on (index.ts runs them). */
/** What an embedded migration works on. */
export interface EmbeddedMigrationContext {
  dir: string;
}
