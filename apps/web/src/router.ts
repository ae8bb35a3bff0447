import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import type { Permission } from '@cimorings/contracts';
import { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean;
    /** Any one of these permissions opens the page. */
    permissions?: Permission[];
    /** The i18n key of the page's name (menu and document title). */
    title?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  {
    path: '/',
    name: 'dashboard',
    component: () => import('./views/DashboardView.vue'),
    meta: { permissions: ['stations.view', 'transactions.view'], title: 'nav.dashboard' },
  },
  {
    path: '/stations',
    name: 'stations',
    component: () => import('./views/StationsView.vue'),
    meta: { permissions: ['stations.view'], title: 'nav.stations' },
  },
  {
    path: '/stations/:chargePointId',
    name: 'station',
    component: () => import('./views/StationDetailView.vue'),
    props: true,
    meta: { permissions: ['stations.view'], title: 'nav.stations' },
  },
  {
    path: '/sites/:siteId(\\d+)',
    name: 'site',
    component: () => import('./views/SiteDetailView.vue'),
    props: (route) => ({ siteId: Number(route.params.siteId) }),
    meta: { permissions: ['stations.view'], title: 'nav.stations' },
  },
  {
    path: '/transactions',
    name: 'transactions',
    component: () => import('./views/TransactionsView.vue'),
    meta: { permissions: ['transactions.view'], title: 'nav.transactions' },
  },
  {
    path: '/transactions/:transactionId(\\d+)',
    name: 'transaction',
    component: () => import('./views/TransactionDetailView.vue'),
    props: (route) => ({ transactionId: Number(route.params.transactionId) }),
    meta: { permissions: ['transactions.view'], title: 'nav.transactions' },
  },
  {
    path: '/reservations',
    name: 'reservations',
    component: () => import('./views/ReservationsView.vue'),
    meta: { permissions: ['reservations.view'], title: 'nav.reservations' },
  },
  {
    path: '/id-tags',
    name: 'idTags',
    component: () => import('./views/IdTagsView.vue'),
    meta: { permissions: ['idtags.view'], title: 'nav.idTags' },
  },
  {
    path: '/users',
    name: 'users',
    component: () => import('./views/UsersView.vue'),
    meta: { permissions: ['users.view', 'roles.manage'], title: 'nav.users' },
  },
  {
    path: '/profile',
    name: 'profile',
    component: () => import('./views/ProfileView.vue'),
    meta: { title: 'nav.profile' },
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

/** The menu, in order: each entry is a route name above. */
export const MENU = ['dashboard', 'stations', 'transactions', 'reservations', 'idTags', 'users'] as const;

export function allowed(permissions: readonly Permission[] | undefined, can: (p: Permission) => boolean) {
  return !permissions || permissions.some((permission) => can(permission));
}

export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHistory(), routes });

  router.beforeEach((to) => {
    const auth = useAuthStore();
    if (to.meta.public) return auth.loggedIn && to.name === 'login' ? { name: 'dashboard' } : true;
    if (!auth.loggedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (allowed(to.meta.permissions, auth.can)) return true;
    // The first page this user may open; the profile page is open to everyone.
    const first = MENU.map((name) => routes.find((route) => route.name === name)).find(
      (route) => route && allowed(route.meta?.permissions, auth.can),
    );
    const target = first?.name ?? 'profile';
    return to.name === target ? true : { name: target };
  });

  return router;
}
