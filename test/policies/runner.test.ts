import type { PolicyResource, ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { blocking, runPolicies, type PolicyReport } from "../../policies/runner";
import type { VegaPolicy } from "../../policies/rule";
import type { RecordedResource } from "../harness";
import { recordedResource } from "../harness/records";

/** A resource rule that reports what it saw of each resource, through `seen`. */
function observer(seen: (r: PolicyResource) => string): ResourceValidationPolicy {
  return {
    name: "vega-test-observer",
    description: "reports what it saw",
    enforcementLevel: "advisory",
    validateResource: (args, report) => report(seen(args as unknown as PolicyResource)),
  };
}

const messages = async (resources: RecordedResource[], policies: VegaPolicy[]) =>
  (await runPolicies(resources, {}, policies)).violations.map((v) => v.message);

const bucket = recordedResource("aws:s3/bucket:Bucket", "b", { bucket: "b" });

describe("runPolicies", () => {
  it("gives a provider the recording does not hold by its URN alone", async () => {
    const providerUrn = "urn:pulumi:test::vega-ha::pulumi:providers:aws::elsewhere";
    const withProvider = recordedResource(
      "aws:s3/bucket:Bucket",
      "b",
      {},
      { provider: providerUrn },
    );
    expect(await messages([withProvider], [observer((r) => JSON.stringify(r.provider))])).toEqual([
      JSON.stringify({ type: "", props: {}, urn: providerUrn, name: "" }),
    ]);
  });

  it("keeps the dependencies the recording holds and drops the others", async () => {
    const dependent = recordedResource(
      "aws:s3/bucketPolicy:BucketPolicy",
      "p",
      {},
      { dependencies: [bucket.urn, "urn:pulumi:test::vega-ha::aws:kms/key:Key::gone"] },
    );
    expect(
      await messages(
        [bucket, dependent],
        [observer((r) => `${r.name}: ${r.dependencies.map((d) => d.name).join(",")}`)],
      ),
    ).toEqual(["b: ", "p: b"]);
  });

  it("runs a remediation-only rule as validating nothing", async () => {
    const remediationOnly: ResourceValidationPolicy = {
      name: "vega-test-remediation",
      description: "remediates only",
      enforcementLevel: "advisory",
      remediateResource: () => undefined,
    };
    expect(await messages([bucket], [remediationOnly])).toEqual([]);
  });

  it("runs every validation of a rule that lists several", async () => {
    const twice: ResourceValidationPolicy = {
      name: "vega-test-twice",
      description: "two validations",
      enforcementLevel: "advisory",
      validateResource: [(_, report) => report("first"), (_, report) => report("second")],
    };
    expect(await messages([bucket], [twice])).toEqual(["first", "second"]);
  });

  it("lists the rules it ran with their level under the config", async () => {
    const rule = (name: string): VegaPolicy => ({
      name,
      description: `${name} guards`,
      enforcementLevel: "mandatory",
      validateStack: () => undefined,
    });
    const report = await runPolicies([bucket], { "vega-b": { enforcementLevel: "advisory" } }, [
      rule("vega-a"),
      rule("vega-b"),
    ]);
    expect(report.policies).toEqual([
      { name: "vega-a", description: "vega-a guards", enforcementLevel: "mandatory" },
      { name: "vega-b", description: "vega-b guards", enforcementLevel: "advisory" },
    ]);
  });
});

describe("blocking", () => {
  it("keeps only the mandatory violations", () => {
    const violation = (enforcementLevel: string) => ({
      policy: `vega-${enforcementLevel}`,
      enforcementLevel,
      message: enforcementLevel,
    });
    const report: PolicyReport = {
      policies: [],
      violations: [violation("advisory"), violation("mandatory"), violation("disabled")],
    };
    expect(blocking(report)).toEqual([violation("mandatory")]);
  });
});
