/** Nearest-rank percentile of samples (any order); p in 0..100. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Rounds for a results table: three significant digits are all a noisy machine supports. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(3));
}
