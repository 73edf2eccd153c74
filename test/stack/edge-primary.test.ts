import { beforeAll, describe, expect, it } from "vitest";
import { WORKER_POOLS, stackOutputsSchema } from "../../config";
import { describeSeedFigures, failoverRoles, poolSizes } from "../edge/stack-checks";
import { parsedPrimary } from "../edge/fixtures";
import { synthStack, type Synth } from "../harness";

let primary: Synth;
beforeAll(async () => {
  primary = await synthStack("primary");
});
const config = parsedPrimary();

describe("primary stack: edge and compute", () => {
  describeSeedFigures(() => primary);

  it("creates the PRIMARY failover record and no SECONDARY", () => {
    expect(failoverRoles(primary)).toEqual(["PRIMARY"]);
    expect(stackOutputsSchema.parse(primary.outputs).edge).toMatchObject({ failover: "PRIMARY", recordName: config.platform.dns!.domain, zoneId: config.platform.dns!.zoneId });
  });

  it("runs every worker pool at full size", () => {
    expect(poolSizes(primary)).toEqual(Object.fromEntries(WORKER_POOLS.map((p) => [p, config.workers[p].replicas])));
  });

  it("logs the ALB to an SSE-S3 bucket of the backup component in its own region, the vault staying SSE-KMS", () => {
    const lb = primary.one("aws:lb/loadBalancer:LoadBalancer");
    const logBucket = primary.one("aws:s3/bucket:Bucket", "-lb-logs-bucket");
    expect(primary.parentOf(primary.parentOf(logBucket)!)?.type).toBe("vega:backup:BackupVault");
    expect((lb.inputs.accessLogs as any).bucket).toMatch(new RegExp(`^${logBucket.name}-`));
    expect([lb.region, logBucket.region]).toEqual([config.region, config.region]);
    const algorithms = Object.fromEntries(
      primary.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").map((e) => [e.name, (e.inputs.rules as any[])[0].applyServerSideEncryptionByDefault.sseAlgorithm]),
    );
    expect(algorithms).toEqual({ "vega-prod-use1-backup-encryption": "aws:kms", "vega-prod-use1-backup-lb-logs-encryption": "AES256" });
  });
});
