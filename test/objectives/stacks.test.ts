/**
 * The objectives table of both real stacks, computed by the offline plan from the synthesised
 * resources (each stack in its own worker), and of a DR config with Replication Time Control off.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { ObjectiveRow } from "../../components/core/objectives";
import {
  SEED_BACKUP_OBJECTIVES,
  SEED_RECOVERY_PROCEDURES,
  SEED_TARGETS_OUTSIDE_THE_STACKS,
} from "../../config";
import { synthesiseStacks } from "../../tools/plan/run";
import { stackFilesIn } from "../plan/cli";

const tmp = mkdtempSync(path.join(tmpdir(), "vega-objectives-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Tables = { primary: ObjectiveRow[]; dr: ObjectiveRow[]; summary: string };

async function tables(stackDir?: string): Promise<Tables> {
  const plans = await synthesiseStacks(["primary", "dr"], stackDir);
  const read = (stack: "primary" | "dr") =>
    JSON.parse(plans.get(stack)!.files["objectives.json"]!) as ObjectiveRow[];
  return {
    primary: read("primary"),
    dr: read("dr"),
    summary: plans.get("dr")!.files["summary.md"]!,
  };
}

/** The tables with the DR stack file edited. */
function drEdited(name: string, edit: (config: Record<string, any>) => void): Promise<Tables> {
  return tables(
    stackFilesIn(path.join(tmp, name), {
      dr: (text) => {
        const doc = parse(text);
        edit(doc.config);
        return stringify(doc);
      },
    }),
  );
}

/** Rows whose verdict differs between two tables of the same stack (same rows, same order). */
function verdictChanges(before: ObjectiveRow[], after: ObjectiveRow[]) {
  expect(after.map((r) => r.area)).toEqual(before.map((r) => r.area));
  return after.filter((row, i) => row.met !== before[i]!.met);
}

let real: Tables;
let rtcOff: Tables;
let deltasEvery2h: Tables;
let slowLagAlarm: Tables;
/** A lag-alarm period whose bound, (1 + 1) × period + 60 s, exceeds seed 16.3's 1 h RPO. */
const SLOW_LAG_MINUTES = Math.floor(SEED_RECOVERY_PROCEDURES.regionFailover.rpoSeconds / 120) + 1;
beforeAll(async () => {
  real = await tables();
  rtcOff = await drEdited("rtc-off", (c) => {
    c["vega-ha:backup"].replication.replicationTimeControl = false;
  });
  deltasEvery2h = await drEdited("deltas-2h", (c) => {
    c["vega-ha:opensearch"] = { snapshots: { hourlyCron: "15 */2 * * *" } };
  });
  slowLagAlarm = await drEdited("slow-lag-alarm", (c) => {
    c["vega-ha:opensearch"] = { replication: { lagAlarmPeriodMinutes: SLOW_LAG_MINUTES } };
  });
}, 120_000);

describe("objectives of the real stacks", () => {
  it("every row of the primary is met", () => {
    for (const row of real.primary) expect(row, row.reason).toMatchObject({ met: true });
  });

  it("every DR row is met, cross-cluster replication bounded by its lag alarm, and so region failover", () => {
    for (const row of real.dr) expect(row, row.reason).toMatchObject({ met: true });
    const ccr = real.dr.find((r) => r.mechanism.includes("cross-cluster replication"))!;
    expect(ccr.rpo).toEqual(expect.any(Number));
    expect(ccr.basis).toContain("search-replication-lag");
    const region = real.dr.at(-1)!;
    expect(region.area).toBe("region");
    expect(region.rpo).toBe(
      Math.max(...real.dr.filter((r) => r.crossRegion).map((r) => r.rpo as number)),
    );
  });

  it("the DR stack judges replication, detection, snapshots, CCR, the database replica and region failover", () => {
    expect(new Set(real.dr.map((r) => r.area))).toEqual(
      new Set(["backup", "edge", "opensearch", "postgresql", "region"]),
    );
    expect(real.dr.at(-1)!.area).toBe("region");
    // both OpenSearch rows of seed 16.2, in both stacks
    for (const rows of [real.primary, real.dr])
      expect(
        rows.filter((r) => r.area === "opensearch" && !r.crossRegion).map((r) => r.target),
      ).toEqual([
        SEED_BACKUP_OBJECTIVES.openSearchSnapshot,
        SEED_BACKUP_OBJECTIVES.openSearchDelta,
      ]);
    expect(real.primary.map((r) => r.area)).not.toContain("region");
  });

  it("summary.md carries the table", () => {
    expect(real.summary).toContain("### Recovery objectives (seed 16.2, 16.3)");
    for (const row of real.dr) expect(real.summary).toContain(`| ${row.mechanism} |`);
  });
});

/** The cross-region row a setting broke, and through it region failover's data-loss bound. */
function expectCrossRegionRowMissed(changed: ObjectiveRow[], area: string) {
  expect(changed.map((r) => r.area)).toEqual([area, "region"]);
  expect(changed[0]!.crossRegion).toBe(true);
  expect(changed[1]!.basis).toContain(changed[0]!.mechanism);
  // only the data-loss bound is missed: the failover's time is still within the hour
  expect(changed[1]!.reason).toMatch(/RTO \d+ min ≤ 1 h/);
}

describe("every seed 16.2/16.3 target is accounted for", () => {
  const sources = (rows: ObjectiveRow[]) => new Set(rows.map((r) => r.target.source));

  it("is judged by a row of one of the stacks, or listed with why no resource can bound it", () => {
    const judged = new Set([...sources(real.primary), ...sources(real.dr)]);
    const outside = SEED_TARGETS_OUTSIDE_THE_STACKS.map((o) => o.target.source);
    for (const target of [
      ...Object.values(SEED_BACKUP_OBJECTIVES),
      ...Object.values(SEED_RECOVERY_PROCEDURES),
    ]) {
      expect(judged.has(target.source) || outside.includes(target.source), target.source).toBe(
        true,
      );
    }
    // A target the stacks bound is not also excused.
    for (const source of outside) expect(judged.has(source), source).toBe(false);
  });

  it("the summary names the targets no resource bounds, with the reason", () => {
    for (const { target, why } of SEED_TARGETS_OUTSIDE_THE_STACKS) {
      expect(real.summary).toContain(target.source);
      expect(real.summary).toContain(why);
    }
  });
});

describe("one setting changed turns exactly its row to missed", () => {
  it("Replication Time Control off: the S3 replication row, now unbounded, and region failover's RPO", () => {
    const changed = verdictChanges(real.dr, rtcOff.dr);
    expectCrossRegionRowMissed(changed, "backup");
    expect(changed[0]!.rpo).toBe("unbounded");
    expect(changed[0]!.basis).toContain("best effort");
    expect(rtcOff.primary).toEqual(real.primary);
  });

  it("deltas every 2 h: the hourly snapshot row, 2 h against the seed's 1 h", () => {
    const changed = verdictChanges(real.dr, deltasEvery2h.dr);
    expect(changed.map((r) => r.mechanism)).toEqual([expect.stringContaining("opensearch/delta/")]);
    expect(changed[0]!.rpo).toBe(2 * 3600);
  });

  it("a replication-lag alarm too slow for the hour: the CCR row, and region failover's RPO", () => {
    const changed = verdictChanges(real.dr, slowLagAlarm.dr);
    expectCrossRegionRowMissed(changed, "opensearch");
    expect(changed[0]!.rpo).toBe(2 * SLOW_LAG_MINUTES * 60 + 60);
    expect(slowLagAlarm.primary).toEqual(real.primary);
  });
});
