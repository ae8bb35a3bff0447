import type { LoginThrottle, ThrottleKey } from '../cluster/login-throttle.js';
import type { EventBus } from '../cluster/event-bus.js';
import type { Clock } from '../domain/clock.js';
import { isoTime } from '../domain/clock.js';
import type { User } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { UserRepository } from '../repositories/user.repository.js';
import type { PasswordHasher } from './password-hasher.js';
import type { TokenService } from './token.service.js';

/** Failed logins allowed per username, and per address, within one window. */
export const LOGIN_LIMITS = { perUsername: 5, perAddress: 20, windowMs: 15 * 60 * 1000 };

export interface LoginResult {
  token: string;
  expiresIn: number;
  user: User;
}

const INVALID_LOGIN = 'Invalid username or password';

/** Logs users in and turns tokens back into users. */
export class AuthService {
  /** Verified against when the username is unknown, so both failures take the same time. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  /**
   * Checks a username and password. Unknown users, wrong passwords and disabled users get the
   * same `401`; too many failures for the username or the address get `429` before any check.
   */
  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const keys: ThrottleKey[] = [
      { key: `user:${username.toLowerCase()}`, limit: LOGIN_LIMITS.perUsername },
      { key: `addr:${address}`, limit: LOGIN_LIMITS.perAddress },
    ];
    const wait = await this.throttle.blockedFor(keys);
    if (wait > 0) {
      throw new AppError('TOO_MANY_ATTEMPTS', 'Too many failed logins; try again later', {
        retryAfter: wait,
      });
    }
    const credentials = await this.users.findCredentials(username);
    this.decoyHash ??= this.hasher.hash('decoy password for unknown users');
    const matches = await this.hasher.verify(credentials?.passwordHash ?? (await this.decoyHash), password);
    const user = credentials && matches && credentials.active && (await this.users.findById(credentials.id));
    if (!user) {
      await this.throttle.recordFailure(keys);
      throw new AppError('UNAUTHORIZED', INVALID_LOGIN);
    }
    await this.throttle.reset(keys[0] as ThrottleKey);
    return {
      token: this.tokens.issue(user.id, user.username, user.tokenVersion),
      expiresIn: this.tokens.lifetimeSeconds,
      user,
    };
  }

  /**
   * The user a bearer token stands for, with their current roles and permissions.
   * @throws AppError UNAUTHORIZED when the token is bad or expired, the user is gone or
   * disabled, or the password changed since the token was issued.
   */
  async authenticate(token: string): Promise<{ user: User; expiresAt: number }> {
    const claims = this.tokens.check(token);
    const user = await this.users.findById(claims.userId);
    if (!user || !user.active || user.tokenVersion !== claims.tokenVersion) {
      throw new AppError('UNAUTHORIZED', 'Token no longer valid');
    }
    return { user, expiresAt: claims.expiresAt };
  }

  /** Changes one's own password after checking the current one; older tokens stop working. */
  async changePassword(user: User, currentPassword: string, newPassword: string): Promise<LoginResult> {
    const credentials = await this.users.findCredentials(user.username);
    if (!credentials || !(await this.hasher.verify(credentials.passwordHash, currentPassword))) {
      throw new AppError('VALIDATION_ERROR', 'The current password is wrong', {
        fields: ['currentPassword'],
      });
    }
    const updated = await this.users.update(user.id, {
      passwordHash: await this.hasher.hash(newPassword),
      now: isoTime(this.clock.now()),
    });
    if (!updated) throw new AppError('UNAUTHORIZED', 'Token no longer valid');
    // Real-time connections opened with an older token close at once, on every node.
    this.events.publish({ type: 'AccessChanged', userId: updated.id });
    return {
      token: this.tokens.issue(updated.id, updated.username, updated.tokenVersion),
      expiresIn: this.tokens.lifetimeSeconds,
      user: updated,
    };
  }
}
