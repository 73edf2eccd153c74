/**
 * Failback (issue 12 item 5): the old primary region comes back as a new DR stack following the
 * promoted one. The contract reads in that direction (a promoted DR stack may lead; a DR stack
 * that has not taken over may not, said naming the field), and a DR stack fed a promoted DR
 * stack's real outputs synthesises with every cross-region link pointing at it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../components/core/plan";
import { CONTRACT_VERSION, parsePrimaryOutputs, stackOutputsSchema } from "../../config";
import { examplePrimaryOutputs, stackFileConfig } from "../harness";
import { synthInChild } from "../policies/stacks";

const PROMOTED_STACK = "acme/vega-ha/dr";

describe("contract: who a DR stack may follow", () => {
  const primary = examplePrimaryOutputs();

  it("a primary, with or without the promoted field (additive, still v1)", () => {
    expect(parsePrimaryOutputs(primary, "p").contractVersion).toBe(CONTRACT_VERSION);
    expect(parsePrimaryOutputs({ ...primary, promoted: false }, "p").promoted).toBe(false);
  });

  it("a DR stack that took over (promoted: true)", () => {
    const promoted = { ...primary, role: "dr", promoted: true };
    expect(parsePrimaryOutputs(promoted, PROMOTED_STACK)).toMatchObject({
      role: "dr",
      promoted: true,
    });
  });

  it.each([
    ["promoted false", { promoted: false }, "promoted: false"],
    ["no promoted field", {}, "promoted: absent"],
  ])("not a DR stack still following (%s), naming the field", (_what, extra, shown) => {
    const following = { ...primary, role: "dr", ...extra };
    expect(() => parsePrimaryOutputs(following, PROMOTED_STACK)).toThrow(
      `stack ${PROMOTED_STACK} has role dr and is not promoted (contract field ${shown})`,
    );
  });

  it("refuses a promoted field that is not a boolean", () => {
    expect(stackOutputsSchema.safeParse({ ...primary, promoted: "yes" }).success).toBe(false);
  });
});

/** The resources of one type (optionally in a region). */
const ofType = (resources: RecordedResource[], type: string) =>
  resources.filter((r) => r.type === type);

describe("a DR stack following the promoted DR stack (the old primary region re-protecting)", () => {
  let promoted: { resources: RecordedResource[]; outputs: Record<string, any> };
  let follower: { resources: RecordedResource[]; outputs: Record<string, any> };
  let refused: unknown;
  const { config: primaryFile, project } = stackFileConfig("primary");
  const oldRegion = primaryFile[`${project}:region`]!;
  // the old primary region's stack file, as a DR stack of the promoted one
  const asDr = (leader: string) => ({
    [`${project}:role`]: "dr",
    [`${project}:promoted`]: "false",
    [`${project}:primaryStack`]: leader,
  });

  beforeAll(async () => {
    const primary = await synthInChild({ stack: "primary", override: {}, stackOutputs: {} });
    const { config: drFile } = stackFileConfig("dr");
    const primaryStack = drFile[`${project}:primaryStack`]!;
    const [took, stillFollowing] = await Promise.all([
      synthInChild({
        stack: "dr",
        override: { [`${project}:promoted`]: "true" },
        stackOutputs: { [primaryStack]: primary.outputs },
      }),
      synthInChild({
        stack: "dr",
        override: {},
        stackOutputs: { [primaryStack]: primary.outputs },
      }),
    ]);
    promoted = took;
    [follower, refused] = await Promise.all([
      synthInChild({
        stack: "primary",
        override: asDr(PROMOTED_STACK),
        stackOutputs: { [PROMOTED_STACK]: promoted.outputs },
      }),
      synthInChild({
        stack: "primary",
        override: asDr(PROMOTED_STACK),
        stackOutputs: { [PROMOTED_STACK]: stillFollowing.outputs },
      }).then(
        () => undefined,
        (err: Error) => err,
      ),
    ]);
  }, 300_000);

  it("the promoted stack exports promoted: true and its writer", () => {
    expect(promoted.outputs).toMatchObject({ role: "dr", promoted: true });
    expect(promoted.outputs.postgres.writable).toBe(true);
    expect(follower.outputs).toMatchObject({ role: "dr", promoted: false, region: oldRegion });
  });

  it("the cross-region replica sources the promoted instance's ARN", () => {
    const replicas = ofType(follower.resources, "aws:rds/instance:Instance").filter(
      (r) => r.inputs.replicateSourceDb !== undefined,
    );
    expect(replicas.map((r) => [r.inputs.replicateSourceDb, r.region])).toContainEqual([
      promoted.outputs.postgres.instanceArn,
      oldRegion,
    ]);
  });

  it("cross-cluster replication follows the promoted domain, from the old region's domain", () => {
    const [connection] = ofType(
      follower.resources,
      "aws:opensearch/outboundConnection:OutboundConnection",
    );
    expect(connection!.inputs.remoteDomainInfo).toMatchObject({
      domainName: promoted.outputs.opensearch.domainName,
      region: promoted.outputs.region,
    });
    expect(connection!.inputs.localDomainInfo).toMatchObject({
      domainName: follower.outputs.opensearch.domainName,
      region: oldRegion,
    });
    const [accepter] = ofType(
      follower.resources,
      "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter",
    );
    expect(accepter!.region).toBe(promoted.outputs.region);
  });

  it("backups replicate from the promoted vault into the old region's vault", () => {
    const [link] = ofType(
      follower.resources,
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    );
    expect(link!.inputs.bucket).toBe(promoted.outputs.backup.bucketName);
    expect(link!.region).toBe(promoted.outputs.region);
    const rules = link!.inputs.rules as { destination: { bucket: string } }[];
    expect(rules.map((r) => r.destination.bucket)).toEqual([follower.outputs.backup.bucketArn]);
  });

  it("a DR stack that has not taken over is refused as a leader, naming the field", () => {
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(
      `stack ${PROMOTED_STACK} has role dr and is not promoted (contract field promoted: false)`,
    );
  });
});
