/** Mutations that prove the search rules of opensearch.ts (see mutation.ts). */
import type { ResourceProps } from "../components/core/plan";
import { OPENSEARCH_REST_TYPE } from "../components/opensearch/rest";
import { editInputs, editResource, removeResource, type PolicyMutation } from "./mutation";
import { objectivesMet } from "./objectives";
import {
  crossClusterReplicationOwnedByFollower,
  openSearchDedicatedMasters,
  openSearchEncrypted,
  openSearchFineGrainedAccess,
  openSearchHttpsOnly,
  openSearchNotPublic,
  openSearchSnapshotSchedules,
  openSearchZoneAware,
} from "./opensearch";

const DOMAIN = { type: "aws:opensearch/domain:Domain" };
const CONNECTION = { type: "aws:opensearch/outboundConnection:OutboundConnection" };
const ACCEPTER = { type: "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter" };
const AUTO_FOLLOW = {
  type: OPENSEARCH_REST_TYPE,
  where: (r: { inputs: ResourceProps }) => r.inputs.kind === "autoFollowRule",
};

/** A snapshot management policy, by the repository it writes to. */
const snapshotPolicy = (repository: string) => ({
  type: OPENSEARCH_REST_TYPE,
  where: (r: { inputs: ResourceProps }) =>
    r.inputs.kind === "smPolicy" && r.inputs.spec?.body?.snapshot_config?.repository === repository,
});
const DAILY = snapshotPolicy("vega-daily");
const HOURLY = snapshotPolicy("vega-hourly");

/** A mutation that drops the target's dependencies on resources of `type`. */
const dropDependenciesOn = (target: typeof ACCEPTER | typeof AUTO_FOLLOW, type: string) =>
  ((resources) =>
    editResource(target, (r) => ({
      dependencies: r.dependencies.filter(
        (urn) => resources.find((x) => x.urn === urn)?.type !== type,
      ),
    }))(resources)) satisfies PolicyMutation["apply"];

export const openSearchMutations: PolicyMutation[] = [
  {
    rule: openSearchZoneAware,
    breaks: "zone awareness off",
    apply: editInputs(DOMAIN, (p) => (p.clusterConfig.zoneAwarenessEnabled = false)),
  },
  {
    rule: openSearchZoneAware,
    breaks: "data nodes over two zones",
    apply: editInputs(
      DOMAIN,
      (p) => (p.clusterConfig.zoneAwarenessConfig.availabilityZoneCount = 2),
    ),
  },
  {
    rule: openSearchZoneAware,
    breaks: "a data node count the zones cannot share evenly",
    apply: editInputs(DOMAIN, (p) => (p.clusterConfig.instanceCount += 1)),
  },
  {
    rule: openSearchDedicatedMasters,
    breaks: "no dedicated masters",
    apply: editInputs(DOMAIN, (p) => (p.clusterConfig.dedicatedMasterEnabled = false)),
  },
  {
    rule: openSearchDedicatedMasters,
    breaks: "two dedicated masters (no quorum after a lost zone)",
    apply: editInputs(DOMAIN, (p) => (p.clusterConfig.dedicatedMasterCount = 2)),
  },
  {
    rule: openSearchEncrypted,
    breaks: "encryption at rest under the AWS-managed key",
    apply: editInputs(DOMAIN, (p) => delete p.encryptAtRest.kmsKeyId),
  },
  {
    rule: openSearchEncrypted,
    breaks: "node-to-node traffic in the clear",
    apply: editInputs(DOMAIN, (p) => (p.nodeToNodeEncryption.enabled = false)),
  },
  {
    rule: openSearchHttpsOnly,
    breaks: "plain HTTP accepted",
    apply: editInputs(DOMAIN, (p) => (p.domainEndpointOptions.enforceHttps = false)),
  },
  {
    rule: openSearchHttpsOnly,
    breaks: "TLS 1.0 accepted",
    apply: editInputs(
      DOMAIN,
      (p) => (p.domainEndpointOptions.tlsSecurityPolicy = "Policy-Min-TLS-1-0-2019-07"),
    ),
  },
  {
    rule: openSearchFineGrainedAccess,
    breaks: "fine-grained access control off",
    apply: editInputs(DOMAIN, (p) => (p.advancedSecurityOptions.enabled = false)),
  },
  {
    rule: openSearchNotPublic,
    breaks: "the domain outside the VPC (a public endpoint)",
    apply: editInputs(DOMAIN, (p) => delete p.vpcOptions),
  },
  {
    rule: openSearchNotPublic,
    breaks: "the access policy opens HTTP to everyone",
    apply: editInputs({ type: "aws:opensearch/domainPolicy:DomainPolicy" }, (p) => {
      const policy = JSON.parse(p.accessPolicies as string);
      policy.Statement[0].Principal = { AWS: "*" };
      p.accessPolicies = JSON.stringify(policy);
    }),
  },
  {
    rule: crossClusterReplicationOwnedByFollower,
    breaks: "the connection starts from another stack's domain",
    apply: editInputs(CONNECTION, (p) => (p.localDomainInfo.domainName = "someone-elses-domain")),
  },
  {
    rule: crossClusterReplicationOwnedByFollower,
    breaks: "the connection points at the stack's own domain",
    apply: editInputs(
      CONNECTION,
      (p) => (p.remoteDomainInfo.domainName = p.localDomainInfo.domainName),
    ),
  },
  {
    rule: crossClusterReplicationOwnedByFollower,
    breaks: "the acceptance accepts a connection this stack does not declare",
    apply: dropDependenciesOn(ACCEPTER, CONNECTION.type),
  },
  {
    rule: crossClusterReplicationOwnedByFollower,
    breaks: "an auto-follow rule that does not wait for the acceptance",
    apply: dropDependenciesOn(AUTO_FOLLOW, ACCEPTER.type),
  },
  {
    rule: openSearchSnapshotSchedules,
    breaks: "no hourly (delta) snapshot policy",
    apply: removeResource(HOURLY),
  },
  {
    rule: openSearchSnapshotSchedules,
    breaks: "daily snapshots kept 7 days",
    apply: editInputs(DAILY, (p) => (p.spec.body.deletion.condition.max_age = "7d")),
  },
  {
    rule: openSearchSnapshotSchedules,
    breaks: "the daily snapshot policy run weekly",
    // The daily row's RPO (24 h) is missed too: the objectives table reports it by design.
    alsoReportedBy: [objectivesMet],
    apply: editInputs(DAILY, (p) => (p.spec.body.creation.schedule.cron.expression = "0 2 * * 0")),
  },
  {
    rule: openSearchSnapshotSchedules,
    breaks: "the hourly snapshot policy run every 2 hours",
    // The delta row's RPO (1 h) is missed too: the objectives table reports it by design.
    alsoReportedBy: [objectivesMet],
    apply: editInputs(
      HOURLY,
      (p) => (p.spec.body.creation.schedule.cron.expression = "15 */2 * * *"),
    ),
  },
  {
    rule: openSearchSnapshotSchedules,
    breaks: "a snapshot policy writing to a repository nobody registers",
    apply: editInputs(
      HOURLY,
      (p) => (p.spec.body.snapshot_config.repository = "vega-unregistered"),
    ),
  },
];
