import DataLoader from 'dataloader';
import type { RequestContext } from '../graphql/context.js';
import { readAcrossExecutions } from '../events/fan-out.js';
import { ProtectedItemKind, type ProtectionRequest, type ProtectionState } from './protection-request.entity.js';
import { accountNamesByIds, protectionStatesOf, registersOfProposals } from './protection.service.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): the registers of every proposal on a page, the protection state of every attachment
 * and message, and the names of requesters and deciders, in one statement each.
 */
export interface ProtectionLoaders {
  registers: DataLoader<string, ProtectionRequest[]>;
  attachmentStates: DataLoader<string, ProtectionState | null>;
  messageStates: DataLoader<string, ProtectionState | null>;
  names: DataLoader<string, string | null>;
}
const loaders = new WeakMap<object, ProtectionLoaders>();
export function protectionLoadersFor(ctx: RequestContext): ProtectionLoaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    found = {
      registers: new DataLoader((ids) => registersOfProposals(em, ids)),
      attachmentStates: new DataLoader((ids) => protectionStatesOf(em, ProtectedItemKind.ATTACHMENT, ids)),
      messageStates: new DataLoader(readAcrossExecutions(ctx, 'messageProtection', (db, ids) => protectionStatesOf(db, ProtectedItemKind.MESSAGE, ids))),
      names: new DataLoader((ids) => accountNamesByIds(em, ids)),
    };
    loaders.set(em, found);
  }
  return found;
}
