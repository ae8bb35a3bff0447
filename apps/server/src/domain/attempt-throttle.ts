/**
 * The throttling policy for password guesses (logins, password changes, OCPP Basic auth), as
 * a pure function so that the in-memory and the Redis throttle apply the same rule.
 *
 * Each key (an account, a source address, an account seen from one source) counts the attempts
 * made on it. The first `freeAttempts` go through at once; after that each further attempt must
 * wait `baseDelayMs · 2^(attempts − freeAttempts)` after the previous one, at most `maxDelayMs`.
 * A key unused for `forgetAfterMs` starts afresh. There is never a hard lock: the delay is
 * bounded, so a stranger can slow an account down but not shut its owner out.
 */
export interface DelayPolicy {
  /** Attempts allowed back to back before delays start. */
  freeAttempts: number;
  /** The first delay, in ms; each further attempt doubles it. */
  baseDelayMs: number;
  /** The longest delay, in ms. */
  maxDelayMs: number;
  /** A key left alone this long (ms after its last attempt) is forgotten. */
  forgetAfterMs: number;
}

/** What is kept per key: attempts counted, and when the last one was made (epoch ms). */
export interface AttemptState {
  attempts: number;
  lastAt: number;
}

/** The wait, in ms, required after `attempts` counted attempts. */
export function delayAfter(attempts: number, policy: DelayPolicy): number {
  if (attempts < policy.freeAttempts) return 0;
  // 2^31 ms is weeks: any exponent past that is capped anyway, and stays a finite number.
  const exponent = Math.min(attempts - policy.freeAttempts, 31);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/** The state that still counts at `now`: `undefined` once forgotten. */
export function liveState(state: AttemptState | undefined, now: number, policy: DelayPolicy) {
  if (!state || now - state.lastAt >= policy.forgetAfterMs) return undefined;
  return state;
}

/**
 * Ms to wait before the next attempt on a key may be made (0: it may be made now).
 */
export function waitBeforeAttempt(state: AttemptState | undefined, now: number, policy: DelayPolicy): number {
  const live = liveState(state, now, policy);
  if (!live) return 0;
  return Math.max(0, live.lastAt + delayAfter(live.attempts, policy) - now);
}

/** The state after an attempt is counted at `now` (call only when `waitBeforeAttempt` is 0). */
export function countAttempt(
  state: AttemptState | undefined,
  now: number,
  policy: DelayPolicy,
): AttemptState {
  const live = liveState(state, now, policy);
  return { attempts: (live?.attempts ?? 0) + 1, lastAt: now };
}

/** The state after a counted attempt turned out right: it no longer counts as a failure. */
export function refundAttempt(state: AttemptState | undefined): AttemptState | undefined {
  if (!state) return undefined;
  return { attempts: Math.max(0, state.attempts - 1), lastAt: state.lastAt };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The keys that one password guess is counted against, and their policies (README, "Login
 * throttling"). One attacker at one address is slowed by `accountFromSource` and `source`
 * (after a few guesses, one guess per 15 minutes at best). Many addresses guessing one account
 * are counted together by `account`, but its delay holds back only addresses that have already
 * failed `accountDelayAfterFailures` times on the account: a budget shared by every address is
 * one a stranger can use up by polling, and would keep the owner (or a charge point whose mobile
 * address changed) out for as long as the stranger keeps on. So a fresh address is never held
 * back by what others did, and many addresses together get at most that many guesses each
 * before the account's delay applies to them too (an IPv6 /64 counts as one address). An address
 * the account has logged in from (within `knownSourceMs`) is not counted on `account` at all.
 */
export const PASSWORD_GUESS_POLICY = {
  accountFromSource: {
    freeAttempts: 5,
    baseDelayMs: 1000,
    maxDelayMs: 15 * MINUTE,
    forgetAfterMs: 24 * HOUR,
  },
  source: { freeAttempts: 20, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 24 * HOUR },
  account: { freeAttempts: 20, baseDelayMs: 1000, maxDelayMs: MINUTE, forgetAfterMs: HOUR },
  knownSourceMs: 30 * 24 * HOUR,
  accountDelayAfterFailures: 3,
} as const satisfies Record<string, DelayPolicy | number>;

/**
 * The source a password guess is counted against, for an address: an IPv4 address as it is
 * (also when written IPv4-mapped, `::ffff:10.0.0.1`), an IPv6 address as its /64 network.
 * One IPv6 subscriber, host or container gets a whole /64 (RFC 6177, RFC 8981 temporary
 * addresses), so counting single IPv6 addresses would give one attacker 2^64 fresh sources and
 * leave the per-source and per-account-from-source limits without effect.
 */
export function guessSource(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  if (!bare.includes(':')) return bare;
  const groups = ipv6Groups(bare);
  if (!groups) return bare;
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (`::` and a trailing dotted IPv4 part allowed). */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const piece of part.split(':')) {
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(piece)) {
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        groups.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}
