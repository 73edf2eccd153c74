/** Checks on a synthesised stack's search area, shared by the stack test files. */
import { expect } from "vitest";
import { BACKUP_PREFIXES, SNAPSHOT_REPOSITORY_PREFIXES } from "../../components/backup";
import { OPENSEARCH_REST_TYPE } from "../../components/opensearch";
import type { Synth } from "../harness";
import { seedRetentionDays } from "../harness/seed";

export const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
export const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";
export const DOMAIN = "aws:opensearch/domain:Domain";

/** The REST-managed objects of a kind. */
export const restOf = (s: Synth, kind: string) =>
  s.ofType(OPENSEARCH_REST_TYPE).filter((r) => r.inputs.kind === kind);

/** Days in an SM policy's deletion.condition.max_age ("14d" -> 14). */
export const maxAgeDays = (body: any) =>
  Number(/^(\d+)d$/.exec(body.deletion.condition.max_age)![1]);

/** The Data Stores dashboard as the stack ships it. */
export function dataStoresDashboard(s: Synth): any {
  const cm = s
    .ofType("kubernetes:core/v1:ConfigMap")
    .find((c) => (c.inputs.metadata as any)?.name === "vega-data-stores-dashboard")!;
  return JSON.parse((cm.inputs.data as Record<string, string>)["vega-data-stores.json"]!);
}

/** The DomainName dimensions of every OpenSearch (AWS/ES) query of a dashboard. */
export function openSearchDomainDimensions(dashboard: any): string[] {
  return (dashboard.panels as any[])
    .flatMap((p) => p.targets ?? [])
    .filter((t) => t.namespace === "AWS/ES")
    .map((t) => t.dimensions?.DomainName);
}

/**
 * The division of labour on a stack's vault: each snapshot repository's SM policy deletes at the
 * seed 16.2 retention of its prefix, and no lifecycle rule of the vault expires current versions
 * under a repository prefix (a rule on it, inside it or above it, the whole bucket included).
 */
export function checkSnapshotRetentionOwnedByPolicies(s: Synth): void {
  const seed = seedRetentionDays();
  const lifecycle = s.one(
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "-backup-lifecycle",
  );
  const rules = lifecycle.inputs.rules as any[];
  const repos = restOf(s, "snapshotRepository");
  const policies = restOf(s, "smPolicy");
  // One repository per vault repository prefix, each under this region's own path.
  const repositoryPrefix = (basePath: string) =>
    SNAPSHOT_REPOSITORY_PREFIXES.find((p) => basePath === `${p}${lifecycle.region}`);
  expect(repos.map((r) => repositoryPrefix((r.inputs.spec as any).basePath)).sort()).toEqual(
    [...SNAPSHOT_REPOSITORY_PREFIXES].sort(),
  );
  const seedDays: Record<string, number | undefined> = {
    [BACKUP_PREFIXES.opensearchSnapshots.prefix]: seed["快照 (Snapshot)"],
    [BACKUP_PREFIXES.opensearchDelta.prefix]: seed["增量备份 (Delta)"],
  };
  for (const repo of repos) {
    const spec = repo.inputs.spec as any;
    const prefix = repositoryPrefix(spec.basePath)!;
    expect(spec.bucket).toBe(s.outputs.backup.bucketName);
    expect(spec.bucket).toBe(lifecycle.inputs.bucket);
    const policy = policies.find(
      (p) => (p.inputs.spec as any).body.snapshot_config.repository === spec.name,
    );
    expect(policy, prefix).toBeDefined();
    expect(seedDays[prefix], prefix).toBeDefined();
    expect(maxAgeDays((policy!.inputs.spec as any).body), prefix).toBe(seedDays[prefix]);
    const covering = rules.filter((r) => {
      const p: string = r.filter?.prefix ?? r.filter?.and?.prefix ?? "";
      return prefix.startsWith(p) || p.startsWith(prefix);
    });
    for (const rule of covering) {
      expect(rule.expiration?.days, `${rule.id} on ${prefix}`).toBeUndefined();
      expect(rule.expiration?.date, `${rule.id} on ${prefix}`).toBeUndefined();
    }
    // What the policy deleted (a delete marker under versioning) does not stay forever.
    const own = covering.find((r) => r.filter?.prefix === prefix);
    expect(own?.noncurrentVersionExpiration?.noncurrentDays, prefix).toBeGreaterThan(0);
  }
}
