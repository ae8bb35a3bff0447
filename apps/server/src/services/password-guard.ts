import type { LoginThrottle, ThrottleKey } from '../cluster/login-throttle.js';
import type { Clock } from '../domain/clock.js';
import { guessSource, PASSWORD_GUESS_POLICY } from '../domain/attempt-throttle.js';
import { AppError } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';

/** Seconds a client is told to wait when the throttle store cannot be reached. */
const UNAVAILABLE_RETRY_AFTER = 5;

/** How the passwords of one realm are checked: hashed by `hasher`, guesses throttled by `guard`. */
export interface Passwords {
  hasher: PasswordHasher;
  guard: PasswordGuard;
}

/**
 * Lets a password be checked only when the throttle allows a guess on that account from that
 * address, and counts the guess before the check (so concurrent guesses cannot all pass, and a
 * throttled guess costs no hash). Used for user logins, password changes and OCPP Basic auth;
 * `realm` keeps their accounts apart (a user `CS001` is not the station `CS001`).
 */
export class PasswordGuard {
  constructor(
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly realm: string,
  ) {}

  /**
   * Runs `check` (the password comparison) unless throttled, and answers what it answered.
   * @throws AppError TOO_MANY_ATTEMPTS (with `retryAfter` seconds) when a key must still wait;
   * SERVICE_UNAVAILABLE when the throttle cannot be reached: then nothing is checked, so the
   * answer is the same for a right and a wrong password (fail closed).
   */
  async attempt(account: string, address: string, check: () => Promise<boolean>): Promise<boolean> {
    // An IPv6 client counts as its /64: one subscriber's network, not one of its 2^64 addresses.
    const source = guessSource(address);
    const id = (kind: string, ...parts: string[]) =>
      [this.realm, kind, ...parts.map((part) => encodeURIComponent(part))].join(':');
    const accountName = account.toLowerCase();
    const pair: ThrottleKey = {
      key: id('pair', accountName, source),
      policy: PASSWORD_GUESS_POLICY.accountFromSource,
    };
    const bySource: ThrottleKey = { key: id('source', source), policy: PASSWORD_GUESS_POLICY.source };
    const byAccount: ThrottleKey = { key: id('account', accountName), policy: PASSWORD_GUESS_POLICY.account };
    const knownSource = id('known', accountName, source);
    const now = this.clock.now().getTime();

    let known: boolean;
    let waitMs: number;
    try {
      known = await this.throttle.isRemembered(knownSource, now);
      // The account's delay holds back only an address that has failed on it a few times, so
      // that a stranger polling from elsewhere cannot use up the owner's chances (see the
      // policy). Read before the atomic reserve: concurrent first guesses from one address
      // get at most the pair's free attempts, which bounds what the race can give.
      const fresh =
        !known &&
        (await this.throttle.liveAttempts(pair, now)) < PASSWORD_GUESS_POLICY.accountDelayAfterFailures;
      const keys = known ? [pair, bySource] : [pair, bySource, { ...byAccount, countOnly: fresh }];
      waitMs = await this.throttle.reserve(keys, now);
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', 'Sign-in is unavailable right now; try again later', {
        retryAfter: UNAVAILABLE_RETRY_AFTER,
      });
    }
    if (waitMs > 0) {
      throw new AppError('TOO_MANY_ATTEMPTS', 'Too many failed attempts; try again later', {
        retryAfter: Math.ceil(waitMs / 1000),
      });
    }
    const right = await check();
    if (right) {
      // Best effort: if the store is lost just now, the attempt merely stays counted.
      await this.throttle
        .settle([pair.key], known ? [bySource.key] : [bySource.key, byAccount.key])
        .catch(() => undefined);
      await this.throttle
        .remember(knownSource, PASSWORD_GUESS_POLICY.knownSourceMs, now)
        .catch(() => undefined);
    }
    return right;
  }
}
