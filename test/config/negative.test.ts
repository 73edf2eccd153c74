/**
 * What the config and the contract refuse, at and just past each limit: a check that only ever
 * sees good input can lose its anchors, bounds or branches unnoticed.
 */
import { describe, expect, it } from "vitest";
import {
  CONTRACT_VERSION,
  objectLockProblem,
  parsePrimaryOutputs,
  parseStackConfig,
} from "../../config";
import { examplePrimaryOutputs } from "../harness/stack-config";
import { minimalPrimary, problemsOf } from "../harness/config";

const keysOf = (raw: Record<string, any>) => problemsOf(raw).map((p) => p.key);
const dr = (primaryStack: string) => ({
  ...minimalPrimary(),
  role: "dr",
  primaryStack,
});

describe("the primary's outputs (contract)", () => {
  it("refuses outputs that break the contract, naming the field and the version", () => {
    const outputs = examplePrimaryOutputs();
    expect(() => parsePrimaryOutputs({ ...outputs, region: 42 }, "acme/vega-ha/primary")).toThrow(
      new RegExp(
        `outputs of primary stack acme/vega-ha/primary do not follow contract v${CONTRACT_VERSION}:\\n\\s+region: `,
      ),
    );
  });

  it("refuses a DR stack that is not promoted as the stack to follow, naming the fields", () => {
    for (const promoted of [undefined, false]) {
      expect(() =>
        parsePrimaryOutputs(
          { ...examplePrimaryOutputs(), role: "dr", promoted },
          "acme/vega-ha/dr",
        ),
      ).toThrow(
        `stack acme/vega-ha/dr has role dr and is not promoted (contract field promoted: ${promoted ?? "absent"})`,
      );
    }
  });

  it("follows a promoted DR stack (failback)", () => {
    const outputs = { ...examplePrimaryOutputs(), role: "dr", promoted: true };
    expect(parsePrimaryOutputs(outputs, "acme/vega-ha/dr").role).toBe("dr");
  });
});

describe("stack config limits", () => {
  it("takes an environment slug of exactly 12 characters, refuses 13, a leading digit or capitals", () => {
    expect(keysOf({ ...minimalPrimary(), environment: "a".repeat(12) })).toEqual([]);
    for (const environment of ["a".repeat(13), "1prod", "Prod", "prod_1", " prod"])
      expect(keysOf({ ...minimalPrimary(), environment }), environment).toEqual([
        "vega-ha:environment",
      ]);
  });

  it("refuses a tag key that starts with aws: (reserved by AWS) or is longer than 128", () => {
    expect(
      keysOf({ ...minimalPrimary(), tags: { "team:aws": "x", ["k".repeat(128)]: "y" } }),
    ).toEqual([]);
    for (const key of ["aws:createdBy", "k".repeat(129), ""])
      expect(
        problemsOf({ ...minimalPrimary(), tags: { [key]: "x" } }).map((p) => p.key),
        key,
      ).toEqual([expect.stringMatching(/^vega-ha:tags/)]);
  });

  it("anchors the stack-name pattern at both ends", () => {
    for (const ok of ["primary", "vega-ha/primary", "acme/vega-ha/primary"])
      expect(keysOf(dr(ok)), ok).toEqual([]);
    for (const bad of ["acme/vega-ha/primary/extra", "primary!", "!primary", "acme//primary", ""])
      expect(keysOf(dr(bad)), bad).toEqual(["vega-ha:primaryStack"]);
  });

  it("refuses a region that only contains a real one", () => {
    expect(keysOf({ ...minimalPrimary(), region: "eu-central-1" })).toEqual([]);
    for (const region of ["xeu-central-1", "eu-central-1x", "EU-CENTRAL-1"])
      expect(keysOf({ ...minimalPrimary(), region }), region).toEqual(["vega-ha:region"]);
  });

  it("defaults: protect on, no extra tags, a DR stack not promoted", () => {
    const c = parseStackConfig(minimalPrimary());
    expect(c.protect).toBe(true);
    expect(c.tags).toEqual({});
    expect(parseStackConfig(dr("acme/vega-ha/primary")).promoted).toBeFalsy();
  });
});

describe("objectLockProblem: the lock may not outlast the shortest retention", () => {
  const KEYS = [
    "metadataDailyDays",
    "opensearchSnapshotDays",
    "opensearchDeltaDays",
    "opensearchLogsDays",
  ] as const;
  const longAll = {
    metadataDailyDays: 30,
    opensearchSnapshotDays: 30,
    opensearchDeltaDays: 30,
    opensearchLogsDays: 30,
  };

  it.each(KEYS)("with %s the shortest: at it is fine, one day over is refused", (key) => {
    const retention = { ...longAll, [key]: 5 };
    expect(objectLockProblem(retention, { enabled: true, days: 5 })).toBeUndefined();
    expect(objectLockProblem(retention, { enabled: true, days: 6 })).toBe(
      "expected at most 5 (the shortest retention, lifecycle or snapshot policy), or removal is held back by the lock",
    );
    expect(objectLockProblem(retention, { enabled: false, days: 6 })).toBeUndefined();
  });

  it("is refused in the stack config under its full key", () => {
    const raw = minimalPrimary();
    const problems = problemsOf({
      ...raw,
      backup: { ...raw.backup, retention: { opensearchDeltaDays: 3 }, objectLock: { days: 4 } },
    });
    expect(problems.map((p) => p.key)).toEqual(["vega-ha:backup.objectLock.days"]);
  });
});
