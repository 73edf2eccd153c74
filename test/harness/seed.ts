/**
 * Reads requirements straight from the seed chapter (docs/seed-operations.md), so tests compare
 * our defaults with the seed's own text rather than with numbers copied by hand.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const SEED = readFileSync(path.resolve(__dirname, "../../docs/seed-operations.md"), "utf8");

/** The text of a section, from its `### <number>` heading to the next heading of that level. */
export function seedSection(number: string): string {
  const start = SEED.search(new RegExp(`^#{2,3} ${number.replace(/\./g, "\\.")}\\.? `, "m"));
  if (start < 0) throw new Error(`seed has no section ${number}`);
  const bodyStart = SEED.indexOf("\n", start) + 1;
  const rest = SEED.slice(bodyStart);
  const end = rest.search(/^#{2,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Rows of the first Markdown table of a section, cells trimmed and bold markers removed. */
export function seedTable(number: string): string[][] {
  return seedSection(number)
    .split("\n")
    .filter((l) => l.trim().startsWith("|") && !/^\|\s*:?-/.test(l.trim()))
    .slice(1)
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => c.trim().replace(/\*\*/g, "")),
    );
}

/** The first ```yaml block of a section, parsed. */
export function seedYaml(number: string): any {
  const match = /```yaml\n([\s\S]*?)```/.exec(seedSection(number));
  if (!match) throw new Error(`seed section ${number} has no yaml block`);
  return parse(match[1]!);
}

/** Seed 16.2: retention days by backup method (the table's second column). */
export function seedRetentionDays(): Record<string, number> {
  const days: Record<string, number> = {};
  for (const [, method, , retention] of seedTable("16.2")) {
    const d = /(\d+)\s*天/.exec(retention ?? "");
    if (method && d) days[method] = Number(d[1]);
  }
  return days;
}

/** Seconds of a seed duration: "5s", "30min", "1h", 每日 (daily), 每小时 (hourly). */
export function seedSeconds(text: string): number {
  const t = String(text).trim();
  if (t === "每日") return 86_400;
  if (t === "每小时") return 3600;
  const m = /^(\d+)\s*(s|min|h)$/.exec(t);
  if (!m) throw new Error(`not a seed duration: ${text}`);
  return Number(m[1]) * { s: 1, min: 60, h: 3600 }[m[2] as "s" | "min" | "h"];
}

/** Seed 17.2 load_balancer with durations in seconds. */
export function seedLoadBalancer() {
  const lb = seedYaml("17.2").load_balancer;
  return {
    algorithm: lb.algorithm as string,
    path: lb.health_check.path as string,
    intervalSeconds: seedSeconds(lb.health_check.interval),
    timeoutSeconds: seedSeconds(lb.health_check.timeout),
    healthyThreshold: lb.health_check.healthy_threshold as number,
    unhealthyThreshold: lb.health_check.unhealthy_threshold as number,
    stickySession: lb.sticky_session.enabled as boolean,
    backends: lb.backends as { address: string; weight: number }[],
    port: Number(String(lb.backends[0].address).split(":")[1]),
  };
}
