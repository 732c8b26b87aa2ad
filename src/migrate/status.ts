/** Each migration's state, from the files and the log: what `migrate status` prints. */
import path from 'node:path';
import type { AppliedMigration } from './clickhouse-storage.ts';
import type { MigrationFile } from './migration-files.ts';

export interface MigrationState {
  name: string;
  file: string;
  /** changed: applied, but the file's checksum moved since; missing: applied, but no file. */
  state: 'applied' | 'pending' | 'changed' | 'missing';
}

export function migrationStates(files: MigrationFile[], applied: AppliedMigration[]): MigrationState[] {
  const log = new Map(applied.map((a) => [a.name, a.checksum]));
  const states: MigrationState[] = files.map((f) => {
    const recorded = log.get(f.name);
    const file = path.basename(f.file);
    if (recorded === undefined) return { name: f.name, file, state: 'pending' };
    // An empty checksum comes from a log older than checksums: nothing to compare with.
    return { name: f.name, file, state: recorded !== '' && recorded !== f.checksum ? 'changed' : 'applied' };
  });
  for (const a of applied)
    if (!files.some((f) => f.name === a.name)) states.push({ name: a.name, file: '', state: 'missing' });
  return states.sort((a, b) => a.name.localeCompare(b.name));
}
