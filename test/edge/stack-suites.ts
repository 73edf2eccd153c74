/** Edge and compute as each real stack synthesises them; the stack test files run these. */
import { beforeAll, describe, expect, it } from "vitest";
import { WORKER_POOLS, stackOutputsSchema } from "../../config";
import { examplePrimaryOutputs, stackConfig, type Synth } from "../harness";
import { parsedPrimary } from "../harness/config";
import { describeSeedFigures, failoverRoles, poolSizes } from "./stack-checks";

export function describeEdgeInPrimary(get: () => Synth): void {
  let primary: Synth;
  beforeAll(() => {
    primary = get();
  });
  const config = parsedPrimary();

  describe("primary stack: edge and compute", () => {
    describeSeedFigures(() => primary);

    it("creates the PRIMARY failover record and no SECONDARY", () => {
      expect(failoverRoles(primary)).toEqual(["PRIMARY"]);
      expect(stackOutputsSchema.parse(primary.outputs).edge).toMatchObject({
        failover: "PRIMARY",
        recordName: config.platform.dns!.domain,
        zoneId: config.platform.dns!.zoneId,
      });
    });

    it("runs every worker pool at full size", () => {
      expect(poolSizes(primary)).toEqual(
        Object.fromEntries(WORKER_POOLS.map((p) => [p, config.workers[p].replicas])),
      );
    });

    it("logs the ALB to an SSE-S3 bucket of the edge in its own region, the vault staying SSE-KMS", () => {
      const lb = primary.one("aws:lb/loadBalancer:LoadBalancer");
      const logBucket = primary.one("aws:s3/bucket:Bucket", "-access-logs-bucket");
      expect(primary.parentOf(primary.parentOf(logBucket)!)?.type).toBe("vega:edge:Edge");
      expect((lb.inputs.accessLogs as any).bucket).toMatch(new RegExp(`^${logBucket.name}-`));
      expect([lb.region, logBucket.region]).toEqual([config.region, config.region]);
      const algorithms = Object.fromEntries(
        primary
          .ofType(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          )
          .map((e) => [
            e.name,
            (e.inputs.rules as any[])[0].applyServerSideEncryptionByDefault.sseAlgorithm,
          ]),
      );
      expect(algorithms).toEqual({
        "vega-prod-use1-backup-encryption": "aws:kms",
        "vega-prod-use1-edge-access-logs-encryption": "AES256",
      });
    });
  });
}

export function describeEdgeInDr(get: () => Synth): void {
  const config = stackConfig("dr");
  let dr: Synth;
  beforeAll(() => {
    dr = get();
  });
  describe("DR stack (not promoted): edge and compute", () => {
    describeSeedFigures(() => dr);

    it("creates the SECONDARY failover record and no PRIMARY, under the primary's record name", () => {
      expect(failoverRoles(dr)).toEqual(["SECONDARY"]);
      const primaryEdge = (examplePrimaryOutputs() as any).edge;
      const record = dr.one("aws:route53/record:Record").inputs;
      expect([record.name, record.zoneId]).toEqual([primaryEdge.recordName, primaryEdge.zoneId]);
      expect(record.setIdentifier).not.toBe(primaryEdge.setIdentifier);
      expect(stackOutputsSchema.parse(dr.outputs).edge.failover).toBe("SECONDARY");
    });

    it("runs the worker pools at warm-standby size, the gateways at full strength", () => {
      expect(poolSizes(dr)).toEqual(
        Object.fromEntries(WORKER_POOLS.map((p) => [p, config.workers[p].standbyReplicas])),
      );
      expect(
        (dr.one("kubernetes:apps/v1:Deployment", "-gateway-deployment").inputs as any).spec
          .replicas,
      ).toBe(parsedPrimary().gateway.replicas);
    });
  });
}
