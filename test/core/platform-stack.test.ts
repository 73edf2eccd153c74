import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { REDACTED, stackConfig, synthFailures, synthStack, type Synth } from "../harness";
import { resolvePlatform } from "../../components/core/platform";

const direct = stackConfig("primary").platform;
const PLATFORM_STACK = "acme/platform/prod-use1";
let s: Synth;
let kubeconfig: string;

beforeAll(async () => {
  s = await synthStack("primary", {
    override: { "vega-ha:platform": JSON.stringify({ stack: PLATFORM_STACK }) },
    stackOutputs: {
      [PLATFORM_STACK]: { network: direct.network, cluster: direct.cluster, dns: direct.dns },
    },
  });
  const provider = s.one("pulumi:providers:kubernetes");
  kubeconfig = String(provider.inputs.kubeconfig);
});

describe("platform inputs read from a platform stack", () => {
  it("reads them through a StackReference named in config", () => {
    expect(s.one("pulumi:pulumi:StackReference").inputs.name).toBe(PLATFORM_STACK);
  });

  it("keeps the kubeconfig built from them secret", () => {
    expect(kubeconfig).toBe(REDACTED);
    expect(s.one("pulumi:providers:kubernetes").secretPaths).toContain("kubeconfig");
  });

  it("points the Kubernetes provider at that cluster, and never drops state for an unreachable one", () => {
    const provider = s.one("pulumi:providers:kubernetes");
    const plain = parse(String(provider.plainInputs.kubeconfig));
    expect(plain.clusters[0].cluster.server).toBe(direct.cluster!.endpoint);
    // true would delete from state whatever it cannot reach: a cluster outage would orphan it all.
    // (A provider's inputs reach the engine as strings.)
    expect(provider.inputs.deleteUnreachable).toBe("false");
  });
});

describe("a platform stack whose outputs do not fit", () => {
  it("fails the deployment naming the stack and every output that is wrong", async () => {
    const failures = await synthFailures(
      () => {
        const platform = resolvePlatform("vega", { stack: PLATFORM_STACK });
        platform.cluster.apply((c) => c);
      },
      {
        stackOutputs: { [PLATFORM_STACK]: { network: {}, cluster: { endpoint: 1 }, dns: "zone" } },
      },
    );
    expect([...new Set(failures.map((f) => f.message))]).toEqual([
      expect.stringMatching(
        new RegExp(
          `^platform stack ${PLATFORM_STACK} outputs are not usable: network\\.vpcId: expected a VPC id[^;]*; .*; cluster\\.endpoint: expected an https:// cluster endpoint; .*; dns: expected an object$`,
        ),
      ),
    ]);
  });
});
