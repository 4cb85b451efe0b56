import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError, FieldErrors, NotFoundError, ConflictError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import { actorIdOf, type Viewer } from '../identity/viewer.js';
import { isUuid } from '../shared/uuid.js';
import { Department } from './department.entity.js';
import { Section } from './section.entity.js';
import { canManageSections } from './section.policy.js';

const NAME_MAX = 100;

export async function listDepartments(em: EntityManager): Promise<Department[]> {
  return em.find(Department, {}, { orderBy: { sortOrder: 'asc', name: 'asc' } });
}

export async function listSectionsOf(em: EntityManager, departmentIds: readonly string[], includeRetired: boolean): Promise<Section[]> {
  return em.find(
    Section,
    { department: { $in: [...departmentIds] }, ...(includeRetired ? {} : { retiredAt: null }) },
    { orderBy: { sortOrder: 'asc', name: 'asc' } },
  );
}

/** A section that can take new work, or null (unknown or retired). */
export async function findActiveSection(em: EntityManager, id: string): Promise<Section | null> {
  if (!isUuid(id)) return null;
  return em.findOne(Section, { id, retiredAt: null }, { populate: ['department'] });
}

function validName(name: string): string {
  const trimmed = name.trim();
  const errors = new FieldErrors();
  if (trimmed === '') errors.add('name', 'REQUIRED', 'A section name is required');
  else if (trimmed.length > NAME_MAX) errors.add('name', 'TOO_LONG', `At most ${NAME_MAX} characters`);
  errors.throwIfAny();
  return trimmed;
}

async function loadForChange(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number): Promise<Section> {
  if (!canManageSections(viewer)) throw new ForbiddenError();
  const section = isUuid(id) ? await em.findOne(Section, { id }) : null;
  if (!section) throw new NotFoundError('Section');
  if (section.version !== expectedVersion) throw new ConflictError('STALE_VERSION', 'The section was changed by someone else', { currentVersion: section.version });
  return section;
}

const DUPLICATE_NAME = 'This department already has a section of that name';

/** The unique index is the last word when two changes race past the friendly check. */
function duplicateNameAsInputError(error: unknown): never {
  if (error instanceof UniqueConstraintViolationException) new FieldErrors().add('name', 'INVALID', DUPLICATE_NAME).throwIfAny();
  throw error;
}

export async function createSection(em: EntityManager, viewer: Viewer, departmentId: string, name: string): Promise<Section> {
  if (!canManageSections(viewer)) throw new ForbiddenError();
  const cleanName = validName(name);
  return transact(em, async (tx, events) => {
    const department = isUuid(departmentId) ? await tx.findOne(Department, { id: departmentId }) : null;
    if (!department) new FieldErrors().add('departmentId', 'UNKNOWN_REFERENCE', 'No such department').throwIfAny();
    if (await tx.count(Section, { department: departmentId, name: cleanName, retiredAt: null })) {
      new FieldErrors().add('name', 'INVALID', DUPLICATE_NAME).throwIfAny();
    }
    const section = new Section(department!, cleanName, 1000);
    tx.persist(section);
    events.record({ topic: 'section', kind: 'CREATED', aggregateId: section.id, actorId: actorIdOf(viewer) });
    return section;
  }).catch(duplicateNameAsInputError);
}

export async function renameSection(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number, name: string): Promise<Section> {
  const cleanName = validName(name);
  return transact(em, async (tx, events) => {
    const section = await loadForChange(tx, viewer, id, expectedVersion);
    if (cleanName !== section.name && (await tx.count(Section, { department: section.department, name: cleanName, retiredAt: null, id: { $ne: section.id } }))) {
      new FieldErrors().add('name', 'INVALID', DUPLICATE_NAME).throwIfAny();
    }
    const before = section.name;
    section.name = cleanName;
    events.record({ topic: 'section', kind: 'RENAMED', aggregateId: section.id, actorId: actorIdOf(viewer), payload: { before, after: cleanName } });
    return section;
  }).catch(duplicateNameAsInputError);
}

export async function retireSection(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number): Promise<Section> {
  return transact(em, async (tx, events) => {
    const section = await loadForChange(tx, viewer, id, expectedVersion);
    if (section.isDesk) throw new ConflictError('ILLEGAL_STATE', 'The desk’s own section cannot be retired');
    if (section.retiredAt) throw new ConflictError('ILLEGAL_STATE', 'The section is already retired');
    section.retiredAt = new Date();
    events.record({ topic: 'section', kind: 'RETIRED', aggregateId: section.id, actorId: actorIdOf(viewer) });
    return section;
  });
}
