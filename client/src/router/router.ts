import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { apolloClient } from '../apollo/apolloClient'
import { MeDocument, type MeQuery } from '../gql/graphql'

declare module 'vue-router' {
  interface RouteMeta {
    /** Only desk staff; signed-out visitors are sent to /login. */
    requiresDesk?: boolean
  }
}

async function currentAccount(): Promise<MeQuery['me']> {
  try {
    const { data } = await apolloClient.query({ query: MeDocument, fetchPolicy: 'cache-first' })
    return data.me
  } catch {
    return null
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'board', component: () => import('../pages/BoardPage.vue') },
    {
      path: '/challenges/:id',
      name: 'challenge',
      component: () => import('../pages/ChallengeDetailPage.vue'),
      props: true,
    },
    { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue') },
    {
      path: '/desk/challenges',
      name: 'desk-challenges',
      component: () => import('../pages/DeskChallengesPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/challenges/new',
      name: 'desk-challenge-new',
      component: () => import('../pages/DeskChallengeNewPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/challenges/:id/edit',
      name: 'desk-challenge-edit',
      component: () => import('../pages/DeskChallengeEditPage.vue'),
      meta: { requiresDesk: true },
      props: true,
    },
    { path: '/desk', redirect: { name: 'desk-challenges' } },
    { path: '/forbidden', name: 'forbidden', component: () => import('../pages/ForbiddenPage.vue') },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue') },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

export async function deskGuard(to: RouteLocationNormalized) {
  if (!to.meta.requiresDesk) return true
  const me = await currentAccount()
  if (!me) return { name: 'login', query: { redirect: to.fullPath } }
  if (me.role !== 'DESK') return { name: 'forbidden' }
  return true
}

router.beforeEach(deskGuard)
