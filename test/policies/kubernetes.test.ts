import { describe, expect, it } from "vitest";
import { apiTokenOnlyWhenNeeded } from "../../policies/kubernetes";
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
