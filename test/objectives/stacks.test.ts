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

let real: Tables;
let rtcOff: Tables;
beforeAll(async () => {
  real = await tables();
  const dir = stackFilesIn(path.join(tmp, "rtc-off"), {
    dr: (text) => {
      const doc = parse(text);
      doc.config["vega-ha:backup"].replication.replicationTimeControl = false;
      return stringify(doc);
    },
  });
  rtcOff = await tables(dir);
}, 60_000);

describe("objectives of the real stacks", () => {
  it("every row of both stacks is met", () => {
    for (const row of [...real.primary, ...real.dr])
      expect(row, row.reason).toMatchObject({ met: true });
  });

  it("the DR stack judges the replication link, both detections and region failover as a whole", () => {
    const areas = real.dr.map((r) => r.area);
    expect(areas).toContain("backup");
    expect(areas).toContain("edge");
    expect(areas.at(-1)).toBe("region");
    expect(real.primary.map((r) => r.area)).not.toContain("region");
  });

  it("summary.md carries the table", () => {
    expect(real.summary).toContain("### Recovery objectives (seed 16.2, 16.3)");
    for (const row of real.dr) expect(real.summary).toContain(`| ${row.mechanism} |`);
  });
});

describe("Replication Time Control off", () => {
  it("turns exactly the replication row and region failover (whose data loss it bounds) to missed", () => {
    const changed = rtcOff.dr
      .map((row, i) => ({ row, before: real.dr[i]! }))
      .filter(({ row, before }) => JSON.stringify(row) !== JSON.stringify(before));
    expect(changed.map(({ row }) => [row.area, row.met])).toEqual([
      ["backup", false],
      ["region", false],
    ]);
    expect(changed[0]!.row.rpo).toBe("unbounded");
    expect(changed[0]!.row.basis).toContain("best effort");
    expect(rtcOff.primary).toEqual(real.primary);
  });
});
