import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { apolloClient } from '../apollo/apolloClient'
import { MeDocument, type MeQuery } from '../gql/graphql'

declare module 'vue-router' {
  interface RouteMeta {
    /** Only desk staff; signed-out visitors are sent to /login. */
    requiresDesk?: boolean
    /** Only members of a proposing organisation; signed-out visitors are sent to /login. */
    requiresProposer?: boolean
    /** Only section staff (所管課); signed-out visitors are sent to /login. */
    requiresSection?: boolean
    /** Anyone signed in; signed-out visitors are sent to /login. */
    requiresSignedIn?: boolean
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
    // The public portal. 'board' is the list of challenges, as every link to it means.
    { path: '/', name: 'home', component: () => import('../pages/PortalHomePage.vue') },
    { path: '/challenges', name: 'board', component: () => import('../pages/ChallengesPage.vue') },
    { path: '/cases', name: 'cases', component: () => import('../pages/CasesPage.vue') },
    { path: '/cases/:id', name: 'case', component: () => import('../pages/CaseDetailPage.vue'), props: true },
    { path: '/figures', name: 'figures', component: () => import('../pages/FiguresPage.vue') },
    {
      path: '/challenges/:id',
      name: 'challenge',
      component: () => import('../pages/ChallengeDetailPage.vue'),
      props: true,
    },
    { path: '/search', name: 'search', component: () => import('../pages/SearchPage.vue') },
    { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue') },
    { path: '/register', name: 'register', component: () => import('../pages/RegisterPage.vue') },
    {
      path: '/invitations/:token',
      name: 'invitation',
      component: () => import('../pages/InvitationPage.vue'),
      props: true,
    },
    {
      path: '/proposer',
      name: 'proposer-home',
      component: () => import('../pages/ProposerHomePage.vue'),
      meta: { requiresProposer: true },
    },
    {
      // One record for /new and /:id, so creating the draft (new → its id) keeps the page and its typing.
      path: '/proposer/proposals/:id',
      name: 'proposer-proposal',
      component: () => import('../pages/ProposerProposalPage.vue'),
      meta: { requiresProposer: true },
      props: true,
    },
    {
      path: '/desk/dashboard',
      name: 'desk-dashboard',
      component: () => import('../pages/DeskDashboardPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/proposals',
      name: 'desk-proposals',
      component: () => import('../pages/DeskProposalsPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/organisations',
      name: 'desk-organisations',
      component: () => import('../pages/DeskOrganisationsPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/proposals/:id',
      name: 'desk-proposal',
      component: () => import('../pages/DeskProposalPage.vue'),
      meta: { requiresDesk: true },
      props: true,
    },
    {
      path: '/desk/settings/ageing',
      name: 'desk-ageing-targets',
      component: () => import('../pages/DeskAgeingTargetsPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/accounts',
      name: 'desk-accounts',
      component: () => import('../pages/DeskAccountsPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/audit',
      name: 'desk-audit',
      component: () => import('../pages/DeskAuditPage.vue'),
      meta: { requiresDesk: true },
    },
    {
      path: '/desk/mail',
      name: 'desk-caught-mail',
      component: () => import('../pages/DeskCaughtMailPage.vue'),
      meta: { requiresDesk: true },
    },
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
    {
      path: '/section/dashboard',
      name: 'section-dashboard',
      component: () => import('../pages/SectionDashboardPage.vue'),
      meta: { requiresSection: true },
    },
    {
      path: '/section/inbox',
      name: 'section-inbox',
      component: () => import('../pages/SectionInboxPage.vue'),
      meta: { requiresSection: true },
    },
    {
      path: '/section/proposals/:id',
      name: 'section-proposal',
      component: () => import('../pages/SectionProposalPage.vue'),
      meta: { requiresSection: true },
      props: true,
    },
    {
      path: '/settings/mail',
      name: 'mail-preferences',
      component: () => import('../pages/MailPreferencesPage.vue'),
      meta: { requiresSignedIn: true },
    },
    {
      path: '/settings/password',
      name: 'account-security',
      component: () => import('../pages/AccountSecurityPage.vue'),
      meta: { requiresSignedIn: true },
    },
    { path: '/meetings/:id', name: 'meeting', component: () => import('../pages/MeetingPage.vue'), props: true },
    { path: '/section', redirect: { name: 'section-inbox' } },
    // The desk lands on its dashboard (issue 7).
    { path: '/desk', redirect: { name: 'desk-dashboard' } },
    { path: '/forbidden', name: 'forbidden', component: () => import('../pages/ForbiddenPage.vue') },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue') },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

export async function roleGuard(to: RouteLocationNormalized) {
  if (!to.meta.requiresDesk && !to.meta.requiresProposer && !to.meta.requiresSection && !to.meta.requiresSignedIn) return true
  const me = await currentAccount()
  if (!me) return { name: 'login', query: { redirect: to.fullPath } }
  if (to.meta.requiresDesk && me.role !== 'DESK') return { name: 'forbidden' }
  if (to.meta.requiresProposer && me.role !== 'PROPOSER') return { name: 'forbidden' }
  if (to.meta.requiresSection && me.role !== 'SECTION') return { name: 'forbidden' }
  return true
}

router.beforeEach(roleGuard)
