/**
 * Permission names, `area.action` (CONTRACT section 2). Written once here; the server seeds
 * them, checks them per route, and the dashboard hides what a user may not do.
 */
export const PERMISSIONS = {
  'stations.view': 'See stations, their connectors and live status',
  'stations.create': 'Register new stations',
  'stations.edit': 'Change stations and approve pending ones',
  'stations.delete': 'Delete stations',
  'stations.control': 'Send OCPP commands to charge points',
  'transactions.view': 'See charging transactions and meter values',
  'transactions.manage': 'Close stuck transactions',
  'reservations.view': 'See reservations',
  'reservations.manage': 'Create and cancel reservations',
  'idtags.view': 'See id tags (RFID cards, app tokens)',
  'idtags.manage': 'Create, change and delete id tags',
  'users.view': 'See users and roles',
  'users.manage': 'Create, change and delete users',
  'roles.manage': 'Create, change and delete roles',
  'monitoring.view': 'See the OCPP message log and system monitoring',
  'system.admin': 'Everything, including what later permissions add',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** The permission that implies every other one. */
export const SUPER_PERMISSION: Permission = 'system.admin';

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}

/** True when a holder of `held` has `wanted`, directly or through `system.admin`. */
export function hasPermission(held: readonly string[], wanted: Permission): boolean {
  return held.includes(wanted) || held.includes(SUPER_PERMISSION);
}

/**
 * The built-in roles and the permissions they start with. Roles are data: operators may edit
 * the grants of `operator` and `viewer`; `admin` always keeps `system.admin`.
 */
export const BUILT_IN_ROLES = {
  admin: {
    description: 'Everything',
    permissions: ['system.admin'],
  },
  operator: {
    description: 'Views everything, controls stations, manages reservations and id tags',
    permissions: [
      'stations.view',
      'stations.control',
      'transactions.view',
      'reservations.view',
      'reservations.manage',
      'idtags.view',
      'idtags.manage',
      'users.view',
      'monitoring.view',
    ],
  },
  viewer: {
    description: 'Views only',
    permissions: [
      'stations.view',
      'transactions.view',
      'reservations.view',
      'idtags.view',
      'users.view',
      'monitoring.view',
    ],
  },
} as const satisfies Record<string, { description: string; permissions: readonly Permission[] }>;

export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

export const ADMIN_ROLE: BuiltInRole = 'admin';
