import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { checkPageSize } from '../graphql/connection.js';
import { CaughtMail } from './caught-mail.entity.js';

/** Caught mail is readable only where it exists for development: no SMTP_URL, and not in production. */
export function caughtMailReadable(config: Pick<Config, 'nodeEnv' | 'smtpUrl'>): boolean {
  return config.nodeEnv !== 'production' && !config.smtpUrl;
}

/** The newest caught mail first (the caller is desk staff: the resolver's @Access). */
export async function listCaughtMail(em: EntityManager, config: Pick<Config, 'nodeEnv' | 'smtpUrl'>, first: number): Promise<CaughtMail[]> {
  checkPageSize(first);
  if (!caughtMailReadable(config)) return [];
  return em.find(CaughtMail, {}, { orderBy: { receivedAt: 'desc', id: 'desc' }, limit: first });
}

