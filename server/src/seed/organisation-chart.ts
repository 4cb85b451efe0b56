import type { EntityManager } from '@mikro-orm/postgresql';
import { Department } from '../sections/department.entity.js';
import { Section } from '../sections/section.entity.js';
import { DESK_SECTION, ITABASHI_ORGANISATION } from './itabashi-organisation.js';

/** Seeds the ward's departments and sections once; sections are then the desk's to manage. */
export async function seedOrganisationChart(em: EntityManager): Promise<Map<string, Section>> {
  const bySectionName = new Map<string, Section>();
  if ((await em.count(Department, {})) > 0) {
    for (const section of await em.find(Section, {}, { populate: ['department'] })) bySectionName.set(section.name, section);
    return bySectionName;
  }
  ITABASHI_ORGANISATION.forEach((departmentSeed, departmentIndex) => {
    const department = new Department(departmentSeed.name, departmentIndex + 1);
    em.persist(department);
    departmentSeed.sections.forEach((name, sectionIndex) => {
      const section = new Section(department, name, sectionIndex + 1);
      section.isDesk = name === DESK_SECTION;
      em.persist(section);
      bySectionName.set(name, section);
    });
  });
  await em.flush();
  return bySectionName;
}
