import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  childName,
  defaultTags,
  eksKubeconfig,
  fitName,
  IRSA_ROLE_ANNOTATION,
  irsaTrustPolicy,
  regionCode,
  replacementName,
  stackPrefix,
} from "../../components/core";
import { REQUIRED_DEFAULT_TAGS } from "../../policies/core";
import { stackConfig } from "../harness";
import { iamAllows } from "../harness/iam";

describe("naming", () => {
  it.each([
    ["us-east-1", "use1"],
    ["us-west-2", "usw2"],
    ["eu-central-1", "euc1"],
    ["ap-southeast-2", "apse2"],
    ["ap-northeast-1", "apne1"],
    // A word the table lacks keeps its first letter.
    ["us-gov-west-1", "usgw1"],
    ["il-central-1", "ilc1"],
    ["eu-north-1", "eun1"],
    ["af-south-1", "afs1"],
    ["xx-northwest-1", "xxnw1"],
    ["xx-southwest-1", "xxsw1"],
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
    expect(fitName("x".repeat(32), 32)).toBe("x".repeat(32));
    expect(a).toMatch(/^vega-production-apsouthea-[0-9a-f]{6}$/);
  });

  it("leaves no run of dashes where it cuts a name", () => {
    // Cut after 25 characters: the head ends in "--", which goes.
    const cut = fitName(`${"a".repeat(23)}--${"b".repeat(20)}`, 32);
    expect(cut).toMatch(new RegExp(`^a{23}-[0-9a-f]{6}$`));
  });

  it("names a replaceable resource by a hash of what forces its replacement", () => {
    const head = "vega-production-apsoutheast2-gateway";
    const name = replacementName(head, { port: 8080, vpc: "vpc-1" }, 32);
    expect(name).toMatch(/^vega-production-apsouthea-[0-9a-f]{6}$/);
    expect(replacementName(head, { port: 8080, vpc: "vpc-1" }, 32)).toBe(name);
    expect(replacementName(head, { port: 8443, vpc: "vpc-1" }, 32)).not.toBe(name);
    expect(replacementName("short", 1, 32)).toMatch(/^short-[0-9a-f]{6}$/);
    expect(replacementName(`${"a".repeat(23)}--b`, 1, 32)).toMatch(/^a{23}-[0-9a-f]{6}$/);
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
    expect(kubeconfig).toMatchObject({ apiVersion: "v1", kind: "Config" });
    // The current context resolves to the cluster and the user above, as kubectl resolves it.
    const context = kubeconfig.contexts.find((c: any) => c.name === kubeconfig["current-context"]);
    expect(kubeconfig.clusters.map((c: any) => c.name)).toEqual([context.context.cluster]);
    expect(kubeconfig.users.map((u: any) => u.name)).toEqual([context.context.user]);
    // What aws eks get-token prints; a credential plugin must never prompt (no terminal here).
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      interactiveMode: "Never",
    });
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

describe("irsaTrustPolicy", () => {
  const subject = {
    oidcProviderArn:
      "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
    oidcProviderUrl: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
    namespace: "vega",
    serviceAccount: "pg-backup",
  };
  const policy = irsaTrustPolicy(subject);
  const assume = (context: Record<string, string>, action = "sts:AssumeRoleWithWebIdentity") =>
    iamAllows(policy, { action, resource: "arn:aws:iam::111122223333:role/r", context });
  const token = (sub: string, aud = "sts.amazonaws.com") => ({
    [`${subject.oidcProviderUrl}:sub`]: sub,
    [`${subject.oidcProviderUrl}:aud`]: aud,
  });

  it("lets exactly that service account's web identity token assume the role, for STS", () => {
    expect(policy.Statement[0]!.Principal).toEqual({ Federated: subject.oidcProviderArn });
    expect(assume(token("system:serviceaccount:vega:pg-backup"))).toBe(true);
    expect(assume(token("system:serviceaccount:vega:other"))).toBe(false);
    expect(assume(token("system:serviceaccount:other:pg-backup"))).toBe(false);
    expect(assume(token("system:serviceaccount:vega:pg-backup", "other-audience"))).toBe(false);
    expect(assume(token("system:serviceaccount:vega:pg-backup"), "sts:AssumeRole")).toBe(false);
  });

  it("is found by the pod identity webhook under the annotation EKS documents", () => {
    expect(IRSA_ROLE_ANNOTATION).toBe("eks.amazonaws.com/role-arn");
  });
});
