import type { TriggerDef } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One row whose counter every change that could end a session, or change whose viewer a session
 * is (role, section, organisation, a disabled account), moves on, in the changing transaction: by
 * triggers on session, account and membership, so that no code path can forget it. A live stream
 * checks a thousand subscribers' sessions at every event by reading this one counter: unchanged
 * since it read their sessions means nothing about them has changed since (identity/session-viewers.ts).
 */
@Entity({ tableName: 'viewer_change' })
export class ViewerChange {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id!: number;

  @Property({ type: 'bigint' })
  counter!: string;
}

const BUMP = 'update viewer_change set counter = counter + 1 where id = 1';

/**
 * The triggers that move the counter on, for the entity of `table`; `changed` is the condition on
 * an update that matters (in the body rather than a WHEN clause, which the database words
 * differently from how it was written, so the schema would never match the entities).
 */
export function viewerChangeTriggers(table: string, changed: string | null): TriggerDef[] {
  const triggers: TriggerDef[] = [{ name: `${table}_viewer_change_delete`, timing: 'after', events: ['delete'], forEach: 'row', body: `${BUMP}; return null` }];
  if (changed === null) triggers.push({ name: `${table}_viewer_change_write`, timing: 'after', events: ['insert', 'update'], forEach: 'row', body: `${BUMP}; return null` });
  else triggers.push({ name: `${table}_viewer_change_update`, timing: 'after', events: ['update'], forEach: 'row', body: `if ${changed} then ${BUMP}; end if; return null` });
  return triggers;
}
