import { beforeAll, describe, expect, it } from "vitest";
import { stackOutputsSchema } from "../../config";
import { stackConfig, synthStack, type Synth } from "../harness";
import {
  ACCEPTER,
  CONNECTION,
  dataStoresDashboard,
  DOMAIN,
  maxAgeDays,
  openSearchDomainDimensions,
  restOf,
} from "./stack-checks";

const config = stackConfig("primary");
let s: Synth;
beforeAll(async () => {
  s = await synthStack("primary");
});

describe("primary stack: search", () => {
  it("has one protected, zone-aware domain in its own region and exports it in the contract", () => {
    const domain = s.one(DOMAIN, "-search-domain");
    expect(domain.region).toBe(config.region);
    expect(domain.protect).toBe(true);
    const outputs = stackOutputsSchema.parse(s.outputs);
    expect(outputs.opensearch).toEqual({
      domainArn: `arn:aws:es:${config.region}:123456789012:domain/${domain.inputs.domainName}`,
      domainName: domain.inputs.domainName,
      endpoint: expect.stringMatching(/\.es\.amazonaws\.com$/),
      region: config.region,
      engineVersion: config.opensearch.engineVersion,
    });
  });

  it("owns no cross-cluster link (the DR stack does) and follows nothing", () => {
    expect(s.ofType(CONNECTION)).toEqual([]);
    expect(s.ofType(ACCEPTER)).toEqual([]);
    expect(restOf(s, "autoFollowRule")).toEqual([]);
  });

  it("the vault's lifecycle and the SM policies agree: each repository's prefix expires when its policy deletes", () => {
    const lifecycle = s.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "-backup-lifecycle",
    );
    const bucket = s.one("aws:s3/bucket:Bucket", "-backup-bucket");
    const repos = restOf(s, "snapshotRepository");
    const policies = restOf(s, "smPolicy");
    expect(repos).toHaveLength(2);
    for (const repo of repos) {
      const spec = repo.inputs.spec as any;
      expect(spec.bucket).toBe(s.outputs.backup.bucketName);
      expect(bucket.region).toBe(repo.inputs.region);
      const rule = (lifecycle.inputs.rules as any[]).find(
        (r) => r.filter?.prefix === `${spec.basePath}/`,
      );
      expect(rule, spec.basePath).toBeDefined();
      const policy = policies.find(
        (p) => (p.inputs.spec as any).body.snapshot_config.repository === spec.name,
      )!;
      expect(maxAgeDays((policy.inputs.spec as any).body)).toBe(rule.expiration.days);
    }
    // And both are the seed's figures, through the one config key.
    const days = repos.map((r) => (r.inputs.spec as any).basePath).sort();
    expect(days).toEqual(["opensearch/delta", "opensearch/snapshots"]);
  });

  it("alarms on the domain (no follower alarm on the leader) and the dashboard shows it", () => {
    const domainName = s.one(DOMAIN, "-search-domain").inputs.domainName;
    const alarms = s
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((a) => a.inputs.namespace === "AWS/ES");
    expect(alarms.map((a) => a.name.replace(/.*-alarms-search-/, "")).sort()).toEqual([
      "cpu",
      "free-storage",
      "jvm-pressure",
      "red",
      "snapshot-failure",
      "yellow",
    ]);
    for (const a of alarms)
      expect(a.inputs.dimensions).toEqual({ DomainName: domainName, ClientId: "123456789012" });
    const dims = openSearchDomainDimensions(dataStoresDashboard(s));
    expect(dims.length).toBeGreaterThan(0);
    expect(new Set(dims)).toEqual(new Set([domainName]));
  });
});
