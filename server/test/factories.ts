import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Account, Role } from '../src/identity/account.entity.js';
import { hashPassword } from '../src/identity/password.js';
import { Section } from '../src/sections/section.entity.js';
import { Department } from '../src/sections/department.entity.js';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;

export async function createDepartmentWithSections(em: EntityManager, names: string[]): Promise<Section[]> {
  const department = new Department(`テスト部 ${randomBytes(3).toString('hex')}`, 1);
  const sections = names.map((name, index) => new Section(department, name, index));
  em.persist([department, ...sections]);
  await em.flush();
  return sections;
}

export async function createAccount(em: EntityManager, role: Role, section: Section | null = null): Promise<Account> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const account = new Account(`${role.toLowerCase()}-${randomBytes(4).toString('hex')}@test.renkei.jp`, `${role} person`, await passwordHash, role, section);
  em.persist(account);
  await em.flush();
  return account;
}

export const CHALLENGE_INPUT = {
  title: '公園の見守り',
  description: '公園の安全を地域と見守る仕組みが欲しい',
  background: '',
  fieldCodes: ['disaster-crime-prevention'],
  periodStart: '2026-12-01',
  periodEnd: '2027-03-31',
  contact: '03-0000-0000',
};

export const CHALLENGE_FIELDS_FRAGMENT = 'id title status published version owningSection { id name } viewerCan { edit open close publish unpublish }';
