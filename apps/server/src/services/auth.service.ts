import type { EventBus } from '../cluster/event-bus.js';
import type { Clock } from '../domain/clock.js';
import { isoNow } from '../domain/clock.js';
import type { User } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { UserRepository } from '../repositories/user.repository.js';
import type { Passwords } from './password-guard.js';
import type { TokenService } from './token.service.js';

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
    /** Guesses throttled per username and address (README, "Login throttling"). */
    private readonly passwords: Passwords,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  /**
   * Checks a username and password. Unknown users, wrong passwords and disabled users get the
   * same `401`; a guess the throttle holds back gets `429` before any hash is computed, and
   * `503` for any password while the throttle cannot be reached.
   */
  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const credentials = await this.users.findCredentials(username);
    // A disabled user's right password is a failure too: it must not clear the count either.
    const matches = await this.passwords.guard.attempt(username, address, async () => {
      const right = await this.verify(credentials?.passwordHash, password);
      return right && credentials?.active === true;
    });
    const user = credentials && matches && (await this.users.findById(credentials.id));
    if (!user) throw new AppError('UNAUTHORIZED', INVALID_LOGIN);
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

  /**
   * Changes one's own password after checking the current one; older tokens stop working.
   * The check is throttled like a login (the same keys), so a stolen token cannot be used to
   * guess the password.
   */
  async changePassword(
    user: User,
    currentPassword: string,
    newPassword: string,
    address: string,
  ): Promise<LoginResult> {
    const credentials = await this.users.findCredentials(user.username);
    const matches = await this.passwords.guard.attempt(user.username, address, () =>
      this.verify(credentials?.passwordHash, currentPassword),
    );
    if (!credentials || !matches) {
      throw new AppError('VALIDATION_ERROR', 'The current password is wrong', {
        fields: ['currentPassword'],
      });
    }
    const updated = await this.users.update(user.id, {
      passwordHash: await this.passwords.hasher.hash(newPassword),
      now: isoNow(this.clock),
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

  /** Verifies against a decoy when there is no stored hash, so both failures take the same time. */
  private async verify(stored: string | undefined, password: string): Promise<boolean> {
    this.decoyHash ??= this.passwords.hasher.hash('decoy password for unknown users');
    const matches = await this.passwords.hasher.verify(stored ?? (await this.decoyHash), password);
    return stored !== undefined && matches;
  }
}
