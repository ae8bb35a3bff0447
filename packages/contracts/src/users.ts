/** The user object of `/api/auth/login`, `/api/auth/me` and `/api/users` (CONTRACT sections 2, 3). */
export interface UserView {
  id: number;
  username: string;
  roles: string[];
  permissions: string[];
  /** `null`: every station; a list: only these charge point ids. */
  allowedStations: string[] | null;
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
