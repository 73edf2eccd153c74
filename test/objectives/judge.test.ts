/** Judging rows and assembling region failover as a whole (pure). */
import { describe, expect, it } from "vitest";
import { SEED_RECOVERY_PROCEDURES } from "../../config";
import {
  assembleObjectives,
  FAILOVER_DECISION_ALLOWANCE_SECONDS,
  judge,
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
