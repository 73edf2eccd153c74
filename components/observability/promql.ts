/** Small PromQL building blocks, so expressions are assembled the same way everywhere. */

/** The window every rate in the recording rules uses (10 samples at the default 30 s scrape). */
export const RATE_WINDOW_MINUTES = 5;

/** A Prometheus duration for whole minutes: 5 → "5m", 60 → "1h", 90 → "90m". */
export function minutes(n: number): string {
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`expected a positive whole number of minutes, got ${n}`);
  if (n % 1440 === 0) return `${n / 1440}d`;
  if (n % 60 === 0) return `${n / 60}h`;
  return `${n}m`;
}

/** Seconds in a Prometheus duration made by minutes(). */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)([smhd])$/.exec(duration);
  if (!match) throw new Error(`expected a duration such as 5m, got ${duration}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

/** `metric{a="x", b!="y"}` from a metric name and matchers written as `label op "value"`. */
export function selector(metric: string, ...matchers: string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(", ")}}`;
}

export const eq = (label: string, value: string) => `${label}=${JSON.stringify(value)}`;
export const ne = (label: string, value: string) => `${label}!=${JSON.stringify(value)}`;

/** `sum by (namespace, …) (expr)`: every aggregation keeps `namespace` first (mixin convention). */
export function aggregate(op: "sum" | "max" | "min", by: readonly string[], expr: string): string {
  return `${op} by (${["namespace", ...by.filter((l) => l !== "namespace")].join(", ")}) (${expr})`;
}

export const rate = (series: string, window = minutes(RATE_WINDOW_MINUTES)) =>
  `rate(${series}[${window}])`;

/** A threshold as PromQL prints it: no exponent, no trailing noise from percent → ratio. */
export function literal(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`expected a finite threshold, got ${n}`);
  return String(Number(n.toPrecision(12)));
}
