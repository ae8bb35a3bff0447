import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { hasPermission, type Permission } from '@cimorings/contracts';
import { useApi, type LoginResponse, type UserView } from '../api';

const STORAGE_KEY = 'cimorings.session';

/** Why a session ended: the user logged out, or the server no longer accepts the token. */
export type LogoutReason = 'user' | 'expired';

interface StoredSession {
  token: string;
  /** Epoch ms at which the token stops working. */
  expiresAt: number;
  user: UserView;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function readSession(now: number): StoredSession | null {
  const text = storage()?.getItem(STORAGE_KEY);
  if (!text) return null;
  try {
    const session = JSON.parse(text) as StoredSession;
    return session.expiresAt > now ? session : null;
  } catch {
    return null;
  }
}

/**
 * The session: token, its expiry and the user with their effective permissions. The token is
 * kept in localStorage (never in a URL) so that a reload stays logged in; it is dropped when it
 * expires, when the server answers 401, or when the real-time handshake says Unauthorized.
 */
export const useAuthStore = defineStore('auth', () => {
  const api = useApi();
  const token = ref<string | null>(null);
  const expiresAt = ref<number | null>(null);
  const user = ref<UserView | null>(null);
  /** Set when the last session ended on its own, so the login page can say why. */
  const endedBy = ref<LogoutReason | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const listeners = new Set<(reason: LogoutReason) => void>();

  const loggedIn = computed(() => token.value !== null);
  const permissions = computed(() => user.value?.permissions ?? []);

  function can(permission: Permission): boolean {
    return hasPermission(permissions.value, permission);
  }

  function canAny(...wanted: Permission[]): boolean {
    return wanted.some((permission) => can(permission));
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (expiresAt.value === null) return;
    // setTimeout's delay is a 32-bit integer: cap it, and check again when it fires.
    const delay = Math.min(Math.max(0, expiresAt.value - Date.now()), 2 ** 31 - 1);
    timer = setTimeout(() => {
      if (expiresAt.value !== null && expiresAt.value <= Date.now()) logout('expired');
      else schedule();
    }, delay);
  }

  function accept(answer: LoginResponse): void {
    token.value = answer.token;
    expiresAt.value = Date.now() + answer.expiresIn * 1000;
    user.value = answer.user;
    endedBy.value = null;
    storage()?.setItem(
      STORAGE_KEY,
      JSON.stringify({ token: answer.token, expiresAt: expiresAt.value, user: answer.user }),
    );
    schedule();
  }

  /** Restores a stored, unexpired session; true when there was one. */
  function restore(): boolean {
    const session = readSession(Date.now());
    if (!session) {
      storage()?.removeItem(STORAGE_KEY);
      return false;
    }
    token.value = session.token;
    expiresAt.value = session.expiresAt;
    user.value = session.user;
    schedule();
    return true;
  }

  async function login(username: string, password: string): Promise<void> {
    accept(await api.auth.login(username, password));
  }

  /** Reloads the user (roles and permissions may have changed since login). */
  async function refreshUser(): Promise<void> {
    const fresh = await api.auth.me();
    user.value = fresh;
    const session = readSession(Date.now());
    if (session) storage()?.setItem(STORAGE_KEY, JSON.stringify({ ...session, user: fresh }));
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    // The server ends older tokens and answers a new one.
    accept(await api.auth.changePassword(currentPassword, newPassword));
  }

  function logout(reason: LogoutReason = 'user'): void {
    const wasLoggedIn = token.value !== null;
    if (timer) clearTimeout(timer);
    timer = null;
    token.value = null;
    expiresAt.value = null;
    user.value = null;
    endedBy.value = reason === 'user' ? null : reason;
    storage()?.removeItem(STORAGE_KEY);
    if (wasLoggedIn) for (const listener of listeners) listener(reason);
  }

  /** Called after each logout (the router sends the user to the login page). */
  function onLogout(listener: (reason: LogoutReason) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return {
    token,
    expiresAt,
    user,
    endedBy,
    loggedIn,
    permissions,
    can,
    canAny,
    login,
    restore,
    refreshUser,
    changePassword,
    logout,
    onLogout,
  };
});
