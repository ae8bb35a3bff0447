/**
 * A latency histogram with logarithmic buckets (about 1 % wide), so that the load generators
 * can record millions of round trips in constant memory and the driver can merge the
 * histograms of several processes exactly. Values are milliseconds.
 */

/** Growth factor between bucket bounds: percentiles are exact to within 1 %. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** The smallest value told apart from zero: 1 µs. */
const MIN_MS = 0.001;
/** Bucket count: 0.001 ms × 1.01^2500 is far beyond any timeout we use. */
const BUCKETS = 2500;

/** A histogram as it travels between processes: sparse `[bucket, count]` pairs. */
export interface HistogramData {
  counts: [number, number][];
  total: number;
  max: number;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  total = 0;
  max = 0;

  record(ms: number): void {
    const index = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total += 1;
    if (ms > this.max) this.max = ms;
  }

  merge(data: HistogramData): this {
    for (const [index, count] of data.counts) this.counts[index] = (this.counts[index] ?? 0) + count;
    this.total += data.total;
    this.max = Math.max(this.max, data.max);
    return this;
  }

  /** The value below which `p` percent of the recorded values fall (upper bucket bound); null when empty. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index] ?? 0;
      if (seen >= rank) return Math.min(this.max, index === 0 ? MIN_MS : MIN_MS * GROWTH ** index);
    }
    return this.max;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      p50: round(this.percentile(50)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
      max: this.total === 0 ? null : round(this.max),
    };
  }

  toData(): HistogramData {
    const counts: [number, number][] = [];
    this.counts.forEach((count, index) => {
      if (count > 0) counts.push([index, count]);
    });
    return { counts, total: this.total, max: this.max };
  }

  static from(...data: HistogramData[]): Histogram {
    const histogram = new Histogram();
    for (const item of data) histogram.merge(item);
    return histogram;
  }
}

/** Percentiles of a latency distribution, in milliseconds (null when nothing was recorded). */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}
