import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  childName,
  defaultTags,
  eksKubeconfig,
  fitName,
  regionCode,
  stackPrefix,
} from "../../components/core";
import { REQUIRED_DEFAULT_TAGS } from "../../policies/core";
import { stackConfig } from "../harness";

describe("naming", () => {
  it.each([
    ["us-east-1", "use1"],
    ["us-west-2", "usw2"],
    ["eu-central-1", "euc1"],
    ["ap-southeast-2", "apse2"],
    ["ap-northeast-1", "apne1"],
  ])("regionCode(%s) = %s", (region, code) => {
    expect(regionCode(region)).toBe(code);
  });

  it("prefixes every name with the environment and region, children as parent-role", () => {
    expect(childName(stackPrefix("prod", "us-east-1"), "backup")).toBe("vega-prod-use1-backup");
  });

  it("fits long names under a limit, stable and distinct", () => {
    const a = fitName("vega-production-apsoutheast2-gateway-target-group", 32);
    const b = fitName("vega-production-apsoutheast2-gateway-target-grouq", 32);
    expect(a.length).toBeLessThanOrEqual(32);
    expect(a).not.toBe(b);
    expect(fitName("vega-production-apsoutheast2-gateway-target-group", 32)).toBe(a);
    expect(fitName("short", 32)).toBe("short");
  });
});

describe("defaultTags", () => {
  it("carries every tag the policy pack requires, extra tags first so ours win", () => {
    const tags = defaultTags({
      environment: "prod",
      stack: "primary",
      region: "us-east-1",
      extra: { service: "spoofed", team: "data" },
    });
    for (const key of REQUIRED_DEFAULT_TAGS) expect(tags[key]).toBeTruthy();
    expect(tags.service).toBe("vega");
    expect(tags.team).toBe("data");
  });
});

describe("eksKubeconfig", () => {
  it("uses short-lived tokens from aws eks get-token, for the cluster's own region", () => {
    const cluster = stackConfig("dr").platform.cluster!;
    const kubeconfig = parse(eksKubeconfig(cluster, "us-west-2"));
    expect(kubeconfig.clusters[0].cluster.server).toBe(cluster.endpoint);
    const exec = kubeconfig.users[0].user.exec;
    expect(exec.command).toBe("aws");
    expect(exec.args).toEqual([
      "eks",
      "get-token",
      "--cluster-name",
      cluster.name,
      "--region",
      "us-west-2",
      "--output",
      "json",
    ]);
    expect(JSON.stringify(kubeconfig)).not.toMatch(/token:|password/);
  });
});
