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
import { SEED_BACKUP_OBJECTIVES } from "../../config";
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

/**
 * Rows missed by design of the mechanism, not by a setting: cross-cluster replication states no
 * lag bound (best effort), so region failover's data loss is unbounded until a lag alarm bounds it.
 */
const unboundedByNature = (r: ObjectiveRow) =>
  r.rpo === "unbounded" && r.basis.includes("best effort");

let real: Tables;
let rtcOff: Tables;
let deltasEvery2h: Tables;
beforeAll(async () => {
  real = await tables();
  rtcOff = await drEdited("rtc-off", (c) => {
    c["vega-ha:backup"].replication.replicationTimeControl = false;
  });
  deltasEvery2h = await drEdited("deltas-2h", (c) => {
    c["vega-ha:opensearch"] = { snapshots: { hourlyCron: "15 */2 * * *" } };
  });
}, 90_000);

describe("objectives of the real stacks", () => {
  it("every row of the primary is met", () => {
    for (const row of real.primary) expect(row, row.reason).toMatchObject({ met: true });
  });

  it("every DR row is met but cross-cluster replication (best effort) and, through it, region failover", () => {
    const missed = real.dr.filter((r) => !r.met);
    expect(missed.map((r) => r.area)).toEqual(["opensearch", "region"]);
    expect(unboundedByNature(missed[0]!)).toBe(true);
    expect(missed[1]!.basis).toContain(missed[0]!.mechanism);
    // its time is within the hour: only the data-loss bound is missing
    expect(missed[1]!.reason).toMatch(/RTO \d+ min ≤ 1 h/);
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

describe("one setting changed turns exactly its row to missed", () => {
  it("Replication Time Control off: the S3 replication row, now unbounded", () => {
    const changed = verdictChanges(real.dr, rtcOff.dr);
    expect(changed.map((r) => r.area)).toEqual(["backup"]);
    expect(changed[0]!.rpo).toBe("unbounded");
    expect(changed[0]!.basis).toContain("best effort");
    expect(rtcOff.primary).toEqual(real.primary);
  });

  it("deltas every 2 h: the hourly snapshot row, 2 h against the seed's 1 h", () => {
    const changed = verdictChanges(real.dr, deltasEvery2h.dr);
    expect(changed.map((r) => r.mechanism)).toEqual([expect.stringContaining("opensearch/delta/")]);
    expect(changed[0]!.rpo).toBe(2 * 3600);
  });
});
