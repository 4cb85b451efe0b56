import { Challenge } from '../challenges/challenge.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity.js';
import { Account } from '../identity/account.entity.js';
import { LoginAttempt } from '../identity/login-attempt.entity.js';
import { Session } from '../identity/session.entity.js';
import { Department } from '../sections/department.entity.js';
import { Section } from '../sections/section.entity.js';

/** Every entity the ORM maps, listed explicitly (no discovery by glob). */
export const ENTITIES = [Department, Section, Account, Session, LoginAttempt, Challenge, DomainEvent, IdempotencyRecord];
