import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteMeta,
  type RouteRecordRaw,
  type RouteRecordSingleView,
  type Router,
} from 'vue-router';
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

/** Who may open a part of the dashboard (any one of the permissions) and its title's i18n key. */
const STATIONS: RouteMeta = { permissions: ['stations.view'], title: 'nav.stations' };
const TRANSACTIONS: RouteMeta = { permissions: ['transactions.view'], title: 'nav.transactions' };

/** A page: lazily loaded `component`, `meta` saying who may open it, `props` as vue-router takes them. */
function page(
  path: string,
  name: string,
  component: RouteRecordSingleView['component'],
  meta: RouteMeta,
  props?: RouteRecordSingleView['props'],
): RouteRecordRaw {
  return { path, name, component, meta, ...(props !== undefined && { props }) };
}

/** The props of a page whose path parameter `name` is a number: that parameter as a number. */
const numberParam = (name: string) => (route: RouteLocationNormalized) => ({
  [name]: Number(route.params[name]),
});

export const routes: RouteRecordRaw[] = [
  page('/login', 'login', () => import('./views/LoginView.vue'), { public: true }),
  page('/', 'dashboard', () => import('./views/DashboardView.vue'), {
    permissions: ['stations.view', 'transactions.view'],
    title: 'nav.dashboard',
  }),
  page('/stations', 'stations', () => import('./views/StationsView.vue'), STATIONS),
  page('/stations/:chargePointId', 'station', () => import('./views/StationDetailView.vue'), STATIONS, true),
  page(
    '/sites/:siteId(\\d+)',
    'site',
    () => import('./views/SiteDetailView.vue'),
    STATIONS,
    numberParam('siteId'),
  ),
  page('/transactions', 'transactions', () => import('./views/TransactionsView.vue'), TRANSACTIONS),
  page(
    '/transactions/:transactionId(\\d+)',
    'transaction',
    () => import('./views/TransactionDetailView.vue'),
    TRANSACTIONS,
    numberParam('transactionId'),
  ),
  page('/reservations', 'reservations', () => import('./views/ReservationsView.vue'), {
    permissions: ['reservations.view'],
    title: 'nav.reservations',
  }),
  page('/id-tags', 'idTags', () => import('./views/IdTagsView.vue'), {
    permissions: ['idtags.view'],
    title: 'nav.idTags',
  }),
  page('/users', 'users', () => import('./views/UsersView.vue'), {
    permissions: ['users.view', 'roles.manage'],
    title: 'nav.users',
  }),
  page('/profile', 'profile', () => import('./views/ProfileView.vue'), { title: 'nav.profile' }),
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

/** The path of a station's page; the id may hold any character, so it is encoded. */
export const stationPath = (chargePointId: string) => `/stations/${encodeURIComponent(chargePointId)}`;

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
