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
      ]),
    ).toEqual(["implicit", "named-default", "explicit-true"]);
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
      ]),
    ).toEqual([]);
  });
});
