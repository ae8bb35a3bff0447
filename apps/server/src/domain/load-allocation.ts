/**
 * Sharing a site's grid limit among its charging sessions (CONTRACT section 9): a pure function,
 * sessions in, limits out. Power is in kW throughout; `electricalKw` converts currents.
 */

/** The electrical settings of a site's connection. */
export interface Electrical {
  /** 1 or 3. */
  phases: number;
  /** Volts per phase (line to neutral). */
  voltage: number;
}

/** kW drawn by `currentA` amperes per phase. */
export function electricalKw(currentA: number, { phases, voltage }: Electrical): number {
  return (currentA * voltage * phases) / 1000;
}

/** Amperes per phase for `kw`. */
export function electricalA(kw: number, { phases, voltage }: Electrical): number {
  return (kw * 1000) / (voltage * phases);
}

/** One charging session as the allocation sees it. */
export interface SessionLoad {
  /** Stable identity (the transaction id). */
  key: number;
  /** When it started, ISO 8601 UTC: arrival order decides who is paused first. */
  arrivedAt: string;
  /** What the station can deliver to it, kW. */
  maxKw: number;
  /** The power it draws now (its last meter value), kW; null while none came. */
  measuredKw: number | null;
  /** The limit it was last given, kW (0 when paused); null when none yet. */
  previousKw: number | null;
  /**
   * kW the session is counted at because it is out of our hands: its station's maximum when the
   * station refused a profile, its last limit while the station does not answer; null: ours to share.
   */
  heldKw: number | null;
}

export interface AllocationSettings {
  /** The limit in force, kW. */
  limitKw: number;
  /** The least an unpaused session gets, kW (minCurrentA converted); less only when its station cannot take it. */
  minKw: number;
  /**
   * What a session may draw beyond what it draws now, kW: a session drawing less than its share
   * is capped at its measured power plus this, and what it leaves goes to the others.
   */
  headroomKw: number;
  /** A new limit within this of the previous one keeps the previous one (no flapping), kW. */
  hysteresisKw: number;
}

export interface SessionLimit {
  key: number;
  /** kW; 0 when paused. */
  limitKw: number;
  paused: boolean;
}

/** Limits are rounded down to 10 W so that rounding never takes the sum over the limit. */
const STEP_KW = 0.01;
const roundDown = (kw: number) => Math.floor(kw / STEP_KW + 1e-9) * STEP_KW;

/**
 * The limit each session gets. Sessions out of our hands count at their `heldKw`; the
 * rest share what remains: in order of arrival each gets at least its minimum while those
 * fit, later arrivals are paused (limit 0); the budget is then shared equally, a session never
 * getting more than its station's maximum or, when it draws less than it was given, its
 * measured power plus `headroomKw` (what it leaves goes to the others). A previous limit within
 * `hysteresisKw` of the new one is kept when the sum still fits.
 *
 * Guarantees (tested with fast-check): the sum of the limits stays within `limitKw` (or the sum
 * of the held sessions' `heldKw`, when those alone exceed it); an unpaused session gets at
 * least `min(minKw, maxKw)`; a paused session arrived after every unpaused one; the same input
 * gives the same output, and feeding the output back as `previousKw` changes nothing.
 */
export function allocate(sessions: readonly SessionLoad[], settings: AllocationSettings): SessionLimit[] {
  const ordered = [...sessions].sort((a, b) =>
    a.arrivedAt < b.arrivedAt ? -1 : a.arrivedAt > b.arrivedAt ? 1 : a.key - b.key,
  );
  const result = new Map<number, SessionLimit>();
  let budget = settings.limitKw;
  for (const session of ordered) {
    if (session.heldKw === null) continue;
    result.set(session.key, { key: session.key, limitKw: session.heldKw, paused: session.heldKw === 0 });
    budget -= session.heldKw;
  }
  const controlled = ordered.filter((s) => s.heldKw === null);
  const floor = (s: SessionLoad) => roundDown(Math.min(settings.minKw, s.maxKw));
  // First come, first served: admit while the minimums fit; everyone after the first that does
  // not fit is paused, so that pausing always takes the latest arrivals.
  const admitted: SessionLoad[] = [];
  let floors = 0;
  for (const session of controlled) {
    if (admitted.length === controlled.indexOf(session) && floors + floor(session) <= budget + 1e-9) {
      admitted.push(session);
      floors += floor(session);
    } else {
      result.set(session.key, { key: session.key, limitKw: 0, paused: true });
    }
  }
  const caps = admitted.map((s) => demandCap(s, floor(s), settings.headroomKw));
  const shared = waterFill(Math.max(0, budget), admitted.map(floor), caps);
  // What nobody asks for goes back up to the stations' maxima, so that a session whose car
  // draws more again is not held at its old draw for longer than needed.
  const spare = Math.max(0, budget) - shared.reduce((sum, kw) => sum + kw, 0);
  const topped =
    spare > STEP_KW
      ? waterFill(
          Math.max(0, budget),
          shared,
          admitted.map((s) => s.maxKw),
        )
      : shared;
  const limits = keepPrevious(
    admitted,
    topped.map(roundDown),
    admitted.map(floor),
    budget,
    settings.hysteresisKw,
  );
  admitted.forEach((s, i) => result.set(s.key, { key: s.key, limitKw: limits[i] ?? 0, paused: false }));
  return sessions.map((s) => result.get(s.key) ?? { key: s.key, limitKw: 0, paused: true });
}

/** The most a session is given: its station's maximum, or its draw plus headroom when it draws less. */
function demandCap(session: SessionLoad, floor: number, headroomKw: number): number {
  if (session.measuredKw === null) return session.maxKw;
  return Math.min(session.maxKw, Math.max(floor, session.measuredKw + headroomKw));
}

/**
 * Shares `budget` equally, starting from `floors` (each ≤ its cap, their sum ≤ budget), never
 * above a session's cap; what a capped session cannot take goes to the others.
 */
function waterFill(budget: number, floors: readonly number[], caps: readonly number[]): number[] {
  const given = [...floors];
  let left = budget - given.reduce((sum, kw) => sum + kw, 0);
  let open = given.map((_, i) => i).filter((i) => (caps[i] ?? 0) > (given[i] ?? 0));
  while (left > 1e-9 && open.length > 0) {
    // Raise the lowest level among the open sessions towards the next level or cap.
    const level = Math.min(...open.map((i) => given[i] ?? 0));
    const lowest = open.filter((i) => (given[i] ?? 0) <= level + 1e-12);
    const next = Math.min(
      ...open.map((i) => caps[i] ?? 0),
      ...open.map((i) => given[i] ?? 0).filter((kw) => kw > level + 1e-12),
    );
    const raise = Math.min(next - level, left / lowest.length);
    for (const i of lowest) given[i] = level + raise;
    left -= raise * lowest.length;
    open = open.filter((i) => (caps[i] ?? 0) > (given[i] ?? 0) + 1e-12);
  }
  return given;
}

/** Keeps a session's previous limit when the new one is within `hysteresisKw` and the sum still fits. */
function keepPrevious(
  sessions: readonly SessionLoad[],
  limits: number[],
  floors: readonly number[],
  budget: number,
  hysteresisKw: number,
): number[] {
  const kept = [...limits];
  const keepable = (i: number): number | undefined => {
    const session = sessions[i];
    const previous = session?.previousKw;
    if (!session || previous === null || previous === undefined || previous <= 0) return undefined;
    if (previous < (floors[i] ?? 0) || previous > session.maxKw) return undefined;
    return Math.abs(previous - (limits[i] ?? 0)) < hysteresisKw ? previous : undefined;
  };
  // Lowering to the previous value only frees room: those first; raising ones while they fit.
  const order = sessions
    .map((_, i) => i)
    .sort((a, b) => (keepable(a) ?? 0) - (limits[a] ?? 0) - ((keepable(b) ?? 0) - (limits[b] ?? 0)));
  let sum = limits.reduce((total, kw) => total + kw, 0);
  for (const i of order) {
    const previous = keepable(i);
    if (previous === undefined) continue;
    const delta = previous - (limits[i] ?? 0);
    if (delta > 0 && sum + delta > budget + 1e-9) continue;
    kept[i] = previous;
    sum += delta;
  }
  return kept;
}
