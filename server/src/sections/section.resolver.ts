import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import DataLoader from 'dataloader';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Department } from './department.entity.js';
import { Section } from './section.entity.js';
import { createSection, listDepartments, listSectionsOf, renameSection, retireSection } from './section.service.js';

// One query for the sections of every department on the page, whatever the number of departments.
const loaders = new WeakMap<RequestContext, Map<boolean, DataLoader<string, Section[]>>>();
function sectionsLoader(ctx: RequestContext, includeRetired: boolean): DataLoader<string, Section[]> {
  let byFlag = loaders.get(ctx);
  if (!byFlag) loaders.set(ctx, (byFlag = new Map()));
  let loader = byFlag.get(includeRetired);
  if (!loader) {
    loader = new DataLoader(async (departmentIds) => {
      const sections = await listSectionsOf(ctx.em, departmentIds, includeRetired);
      return departmentIds.map((id) => sections.filter((section) => section.department.id === id));
    });
    byFlag.set(includeRetired, loader);
  }
  return loader;
}

@Resolver(() => Department)
export class DepartmentResolver {
  @Access('public')
  @Query(() => [Department], { description: 'The ward’s departments (部) with their sections (課); the chart is public' })
  departments(@Ctx() ctx: RequestContext): Promise<Department[]> {
    return listDepartments(ctx.em);
  }

  @FieldResolver(() => [Section])
  sections(@Root() department: Department, @Ctx() ctx: RequestContext, @Arg('includeRetired', () => Boolean, { defaultValue: false }) includeRetired: boolean): Promise<Section[]> {
    return sectionsLoader(ctx, includeRetired).load(department.id);
  }
}

@Resolver(() => Section)
export class SectionResolver {
  @FieldResolver(() => Department)
  async department(@Root() section: Section, @Ctx() ctx: RequestContext): Promise<Department> {
    // Lists populate the department; this only loads when a caller did not.
    return ctx.em.populate(section, ['department']).then((loaded) => loaded.department);
  }

  @Access('desk')
  @Mutation(() => Section)
  createSection(@Ctx() ctx: RequestContext, @Arg('departmentId', () => ID) departmentId: string, @Arg('name', () => String) name: string): Promise<Section> {
    return createSection(ctx.em, ctx.viewer, departmentId, name);
  }

  @Access('desk')
  @Mutation(() => Section)
  renameSection(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Arg('name', () => String) name: string): Promise<Section> {
    return renameSection(ctx.em, ctx.viewer, id, expectedVersion, name);
  }

  @Access('desk')
  @Mutation(() => Section, { description: 'A retired section keeps its history but takes no new work' })
  retireSection(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Section> {
    return retireSection(ctx.em, ctx.viewer, id, expectedVersion);
  }
}
