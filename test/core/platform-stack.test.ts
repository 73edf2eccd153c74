import { beforeAll, describe, expect, it } from "vitest";
import { REDACTED, stackConfig, synthStack, type Synth } from "../harness";

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
});
