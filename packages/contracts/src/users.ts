/**
 * The fewest characters a new password may have (user creation, password change, admin reset,
 * `ADMIN_PASSWORD`). Passwords stored before this rule keep working.
 */
export const MIN_PASSWORD_LENGTH = 12;

/** The user object and login answer are derived from the REST schemas (type-only: nothing to bundle). */
export type { LoginResponse, UserView } from './rest/users.js';
