import { createSigner, createVerifier } from 'fast-jwt';
import type { Clock } from '../domain/clock.js';
import { AppError } from '../errors.js';

/** What a token says about its holder. */
export interface TokenClaims {
  userId: number;
  /** The user's token version when the token was issued. */
  tokenVersion: number;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

/**
 * Issues and checks HS256 JWTs (RFC 7519). The secret arrives once the database is up (it may
 * be stored there), through `useSecret`; until then no route that needs a token is served.
 */
export class TokenService {
  private keys:
    | {
        sign: (payload: Record<string, unknown>) => string;
        verify: (token: string) => Record<string, unknown>;
      }
    | undefined;

  /** @param lifetimeSeconds how long a token is valid (JWT_EXPIRES_IN). */
  constructor(
    readonly lifetimeSeconds: number,
    private readonly clock: Clock,
  ) {}

  useSecret(secret: string): void {
    this.keys = {
      sign: createSigner({
        key: secret,
        algorithm: 'HS256',
        expiresIn: this.lifetimeSeconds * 1000,
      }),
      // Expiry is checked in `check` against the injected clock.
      verify: createVerifier({ key: secret, algorithms: ['HS256'], ignoreExpiration: true }),
    };
  }

  private get ready() {
    if (!this.keys) throw new AppError('DATABASE_UNAVAILABLE', 'The server is still starting');
    return this.keys;
  }

  issue(userId: number, username: string, tokenVersion: number): string {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    return this.ready.sign({ sub: String(userId), name: username, tv: tokenVersion, iat });
  }

  /** @throws AppError UNAUTHORIZED for a malformed, forged or expired token. */
  check(token: string): TokenClaims {
    const { verify } = this.ready;
    let payload: Record<string, unknown>;
    try {
      payload = verify(token);
    } catch {
      throw new AppError('UNAUTHORIZED', 'Invalid token');
    }
    const userId = Number(payload.sub);
    const { tv, exp } = payload;
    if (!Number.isSafeInteger(userId) || typeof tv !== 'number' || typeof exp !== 'number') {
      throw new AppError('UNAUTHORIZED', 'Invalid token');
    }
    if (exp * 1000 <= this.clock.now().getTime()) throw new AppError('UNAUTHORIZED', 'Token expired');
    return { userId, tokenVersion: tv, expiresAt: exp };
  }
}
