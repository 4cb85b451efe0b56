import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124061522_initial_identity_sections_challenges_events } from './Migration20261124061522_initial_identity_sections_challenges_events.js';

/** Every migration, in order. Listed statically: a glob would load .ts files with Node itself. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261124061522_initial_identity_sections_challenges_events', class: Migration20261124061522_initial_identity_sections_challenges_events },
];
