import { describe, expect, it } from "vitest";
import { apiTokenOnlyWhenNeeded, disruptionsAllowed, selects } from "../../policies/kubernetes";
import { runPolicies } from "../../policies/runner";
import { ALL_POLICIES } from "../../policies/rules";
import type { RecordedResource } from "../harness";
import { recordedResource } from "../harness/records";

function workload(type: string, name: string, pod: Record<string, unknown>): RecordedResource {
  const template = { spec: { containers: [{ name: "main", image: "x:1" }], ...pod } };
  return recordedResource(type, name, {
    spec: type.endsWith(":CronJob") ? { jobTemplate: { spec: { template } } } : { template },
  });
}

const flagged = async (resources: RecordedResource[]) =>
  (await runPolicies(resources, {}, [apiTokenOnlyWhenNeeded])).violations.map((v) =>
    v.urn?.split("::").pop(),
  );

describe("vega-pod-api-token-only-when-needed", () => {
  it("is in the pack", () => {
    expect(ALL_POLICIES).toContain(apiTokenOnlyWhenNeeded);
  });

  it("flags pods that mount the default ServiceAccount's token, in every kind of workload", async () => {
    expect(
      await flagged([
        workload("kubernetes:apps/v1:Deployment", "implicit", {}),
        workload("kubernetes:apps/v1:StatefulSet", "named-default", {
          serviceAccountName: "default",
        }),
        workload("kubernetes:batch/v1:CronJob", "explicit-true", {
          automountServiceAccountToken: true,
        }),
        workload("kubernetes:apps/v1:Deployment", "empty-name", { serviceAccountName: "" }),
        // serviceAccount: the deprecated alias Kubernetes still reads.
        workload("kubernetes:apps/v1:DaemonSet", "legacy-default", { serviceAccount: "default" }),
      ]),
    ).toEqual(["implicit", "named-default", "explicit-true", "empty-name", "legacy-default"]);
    const [message] = (
      await runPolicies([workload("kubernetes:apps/v1:Deployment", "d", {})], {}, [
        apiTokenOnlyWhenNeeded,
      ])
    ).violations.map((v) => v.message);
    expect(message).toBe(
      "pods mount the default ServiceAccount's API token: set automountServiceAccountToken: false, or give them a ServiceAccount of their own",
    );
  });

  it("passes pods without a token, and pods under a ServiceAccount of their own", async () => {
    expect(
      await flagged([
        workload("kubernetes:apps/v1:Deployment", "no-token", {
          automountServiceAccountToken: false,
        }),
        workload("kubernetes:apps/v1:Deployment", "own-account", {
          serviceAccountName: "vega-gateway",
          automountServiceAccountToken: true,
        }),
        workload("kubernetes:apps/v1:Deployment", "legacy-own", { serviceAccount: "vega-sync" }),
      ]),
    ).toEqual([]);
  });
});

describe("label selectors, as Kubernetes evaluates them (an empty one selects nothing here)", () => {
  const labels = { app: "vega", tier: "cache" };
  it.each([
    [{ matchLabels: { app: "vega" } }, true],
    [{ matchLabels: { app: "vega", tier: "web" } }, false],
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["cache", "web"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["web"] }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "In", values: ["cache"] }] }, false],
    [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["cache"] }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, true],
    [{ matchExpressions: [{ key: "app", operator: "Exists" }] }, true],
    [{ matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, true],
    [{ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, false],
    [{ matchExpressions: [{ key: "app", operator: "Gt", values: ["1"] }] }, false],
    [
      { matchLabels: { app: "vega" }, matchExpressions: [{ key: "zone", operator: "Exists" }] },
      false,
    ],
    [{}, false],
    [undefined, false],
  ])("%j selects %s", (selector, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });
});

describe("how many pods a disruption budget lets a drain evict", () => {
  it.each([
    [{ maxUnavailable: 1 }, 3, 1],
    [{ maxUnavailable: "34%" }, 3, 2],
    [{ minAvailable: 2 }, 3, 1],
    [{ minAvailable: "50%" }, 3, 1],
    [{ minAvailable: "2" }, 3, 1],
    [{ maxUnavailable: 0, minAvailable: 1 }, 3, 0],
  ])("%j of %i pods: %i", (spec, n, allowed) => {
    expect(disruptionsAllowed(spec, n)).toBe(allowed);
  });

  it("is NaN for a budget that sets neither field", () => {
    expect(disruptionsAllowed({}, 3)).toBeNaN();
  });
});
