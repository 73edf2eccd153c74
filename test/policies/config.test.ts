/**
 * The policy pack's config file: the same file `pulumi preview --policy-pack-config` reads and the
 * offline plan enforces. Levels and limits resolve as @pulumi/policy resolves them; what the pack
 * cannot honour (an unknown rule or key, a value outside a rule's schema) is refused by name.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ENFORCEMENT_LEVELS,
  levelOf,
  limitsOf,
  PolicyConfigError,
  resolvePolicyConfig,
  schemaProblem,
  SUPPORTED_SCHEMA_KEYWORDS,
} from "../../policies/config";
import { ALL_POLICIES } from "../../policies/rules";
import { runPolicies } from "../../policies/runner";
import { statefulProtected } from "../../policies/backup";
import { ROOT } from "../harness";
import { recordedResource } from "../harness/records";

const FILE = path.join(ROOT, "policies", "policy-config.json");
const shipped = JSON.parse(readFileSync(FILE, "utf8")) as Record<string, unknown>;

function problemsOf(raw: unknown): string[] {
  try {
    resolvePolicyConfig(raw, ALL_POLICIES);
  } catch (err) {
    if (err instanceof PolicyConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("every rule of the pack", () => {
  it.each(ALL_POLICIES.map((p) => [p.name, p] as const))(
    "%s has an enforcement level and remediation steps",
    (_name, policy) => {
      expect(ENFORCEMENT_LEVELS).toContain(policy.enforcementLevel);
      expect(policy.remediationSteps?.length ?? 0).toBeGreaterThan(20);
    },
  );

  // The engine shows a limit's description to whoever writes --policy-pack-config.
  it("declares its limits with schema keywords the offline check understands, described, defaults within them", () => {
    for (const policy of ALL_POLICIES) {
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        const at = `${policy.name}.${key}`;
        expect(
          Object.keys(schema).filter(
            (k) => !(SUPPORTED_SCHEMA_KEYWORDS as readonly string[]).includes(k),
          ),
          at,
        ).toEqual([]);
        expect(schema.default, at).toBeDefined();
        expect(schema.description?.length ?? 0, at).toBeGreaterThan(10);
        expect(schemaProblem(schema.default, schema), at).toBeUndefined();
      }
    }
  });
});

describe("policies/policy-config.json", () => {
  it("names every rule of the pack, with every limit its schema declares", () => {
    expect(Object.keys(shipped).sort()).toEqual(ALL_POLICIES.map((p) => p.name).sort());
    for (const policy of ALL_POLICIES) {
      const entry = shipped[policy.name];
      const limits = Object.keys(policy.configSchema?.properties ?? {});
      if (limits.length === 0) expect(typeof entry, policy.name).toBe("string");
      else
        expect(Object.keys(entry as object).sort(), policy.name).toEqual(
          ["enforcementLevel", ...limits].sort(),
        );
    }
  });

  it("is valid, and sets every rule mandatory", () => {
    const config = resolvePolicyConfig(shipped, ALL_POLICIES);
    expect(ALL_POLICIES.filter((p) => levelOf(p, config) !== "mandatory")).toEqual([]);
  });
});

describe("resolvePolicyConfig", () => {
  it("refuses an unknown rule, naming it", () => {
    expect(problemsOf({ "vega-s3-versoning-enabled": "advisory" })).toEqual([
      "vega-s3-versoning-enabled: no rule of this name in the pack",
    ]);
  });

  it("refuses unknown keys and values outside a rule's schema, naming rule and key, all at once", () => {
    expect(
      problemsOf({
        "vega-stateful-protected": { enforcementLevel: "mandatory", allowUnprotected: "yes" },
        "vega-redis-sentinel-sane": { minSentinels: 1 },
        "vega-redis-writes-need-replica": { minReplicasToWrite: 1.5 },
        "vega-kms-key-rotation": { enforcementLevel: "mandatory", rotationDays: 90 },
        "vega-alb-access-logs": "required",
        "vega-alarms-notify": { enforcementLevel: "remediate" },
      }),
    ).toEqual([
      'vega-stateful-protected.allowUnprotected: expected boolean, got "yes"',
      "vega-redis-sentinel-sane.minSentinels: expected at least 3, got 1",
      "vega-redis-writes-need-replica.minReplicasToWrite: expected integer, got 1.5",
      "vega-kms-key-rotation.rotationDays: unknown key (this rule takes only enforcementLevel)",
      'vega-alb-access-logs: expected an enforcement level (mandatory, advisory, disabled), got "required"',
      'vega-alarms-notify.enforcementLevel: expected an enforcement level (mandatory, advisory, disabled), got "remediate"',
    ]);
  });

  it("names the file in the error", () => {
    expect(() => resolvePolicyConfig({ nope: "advisory" }, ALL_POLICIES, "my.json")).toThrow(
      /^my\.json: invalid policy pack config \(1 problem\):\n {2}nope: no rule/,
    );
  });

  it("lets `all` set every level and a rule's own entry override it, as the engine does", () => {
    const config = resolvePolicyConfig(
      { all: "advisory", "vega-kms-key-rotation": "mandatory" },
      ALL_POLICIES,
    );
    expect(Object.fromEntries(ALL_POLICIES.map((p) => [p.name, levelOf(p, config)]))).toEqual(
      Object.fromEntries(
        ALL_POLICIES.map((p) => [
          p.name,
          p.name === "vega-kms-key-rotation" ? "mandatory" : "advisory",
        ]),
      ),
    );
    expect(problemsOf({ all: { enforcementLevel: "advisory", allowUnprotected: true } })).toEqual([
      "all.allowUnprotected: only enforcementLevel may be set for all rules",
    ]);
  });

  it("gives a rule its schema defaults under the configured limits, never the level", () => {
    const config = resolvePolicyConfig(
      { "vega-redis-sentinel-sane": { enforcementLevel: "advisory", minSentinels: 5 } },
      ALL_POLICIES,
    );
    const sentinel = ALL_POLICIES.find((p) => p.name === "vega-redis-sentinel-sane")!;
    expect(limitsOf(sentinel, config)).toEqual({ minSentinels: 5 });
    expect(limitsOf(statefulProtected, config)).toEqual({ allowUnprotected: false });
    expect(levelOf(statefulProtected, {})).toBe(statefulProtected.enforcementLevel);
  });
});

describe("runPolicies under a config", () => {
  const unprotected = [recordedResource("aws:kms/key:Key", "key", { enableKeyRotation: true })];

  it("reports at the configured level, with the rule's remedy", async () => {
    const report = await runPolicies(
      unprotected,
      resolvePolicyConfig({ "vega-stateful-protected": "advisory" }, ALL_POLICIES),
      [statefulProtected],
    );
    expect(report.violations).toEqual([
      {
        policy: statefulProtected.name,
        enforcementLevel: "advisory",
        message: "key must be created with protect: true",
        urn: unprotected[0]!.urn,
        remedy: statefulProtected.remediationSteps,
      },
    ]);
  });

  it("runs no disabled rule, and hands a rule its configured limits", async () => {
    const disabled = await runPolicies(
      unprotected,
      resolvePolicyConfig({ "vega-stateful-protected": "disabled" }, ALL_POLICIES),
      [statefulProtected],
    );
    expect(disabled.violations).toEqual([]);
    const allowed = await runPolicies(
      unprotected,
      resolvePolicyConfig({ "vega-stateful-protected": { allowUnprotected: true } }, ALL_POLICIES),
      [statefulProtected],
    );
    expect(allowed.violations).toEqual([]);
  });
});

describe("the limits a rule may declare (the JSON Schema keywords the pack checks)", () => {
  it("checks each type, enum and bound, and says what it expected", () => {
    const cases: [unknown, Parameters<typeof schemaProblem>[1], string | undefined][] = [
      [3, { type: "integer" }, undefined],
      [3.5, { type: "integer" }, "expected integer, got 3.5"],
      [3.5, { type: "number" }, undefined],
      [Number.NaN, { type: "number" }, "expected number, got NaN"],
      ["3", { type: "number" }, 'expected number, got "3"'],
      [[], { type: "array" }, undefined],
      [{}, { type: "array" }, "expected array, got {}"],
      [null, { type: "null" }, undefined],
      [0, { type: "null" }, "expected null, got 0"],
      [null, { type: "object" }, "expected object, got null"],
      [[1], { type: "object" }, "expected object, got [1]"],
      [{ a: 1 }, { type: "object" }, undefined],
      ["x", { type: ["integer", "string"] }, undefined],
      [true, { type: ["integer", "string"] }, "expected integer or string, got true"],
      ["gp3", { enum: ["gp2", "gp3"] }, undefined],
      ["io1", { enum: ["gp2", "gp3"] }, 'expected one of "gp2", "gp3", got "io1"'],
      [7, { type: "integer", minimum: 7, maximum: 35 }, undefined],
      [35, { type: "integer", minimum: 7, maximum: 35 }, undefined],
      [6, { type: "integer", minimum: 7, maximum: 35 }, "expected at least 7, got 6"],
      [36, { type: "integer", minimum: 7, maximum: 35 }, "expected at most 35, got 36"],
      ["36", { minimum: 7, maximum: 35 }, undefined],
      [undefined, { type: "string" }, "expected string, got undefined"],
    ];
    for (const [value, schema, expected] of cases)
      expect(schemaProblem(value, schema), `${String(value)} ${JSON.stringify(schema)}`).toBe(
        expected,
      );
  });

  // A rule as a future one might declare itself: a required limit without a default, an enum.
  const sized = {
    ...statefulProtected,
    name: "vega-test-sized",
    configSchema: {
      properties: {
        volumeType: { enum: ["gp2", "gp3"], default: "gp3" },
        minGiB: { type: "integer", minimum: 20 },
      },
      required: ["minGiB"],
    },
  } as typeof statefulProtected;
  const resolve = (raw: unknown) => {
    try {
      return resolvePolicyConfig(raw, [sized]);
    } catch (err) {
      if (err instanceof PolicyConfigError) return err.problems;
      throw err;
    }
  };

  it("requires a limit that has no default, and takes it when given", () => {
    expect(resolve({})).toEqual(["vega-test-sized.minGiB: required"]);
    expect(resolve({ "vega-test-sized": "advisory" })).toEqual([
      "vega-test-sized.minGiB: required",
    ]);
    expect(resolve({ "vega-test-sized": { minGiB: 100 } })).toEqual({
      "vega-test-sized": { minGiB: 100 },
    });
    expect(limitsOf(sized, { "vega-test-sized": { minGiB: 100 } })).toEqual({
      volumeType: "gp3",
      minGiB: 100,
    });
    // A limit with no default and no value is absent, not present as undefined.
    expect(limitsOf(sized, {})).toStrictEqual({ volumeType: "gp3" });
  });

  it("requires no value for a required limit with a default, and names one the schema forgot", () => {
    const declared = (properties: object) =>
      ({
        ...sized,
        configSchema: { properties, required: ["minGiB"] },
      }) as typeof statefulProtected;
    expect(
      resolvePolicyConfig({}, [declared({ minGiB: { type: "integer", default: 100 } })]),
    ).toEqual({});
    expect(() => resolvePolicyConfig({}, [declared({})])).toThrow(
      "vega-test-sized.minGiB: required",
    );
  });

  it("names the allowed keys of a rule with limits, and refuses what is neither level nor object", () => {
    expect(resolve({ "vega-test-sized": { minGiB: 100, maxGiB: 200 } })).toEqual([
      "vega-test-sized.maxGiB: unknown key (allowed: enforcementLevel, volumeType, minGiB)",
    ]);
    expect(resolve({ "vega-test-sized": 3 })).toEqual([
      "vega-test-sized: expected an enforcement level or an object, got 3",
      "vega-test-sized.minGiB: required",
    ]);
    expect(resolve({ "vega-test-sized": { minGiB: 100, volumeType: "io1" } })).toEqual([
      'vega-test-sized.volumeType: expected one of "gp2", "gp3", got "io1"',
    ]);
    for (const raw of [null, [], "mandatory"])
      expect(() => resolvePolicyConfig(raw, [sized], "pc.json")).toThrow(
        `pc.json: invalid policy pack config (1 problem):\n  expected an object, got ${JSON.stringify(raw)}`,
      );
  });

  it("calls its source 'policy config' unless told the file", () => {
    expect(() => resolvePolicyConfig([], [sized])).toThrow(
      /^policy config: invalid policy pack config/,
    );
  });

  it("counts its problems in the message", () => {
    expect(() => resolvePolicyConfig({ a: "advisory", b: "advisory" }, [sized], "pc.json")).toThrow(
      /^pc\.json: invalid policy pack config \(3 problems\):\n {2}a: no rule of this name in the pack\n {2}b: /,
    );
  });
});
