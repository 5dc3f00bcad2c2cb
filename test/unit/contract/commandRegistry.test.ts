/**
 * The command registry (shared/commandRegistry.ts) is the one list of commands: the wire events,
 * the policy's roles and docs/API.md all follow from it. A command added to the registry but not to
 * the documentation, or documented with other roles than the policy enforces, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commandNamesOn,
  commandRegistry,
  isCommandName,
  roleMaySend,
  type CommandRole,
} from '../../../shared/commandRegistry.ts';
import { commandSchemas } from '../../../shared/commands.ts';
import { sheetCommandNames } from '../../../server/domain/sheetOps.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'API.md'), 'utf8');
const names = Object.keys(commandRegistry) as Array<keyof typeof commandRegistry>;

/** The `| organiser | integration |` cells of a command's row in the HTTP command table. */
function httpTableRow(name: string): { organiser: boolean; integration: boolean } | undefined {
  const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\``));
  const cells = row?.split('|').map((c) => c.trim());
  if (cells === undefined || cells.length < 5) return undefined;
  return { organiser: cells.at(-3) === 'yes', integration: cells.at(-2) === 'yes' };
}

describe('command registry', () => {
  it('gives every command exactly one schema, the one shared/commands.ts parses with', () => {
    expect(Object.keys(commandSchemas)).toEqual(names);
    for (const name of names) expect(commandSchemas[name]).toBe(commandRegistry[name].schema);
    expect(isCommandName('marks.submit')).toBe(true);
    expect(isCommandName('toString')).toBe(false);
  });

  /** Sheet commands judges never send (organisers as arbitration; appeals also team leaders): docs/RULES.md §13. */
  const organiserSheetCommands: readonly string[] = ['appeal.file', 'appeal.decide'];
  /** The one control command a tablet sends: the chief judge confirming a decode (docs/RULES.md §13, "Anonymised judging"). */
  const tabletCommands = [
    ...sheetCommandNames.filter((n) => !organiserSheetCommands.includes(n)),
    'draw.confirm',
  ];

  it('lets judges send the sheet commands but appeals, and the decode confirmation; organisers every command', () => {
    expect(commandNamesOn('judge-socket')).toEqual(tabletCommands);
    expect(commandNamesOn('admin-socket')).toEqual(names);
    expect(commandNamesOn('http')).toEqual(names);
  });

  it('keeps the role matrix: judges mark, chiefs also sign and confirm decodes, organisers do all but those', () => {
    const mayBy = (role: CommandRole) => names.filter((n) => roleMaySend(role, n));
    expect(mayBy('judge')).toEqual(['marks.submit']);
    expect(mayBy('chief')).toEqual(tabletCommands);
    expect(mayBy('organiser')).toEqual(
      names.filter((n) => n !== 'marks.submit' && n !== 'sheet.sign' && n !== 'draw.confirm'),
    );
    // A team leader files appeals for the team's own contestants (the policy checks the team).
    expect(mayBy('leader')).toEqual(['appeal.file']);
    expect(mayBy('integration')).toEqual([
      'measured.enter',
      'deduction.add',
      'deduction.remove',
      'outcome.set',
      'finish.set',
    ]);
  });

  it('documents every command in docs/API.md with the roles the registry gives it', () => {
    for (const name of names) {
      expect(doc, name).toContain(`\`${name}\``);
      expect(httpTableRow(name), name).toEqual({
        organiser: roleMaySend('organiser', name),
        integration: roleMaySend('integration', name),
      });
    }
    for (const name of commandNamesOn('judge-socket')) expect(doc, name).toContain(`\`cmd:${name}\``);
  });
});
