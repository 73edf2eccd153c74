/** The observability requirements in the seed chapter, read with the harness' seed reader. */
import { seedSection, seedTable } from "../../harness/seed";

export interface SeedThreshold {
  /** The seed's own word for the indicator: p99, error_rate, lag, failures, cpu, mem, disk, wait, hit_rate. */
  token: string;
  comparison: ">" | "<";
  value: number;
}

/** Every `name > value` of the 告警阈值 (third) column of seed 15.1. */
export function seedAlertThresholds(): SeedThreshold[] {
  return seedTable("15.1").flatMap((row) =>
    [...(row[2] ?? "").matchAll(/([a-z_0-9]+)\s*([<>])\s*([\d.]+)/g)].map((m) => ({
      token: m[1]!,
      comparison: m[2] as ">" | "<",
      value: Number(m[3]),
    })),
  );
}

/** The `[Panel]` titles of the seed 15.2 dashboard, row by row, left to right. */
export function seedDashboardRows(): string[][] {
  return seedSection("15.2")
    .split("\n")
    .map((line) => [...line.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!))
    .filter((titles) => titles.length > 0);
}

/** Seed 16.2 columns: 数据类型, 备份方式, 频率, 保留期, RTO, RPO. */
const BACKUP_COLUMNS = { 频率: 2, RPO: 5 } as const;

/** A cell of the seed 16.2 table, in the row whose backup method mentions `method`. */
export function seedBackupCell(method: string, column: keyof typeof BACKUP_COLUMNS): string {
  const row = seedTable("16.2").find((r) => r[1]?.includes(method));
  if (!row) throw new Error(`no seed 16.2 row for ${method}`);
  return row[BACKUP_COLUMNS[column]]!;
}
