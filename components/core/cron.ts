/**
 * The longest gap between two runs of a 5-field cron schedule (minute hour day-of-month month
 * day-of-week, UTC), found by walking one week minute by minute: a backup schedule's RPO. Day of
 * month and month must be `*` (a schedule that skips days or months is refused: its gap depends
 * on the calendar, and no backup here uses one).
 */
function field(spec: string, min: number, max: number, what: string): Set<number> {
  const values = new Set<number>();
  for (const part of spec.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${what}: cannot read "${part}"`);
    const from = m[1] === "*" ? min : Number(m[2]);
    const to = m[1] === "*" ? max : m[3] !== undefined ? Number(m[3]) : m[4] ? max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < min || to > max || step < 1) throw new Error(`cron ${what}: "${part}" out of range`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Seconds of the longest gap between consecutive runs of `expression`. */
export function cronMaxGapSeconds(expression: string): number {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron: expected 5 fields, got "${expression}"`);
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  if (dom !== "*" || month !== "*")
    throw new Error(`cron "${expression}": day of month and month must be *`);
  const minutes = field(minute, 0, 59, "minute");
  const hours = field(hour, 0, 23, "hour");
  // Sunday is 0 or 7.
  const days = new Set([...field(dow, 0, 7, "day of week")].map((d) => d % 7));
  const week = 7 * 24 * 60;
  const runs: number[] = [];
  for (let t = 0; t < week; t++) {
    const d = Math.floor(t / 1440);
    const h = Math.floor((t % 1440) / 60);
    if (days.has(d) && hours.has(h) && minutes.has(t % 60)) runs.push(t);
  }
  if (runs.length === 0) throw new Error(`cron "${expression}" never runs`);
  let gap = runs[0]! + week - runs.at(-1)!; // wrap around the week
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i]! - runs[i - 1]!);
  return gap * 60;
}
