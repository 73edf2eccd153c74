/** Reads the requirement numbers out of the seed chapter (config/seed-operations.md). */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "../../harness";

const SEED = readFileSync(path.join(ROOT, "config/seed-operations.md"), "utf8");

/** The text of a `### <number>.` section, up to the next heading of that level or above. */
export function seedSection(number: string): string {
  const start = SEED.indexOf(`### ${number}.`);
  if (start < 0) throw new Error(`seed section ${number} not found`);
  const rest = SEED.slice(start + 4);
  const end = rest.search(/\n#{1,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

export interface SeedThreshold {
  /** The seed's own word for the indicator: p99, error_rate, lag, failures, cpu, mem, disk, wait, hit_rate. */
  token: string;
  comparison: ">" | "<";
  value: number;
  unit: "s" | "%" | "";
}

/** Every `name > value` of the 告警阈值 column of seed 15.1. */
export function seedAlertThresholds(): SeedThreshold[] {
  const rows = seedSection("15.1").split("\n").filter((l) => l.startsWith("| **"));
  return rows.flatMap((row) => {
    const threshold = row.split("|")[3] ?? "";
    return [...threshold.matchAll(/([a-z_0-9]+)\s*([<>])\s*([\d.]+)\s*(s|%)?/g)].map((m) => ({
      token: m[1]!,
      comparison: m[2] as ">" | "<",
      value: Number(m[3]),
      unit: (m[4] ?? "") as SeedThreshold["unit"],
    }));
  });
}

/** The `[Panel]` titles of the seed 15.2 dashboard, row by row, left to right. */
export function seedDashboardRows(): string[][] {
  return seedSection("15.2")
    .split("\n")
    .map((line) => [...line.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!))
    .filter((titles) => titles.length > 0);
}

/** A cell of the seed 16.2 backup table, in the row whose first cells mention `rowKey`. */
export function seedBackupCell(rowKey: string, column: "频率" | "RPO" | "保留期"): string {
  const lines = seedSection("16.2").split("\n").filter((l) => l.startsWith("|"));
  const header = lines[0]!.split("|").map((c) => c.trim());
  const row = lines.find((l) => l.includes(rowKey));
  if (!row) throw new Error(`no seed 16.2 row with ${rowKey}`);
  return row.split("|").map((c) => c.trim())[header.indexOf(column)]!;
}

/** Seed durations such as 5min, 1h, 24h, 每日 (daily), in seconds. */
export function seedSeconds(text: string): number {
  if (text === "每日") return 86_400;
  if (text === "每小时") return 3600;
  const m = /^(\d+)\s*(min|h|s)$/.exec(text);
  if (!m) throw new Error(`unreadable seed duration ${text}`);
  return Number(m[1]) * { s: 1, min: 60, h: 3600 }[m[2] as "s" | "min" | "h"];
}

/** The gateway backends of seed 17.2. */
export const seedGatewayCount = () => [...seedSection("17.2").matchAll(/address: "gateway-\d+:\d+"/g)].length;
