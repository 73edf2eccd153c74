/** Judging rows and assembling region failover as a whole (pure). */
import { describe, expect, it } from "vitest";
import { SEED_RECOVERY_PROCEDURES } from "../../config";
import {
  assembleObjectives,
  FAILOVER_DECISION_ALLOWANCE_SECONDS,
  formatSeconds,
  judge,
  objectivesMarkdown,
  objectivesText,
  STACK_PROMOTION_ALLOWANCE_SECONDS,
  type ObjectiveInput,
} from "../../components/core/objectives";

const target = SEED_RECOVERY_PROCEDURES.regionFailover;
const link = (rpo: ObjectiveInput["rpo"]): ObjectiveInput => ({
  area: "test",
  mechanism: `link ${String(rpo)}`,
  rpo,
  basis: "test",
  target,
  crossRegion: true,
});

describe("judge", () => {
  it("met when every bound is within its target, with both comparisons in words", () => {
    const row = judge({ ...link(900), rto: 30 });
    expect(row.met).toBe(true);
    expect(row.reason).toBe("met: RPO 15 min ≤ 1 h, RTO 30 s ≤ 1 h (seed 16.3 region_failover)");
  });

  it("missed when a bound exceeds its target, or is unbounded", () => {
    expect(judge(link(target.rpoSeconds + 1)).met).toBe(false);
    const unbounded = judge(link("unbounded"));
    expect(unbounded.met).toBe(false);
    expect(unbounded.reason).toContain("RPO unbounded (no guarantee) against 1 h");
  });
});

describe("region failover as a whole", () => {
  const detection: ObjectiveInput = {
    area: "edge",
    mechanism: "detect",
    rto: 90,
    basis: "",
    target,
    failover: { phase: "detection", seconds: 90 },
  };
  const dns: ObjectiveInput = { ...detection, failover: { phase: "dns", seconds: 90 } };

  it("is judged only where asked (the DR stack)", () => {
    expect(assembleObjectives([detection], { regionFailover: false })).toHaveLength(1);
    expect(assembleObjectives([detection], { regionFailover: true })).toHaveLength(2);
  });

  it("by default, is judged where a mechanism carries data into the region (a following DR), not in a primary or promoted DR", () => {
    expect(assembleObjectives([detection, dns]).map((r) => r.area)).toEqual(["edge", "edge"]);
    expect(assembleObjectives([detection, link(900)]).at(-1)!.area).toBe("region");
  });

  it("RPO is the worst cross-region link; RTO the sum of the phases", () => {
    const region = assembleObjectives([link(900), link(300), detection, dns], {
      regionFailover: true,
    }).at(-1)!;
    expect(region.rpo).toBe(900);
    expect(region.rto).toBe(
      90 + FAILOVER_DECISION_ALLOWANCE_SECONDS + STACK_PROMOTION_ALLOWANCE_SECONDS + 90,
    );
    expect(region.met).toBe(true);
  });

  it("takes its RPO from the cross-region links only, not from a row kept in one region", () => {
    const local: ObjectiveInput = { ...link(7200), crossRegion: false, mechanism: "local" };
    const region = assembleObjectives([link(900), local], { regionFailover: true }).at(-1)!;
    expect(region.rpo).toBe(900);
    expect(region.basis).toMatch(/\(link 900\)$/);
  });

  it("a slower promotion than the allowance counts instead of it", () => {
    const slow: ObjectiveInput = {
      ...detection,
      failover: { phase: "promotion", seconds: STACK_PROMOTION_ALLOWANCE_SECONDS + 600 },
    };
    const region = assembleObjectives([link(900), detection, slow], { regionFailover: true }).at(
      -1,
    )!;
    expect(region.rto).toBe(90 + FAILOVER_DECISION_ALLOWANCE_SECONDS + slow.failover!.seconds);
  });

  it("an unbounded link, or none at all, leaves the data loss unbounded: missed", () => {
    for (const rows of [[link("unbounded"), link(900), detection], [detection]]) {
      const region = assembleObjectives(rows, { regionFailover: true }).at(-1)!;
      expect(region.rpo).toBe("unbounded");
      expect(region.met).toBe(false);
    }
  });
});

describe("formatSeconds", () => {
  it.each([
    [0, "0 s"],
    [59, "59 s"],
    [60, "1 min"],
    [90, "90 s"],
    [900, "15 min"],
    [3600, "1 h"],
    [5400, "90 min"],
    [3601, "3601 s"],
    [86_400, "24 h"],
    ["unbounded" as const, "unbounded"],
  ])("%s → %s", (b, text) => expect(formatSeconds(b)).toBe(text));
});

describe("judge, without a bound or a target", () => {
  it("judges only what has both, and says so when nothing has", () => {
    const detectionOnly = { ...link(undefined), rto: 120, target: { source: "seed x" } };
    expect(judge(detectionOnly)).toMatchObject({
      met: true,
      reason: "met: no bound to judge (seed x)",
    });
    const rpoOnly = judge({ ...link(120), target: { source: "s", rpoSeconds: 60 } });
    expect(rpoOnly).toMatchObject({ met: false, reason: "missed: RPO 2 min > 1 min (s)" });
    expect(judge({ ...link(60), target: { source: "s", rpoSeconds: 60 } })).toMatchObject({
      met: true,
      reason: "met: RPO 1 min ≤ 1 min (s)",
    });
  });
});

describe("region failover's basis", () => {
  it("names each phase and the worst link, or says no mechanism carries data", () => {
    const rows = assembleObjectives([link(900), link(300)], { regionFailover: true });
    expect(rows.at(-1)!.mechanism).toBe("Region failover (detection + decision + promotion + DNS)");
    const tie = assembleObjectives([link(900), { ...link(900), mechanism: "other" }, link(60)], {
      regionFailover: true,
    }).at(-1)!;
    expect(tie.basis).toMatch(/; RPO: the worst cross-region link \(link 900, other\)$/);
    expect(rows.at(-1)!.basis).toBe(
      `RTO: detection 0 s + decision 15 min + promotion 10 min + DNS 0 s; RPO: the worst cross-region link (link 900)`,
    );
    expect(assembleObjectives([], { regionFailover: true }).at(-1)!.basis).toMatch(
      /; RPO: no mechanism carries data into the DR region$/,
    );
    const unbounded = assembleObjectives([link("unbounded")], { regionFailover: true }).at(-1)!;
    expect(unbounded.basis).toMatch(/; RPO: the worst cross-region link \(link unbounded\)$/);
  });
});

describe("the objectives table", () => {
  const rows = assembleObjectives(
    [
      { ...link(900), mechanism: "S3 replication", basis: "RTC" },
      { ...link(7200), mechanism: "pg_dump", basis: "daily", rto: 600 },
      {
        area: "edge",
        mechanism: "detection",
        rto: 90,
        basis: "health checks",
        target: { source: "seed 16.3 x", rtoSeconds: 300 },
      },
    ],
    { regionFailover: false },
  );

  it("as Markdown: a header, its delimiter, one row per mechanism with its verdict", () => {
    const lines = objectivesMarkdown(rows).split("\n");
    expect(lines[0]).toBe("| mechanism | RPO | RTO | from | seed target | | reason |");
    expect(lines[1]).toBe("|---|---|---|---|---|---|---|");
    expect(lines.slice(2)).toEqual([
      `| S3 replication | 15 min | – | RTC | RPO 1 h, RTO 1 h (seed 16.3 region_failover) | met ✅ | ${rows[0]!.reason} |`,
      `| pg_dump | 2 h | 10 min | daily | RPO 1 h, RTO 1 h (seed 16.3 region_failover) | **missed** ❌ | ${rows[1]!.reason} |`,
      `| detection | – | 90 s | health checks | RTO 5 min (seed 16.3 x) | met ✅ | met: RTO 90 s ≤ 5 min (seed 16.3 x) |`,
    ]);
  });

  it("as terminal lines: MISSED stands out, a missing bound is a dash", () => {
    expect(objectivesText(rows).split("\n")).toEqual([
      "recovery objectives:",
      `  met    S3 replication: RPO 15 min, RTO – (${rows[0]!.reason})`,
      `  MISSED pg_dump: RPO 2 h, RTO 10 min (${rows[1]!.reason})`,
      `  met    detection: RPO –, RTO 90 s (${rows[2]!.reason})`,
    ]);
  });
});
