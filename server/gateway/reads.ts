/**
 * The competition reads both transports serve: the list of competitions (GET /api/competitions,
 * `competition:list`) and a competition's public facts with its control state
 * (GET /api/competitions/:id, `competition:watch`). Both read through the ContestService, so a
 * set-up is read once per version and the control state fresh from the store.
 */
import type { PublicCompetition, PublicControl } from '../../shared/events.ts';
import type { Competition } from '../../shared/model.ts';
import { PodiumError } from '../domain/errors.ts';
import { publicCompetition } from '../domain/views.ts';

/** One entry of the competition list (the audience is added by the caller that counts it). */
export interface CompetitionListing {
  id: string;
  name: string;
  events: Array<{ id: string; name: string }>;
}

/** Where the reads come from: the ContestService and the store's list of competitions. */
export interface CompetitionSource {
  listCompetitionIds(): Promise<string[]>;
  getSetup(competitionId: string): Promise<Competition | null>;
  /** The control state as screens see it, read fresh. */
  getControl(competitionId: string): Promise<PublicControl>;
}

export class CompetitionReads {
  constructor(private readonly source: CompetitionSource) {}

  /** Every competition with a set-up, in the store's order. */
  async list(): Promise<CompetitionListing[]> {
    const ids = await this.source.listCompetitionIds();
    const setups = await Promise.all(ids.map((id) => this.source.getSetup(id)));
    return setups.flatMap((s) =>
      s === null
        ? []
        : [{ id: s.id, name: s.name, events: s.events.map((e) => ({ id: e.id, name: e.name })) }],
    );
  }

  /** A competition's public facts; throws not_found. */
  async publicCompetition(competitionId: string): Promise<PublicCompetition> {
    return (await this.publicFacts(competitionId)).competition;
  }

  /** A competition's public facts and control state (read once: it says which names are hidden); throws not_found. */
  async publicFacts(
    competitionId: string,
  ): Promise<{ competition: PublicCompetition; control: PublicControl }> {
    const [setup, control] = await Promise.all([
      this.source.getSetup(competitionId),
      this.source.getControl(competitionId),
    ]);
    if (setup === null) throw new PodiumError('not_found', `competition ${competitionId} does not exist`);
    return { competition: publicCompetition(setup, control.draws), control };
  }
}
