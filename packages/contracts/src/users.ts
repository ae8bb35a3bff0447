/**
 * The fewest characters a new password may have (user creation, password change, admin reset,
 * `ADMIN_PASSWORD`). Passwords stored before this rule keep working.
 */
export const MIN_PASSWORD_LENGTH = 12;

/** The user object of `/api/auth/login`, `/api/auth/me` and `/api/users` (CONTRACT sections 2, 3). */
export interface UserView {
  id: number;
  username: string;
  roles: string[];
  permissions: string[];
  /**
   * The stations the user is limited to by charge point id. With `allowedSites` also `null`:
   * every station.
   */
  allowedStations: string[] | null;
  /**
   * The sites whose stations the user is limited to. A user limited at all sees the stations of
   * both lists; one of them `null` counts as empty (and reads back as `[]`).
   */
  allowedSites: number[] | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface LoginResponse {
  token: string;
  /** Token lifetime in seconds. */
  expiresIn: number;
  user: UserView;
}
