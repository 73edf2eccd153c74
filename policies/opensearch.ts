/**
 * Search guardrails (seed 16.1, 17.1): zone-aware domains with dedicated masters, encrypted,
 * HTTPS only, fine-grained access control, never public; cross-cluster replication links owned by
 * the follower's (DR) stack; snapshots on the seed 16.2 schedule (daily 14 days, hourly 3 days).
 */
import * as aws from "@pulumi/aws";
import {
  validateResourceOfType,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { OPENSEARCH_REST_TYPE } from "../components/opensearch/rest";
import { SEED_BACKUP_RETENTION } from "../config/backup";
import { OPENSEARCH_MASTERS, OPENSEARCH_ZONES } from "../config/opensearch";

/** TLS policies with TLS 1.2 as the minimum (domainEndpointOptions.tlsSecurityPolicy). */
const TLS12_POLICIES = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

export const openSearchZoneAware: ResourceValidationPolicy = {
  name: "vega-opensearch-zone-aware",
  description: `OpenSearch domains spread at least ${OPENSEARCH_ZONES} data nodes evenly over ${OPENSEARCH_ZONES} Availability Zones (seed 17.1: 3+ nodes).`,
  enforcementLevel: "mandatory",
  remediationSteps:
    "Enable zoneAwarenessEnabled with availabilityZoneCount 3 and an instanceCount that is a multiple of 3 (vega-ha:opensearch).",
  validateResource: validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
    const c = d.clusterConfig;
    if (c?.zoneAwarenessEnabled !== true) report("zone awareness is off");
    if (c?.zoneAwarenessConfig?.availabilityZoneCount !== OPENSEARCH_ZONES)
      report(`availabilityZoneCount must be ${OPENSEARCH_ZONES}`);
    const n = c?.instanceCount ?? 1;
    if (n < OPENSEARCH_ZONES || n % OPENSEARCH_ZONES !== 0)
      report(
        `instanceCount ${n} is not a multiple of ${OPENSEARCH_ZONES} (at least ${OPENSEARCH_ZONES})`,
      );
  }),
};

export const openSearchDedicatedMasters: ResourceValidationPolicy = {
  name: "vega-opensearch-dedicated-masters",
  description: `OpenSearch domains run ${OPENSEARCH_MASTERS} dedicated master nodes (a quorum survives a lost zone).`,
  enforcementLevel: "mandatory",
  remediationSteps: "Set dedicatedMasterEnabled: true and dedicatedMasterCount: 3.",
  validateResource: validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
    const c = d.clusterConfig;
    if (c?.dedicatedMasterEnabled !== true || c.dedicatedMasterCount !== OPENSEARCH_MASTERS)
      report(`expected ${OPENSEARCH_MASTERS} dedicated masters`);
  }),
};

export const openSearchEncrypted: ResourceValidationPolicy = {
  name: "vega-opensearch-encrypted",
  description:
    "OpenSearch domains encrypt at rest with a customer managed KMS key and between nodes (also a CCR prerequisite).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Enable encryptAtRest with the domain's own kmsKeyId, and nodeToNodeEncryption.",
  validateResource: validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
    if (d.encryptAtRest?.enabled !== true || !d.encryptAtRest.kmsKeyId)
      report("encryptAtRest must be enabled with a kmsKeyId");
    if (d.nodeToNodeEncryption?.enabled !== true) report("nodeToNodeEncryption must be enabled");
  }),
};

export const openSearchHttpsOnly: ResourceValidationPolicy = {
  name: "vega-opensearch-https-only",
  description: "OpenSearch endpoints enforce HTTPS with a TLS 1.2+ security policy.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set domainEndpointOptions.enforceHttps: true and a TLS 1.2 tlsSecurityPolicy (Policy-Min-TLS-1-2-PFS-2023-10).",
  validateResource: validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
    const e = d.domainEndpointOptions;
    if (e?.enforceHttps !== true) report("enforceHttps must be true");
    if (!TLS12_POLICIES.includes(e?.tlsSecurityPolicy ?? ""))
      report(`tlsSecurityPolicy must be one of ${TLS12_POLICIES.join(", ")}`);
  }),
};

export const openSearchFineGrainedAccess: ResourceValidationPolicy = {
  name: "vega-opensearch-fgac",
  description:
    "OpenSearch domains use fine-grained access control (a CCR prerequisite). Rules see secrets unwrapped, as under pulumi preview: the master password's secrecy is tested on the component, not here.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Enable advancedSecurityOptions (fine-grained access control) with a master user whose password is a secret.",
  validateResource: validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
    if (d.advancedSecurityOptions?.enabled !== true)
      report("advancedSecurityOptions (fine-grained access control) is off");
  }),
};

export const openSearchNotPublic: ResourceValidationPolicy = {
  name: "vega-opensearch-not-public",
  description:
    "OpenSearch domains live in the VPC, and no access policy opens HTTP to everyone (a * principal only for es:ESCrossClusterGet).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the domain vpcOptions (private subnets, its security group), and allow only account principals in the access policy (a * principal only for es:ESCrossClusterGet).",
  validateResource: [
    validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
      if ((d.vpcOptions?.subnetIds ?? []).length === 0)
        report("no vpcOptions: the endpoint would be public");
    }),
    validateResourceOfType(aws.opensearch.DomainPolicy, (p, _args, report) => {
      if (typeof p.accessPolicies !== "string") return;
      const statements = [JSON.parse(p.accessPolicies).Statement ?? []].flat();
      for (const st of statements) {
        const principal =
          st.Principal === "*" ||
          st.Principal?.AWS === "*" ||
          [st.Principal?.AWS].flat().includes("*");
        const actions = [st.Action].flat();
        if (
          st.Effect === "Allow" &&
          principal &&
          actions.some((a: string) => a !== "es:ESCrossClusterGet")
        )
          report(`statement ${st.Sid ?? "(no Sid)"} allows ${actions.join(", ")} to everyone`);
      }
    }),
  ],
};

const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";

export const crossClusterReplicationOwnedByFollower: StackValidationPolicy = {
  name: "vega-opensearch-ccr-owned-by-dr",
  description:
    "Cross-cluster replication is declared by the follower's (DR) stack: the connection starts from its own domain, the acceptance accepts that connection, auto-follow rules come after the acceptance.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Declare the connection in the DR stack from its own domain to the primary's, accept it there, and make auto-follow rules depend on the acceptance.",
  validateStack: (args, report) => {
    const domains = args.resources.filter((r) => r.type === "aws:opensearch/domain:Domain");
    const ownDomainNames = new Set(domains.map((d) => d.props.domainName));
    const connections = args.resources.filter((r) => r.type === CONNECTION);
    const accepters = args.resources.filter((r) => r.type === ACCEPTER);
    for (const c of connections) {
      if (!ownDomainNames.has(c.props.localDomainInfo?.domainName))
        report(
          `connection ${c.name} does not start from this stack's domain (the follower)`,
          c.urn,
        );
      if (ownDomainNames.has(c.props.remoteDomainInfo?.domainName))
        report(`connection ${c.name} points at this stack's own domain`, c.urn);
    }
    for (const a of accepters) {
      if (!a.dependencies.some((d) => d.type === CONNECTION))
        report(`accepter ${a.name} accepts a connection this stack does not declare`, a.urn);
    }
    const rules = args.resources.filter(
      (r) => r.type === OPENSEARCH_REST_TYPE && r.props.kind === "autoFollowRule",
    );
    for (const r of rules) {
      if (!r.dependencies.some((d) => d.type === ACCEPTER))
        report(
          `auto-follow rule ${r.name} does not wait for an accepted connection of this stack`,
          r.urn,
        );
    }
  },
};

/**
 * Hours between two runs of a snapshot policy's cron (minute hour day-of-month month
 * day-of-week): "M * * * *" hourly, an hour field of a step k (every k hours), "M H * * *" daily; undefined for
 * any other shape (weekly, monthly, lists), which then meets no row of the seed.
 */
export function cronIntervalHours(expression: string): number | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  if (!/^\d+$/.test(minute) || day !== "*" || month !== "*" || weekday !== "*") return undefined;
  if (hour === "*") return 1;
  const every = /^\*\/(\d+)$/.exec(hour);
  if (every) return Number(every[1]);
  return /^\d+$/.test(hour) ? 24 : undefined;
}

/** An OpenSearch time value ("14d", "72h", "90m") in days; undefined when not one. */
export function timeValueDays(value: unknown): number | undefined {
  const m = typeof value === "string" ? /^(\d+)([dhm])$/.exec(value) : null;
  if (!m) return undefined;
  const perDay = { d: 1, h: 24, m: 24 * 60 }[m[2] as "d" | "h" | "m"];
  return Number(m[1]) / perDay;
}

export const openSearchSnapshotSchedules: StackValidationPolicy = {
  name: "vega-opensearch-snapshot-schedules",
  description:
    "A stack with an OpenSearch domain snapshots it on the seed 16.2 schedule: a snapshot management policy at least daily kept dailyRetentionDays (14), and one at least hourly (the delta) kept hourlyRetentionDays (3), each into a snapshot repository the stack registers.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Let SearchSnapshots (components/opensearch) register the vega-daily and vega-hourly repositories and their snapshot management policies: creation cron daily and hourly, deletion.condition.max_age at least the seed's 14d and 3d (vega-ha:backup.retention).",
  configSchema: {
    properties: {
      dailyRetentionDays: {
        type: "integer",
        minimum: SEED_BACKUP_RETENTION.opensearchSnapshotDays,
        default: SEED_BACKUP_RETENTION.opensearchSnapshotDays,
        description: "Fewest days the daily snapshots are kept (seed 16.2: 14).",
      },
      hourlyRetentionDays: {
        type: "integer",
        minimum: SEED_BACKUP_RETENTION.opensearchDeltaDays,
        default: SEED_BACKUP_RETENTION.opensearchDeltaDays,
        description: "Fewest days the hourly (delta) snapshots are kept (seed 16.2: 3).",
      },
    },
  },
  validateStack: (args, report) => {
    if (!args.resources.some((r) => r.type === "aws:opensearch/domain:Domain")) return;
    const limits = args.getConfig<{ dailyRetentionDays: number; hourlyRetentionDays: number }>();
    const rest = args.resources.filter((r) => r.type === OPENSEARCH_REST_TYPE);
    const repositories = new Set(
      rest.filter((r) => r.props.kind === "snapshotRepository").map((r) => r.props.spec?.name),
    );
    const policies = rest.filter((r) => r.props.kind === "smPolicy");
    for (const p of policies) {
      const repository = p.props.spec?.body?.snapshot_config?.repository;
      if (!repositories.has(repository))
        report(
          `${p.name}: snapshots into repository ${repository}, which this stack does not register`,
          p.urn,
        );
    }
    const rows = [
      { what: "daily", everyHours: 24, keptDays: limits.dailyRetentionDays },
      { what: "hourly (delta)", everyHours: 1, keptDays: limits.hourlyRetentionDays },
    ];
    for (const row of rows) {
      const meets = policies.some((p) => {
        const body = p.props.spec?.body ?? {};
        const every = cronIntervalHours(String(body.creation?.schedule?.cron?.expression ?? ""));
        // No deletion condition keeps snapshots for ever: longer than the seed, never shorter.
        const maxAge = body.deletion?.condition?.max_age;
        const kept = maxAge === undefined ? Infinity : (timeValueDays(maxAge) ?? 0);
        return every !== undefined && every <= row.everyHours && kept >= row.keptDays;
      });
      if (!meets)
        report(
          `no snapshot management policy takes ${row.what} snapshots (every ${row.everyHours} h or more often) kept at least ${row.keptDays} days (seed 16.2)`,
        );
    }
  },
};

export const openSearchPolicies = [
  openSearchZoneAware,
  openSearchDedicatedMasters,
  openSearchEncrypted,
  openSearchHttpsOnly,
  openSearchFineGrainedAccess,
  openSearchNotPublic,
  crossClusterReplicationOwnedByFollower,
  openSearchSnapshotSchedules,
];
