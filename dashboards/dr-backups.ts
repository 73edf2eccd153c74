/**
 * DR & Backups: how far each store's DR copy is behind (seed 16.1/16.2), how old the last good
 * backup of each kind is, the S3 replication backlog, and whether this region could take over.
 */
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { PRIMARY_TO_DR_RULE_ID, REPLICATION_TIME_MINUTES } from "../components/backup/replication";
import { CLOUDWATCH_METRICS as CW } from "../components/observability/cloudwatch-metrics";
import { dashboardInputs, type DashboardContext } from "./context";
import {
  alertSteps,
  CLOUDWATCH,
  cloudwatchVariable,
  cw,
  cwMath,
  inNamespace,
  limitSteps,
  namespaceVariable,
  prom,
  PROMETHEUS,
  regionVariable,
  stat,
  trend,
  vegaDashboard,
} from "./panels";

export const DR_BACKUPS_UID = "vega-dr-backups";

export function drBackups(ctx: DashboardContext): Dashboard {
  const { series: s, alert, thresholds: t, namespace } = dashboardInputs(ctx);
  const third = { w: 8, h: 8 };
  const quarter = { w: 6, h: 6 };
  const rule = { dimensions: { RuleId: PRIMARY_TO_DR_RULE_ID } };
  const gateways = alert("VegaGatewaysDegraded");

  return vegaDashboard({
    uid: DR_BACKUPS_UID,
    title: "Vega / DR & Backups",
    description:
      "Replication into the DR region, backup freshness and failover readiness. S3 latency and backlog are published in the DR region, S3 failures in the primary's: pick the region.",
    tags: ["dr"],
    from: "now-24h",
  })
    .withVariable(cloudwatchVariable())
    .withVariable(namespaceVariable(namespace, s.deploymentAvailable))
    .withVariable(regionVariable())
    .withRow(new RowBuilder("Replication into DR").id(1))
    .withPanel(
      trend(
        {
          id: 2,
          title: "PostgreSQL replica lag",
          ...third,
          description: "RDS ReplicaLag of the replicas (the cross-region one is the DR copy).",
        },
        CLOUDWATCH,
        [cw("A", CW.rdsReplicaLag, "Maximum", { label: "${PROP('Dim.DBInstanceIdentifier')}" })],
        "s",
        limitSteps(t.dbReplicaLagSeconds, "critical"),
      ),
    )
    .withPanel(
      trend(
        {
          id: 3,
          title: "OpenSearch replication lag",
          ...third,
          description:
            "Cross-cluster replication: leader checkpoint minus follower checkpoint, on the DR domain.",
        },
        CLOUDWATCH,
        [
          cw("A", CW.openSearchLeaderCheckpoint, "Maximum", { id: "leader", hide: true }),
          cw("B", CW.openSearchFollowerCheckpoint, "Maximum", { id: "follower", hide: true }),
          cwMath("C", "leader - follower", "operations behind"),
        ],
        "short",
      ),
    )
    .withPanel(
      trend(
        {
          id: 4,
          title: "S3 backup replication latency",
          ...third,
          description: `Replication Time Control promises ${REPLICATION_TIME_MINUTES} minutes.`,
        },
        CLOUDWATCH,
        [cw("A", CW.s3ReplicationLatency, "Maximum", rule)],
        "s",
        limitSteps(REPLICATION_TIME_MINUTES * 60, "warning"),
      ),
    )
    .withRow(new RowBuilder("Backups").id(5))
    .withPanel(
      stat(
        {
          id: 6,
          title: "Age of the last good backup",
          ...third,
          description: "Seconds since each backup CronJob last succeeded.",
        },
        PROMETHEUS,
        [prom("A", inNamespace(s.cronJobSuccessAge), "{{cronjob}}")],
        "s",
      ).thresholds(alertSteps([alert("VegaLogicalBackupTooOld")])),
    )
    .withPanel(
      trend(
        { id: 7, title: "S3 replication backlog", ...third },
        CLOUDWATCH,
        [
          cw("A", CW.s3BytesPendingReplication, "Maximum", { ...rule, label: "bytes pending" }),
          cw("B", CW.s3OperationsPendingReplication, "Maximum", {
            ...rule,
            label: "operations pending",
          }),
        ],
        "bytes",
      ).overrideByQuery("B", [{ id: "unit", value: "short" }]),
    )
    .withPanel(
      trend(
        { id: 8, title: "OpenSearch snapshot failures", ...third },
        CLOUDWATCH,
        [cw("A", CW.openSearchSnapshotFailure, "Maximum")],
        "short",
        limitSteps(1, "warning"),
      ),
    )
    .withRow(new RowBuilder("Failover readiness").id(9))
    .withPanel(
      stat({ id: 10, title: "Gateways ready", ...quarter }, PROMETHEUS, [
        prom("A", inNamespace(gateways.indicator), "{{deployment}}"),
      ]).thresholds(alertSteps([alert("VegaGatewaysDown"), gateways])),
    )
    .withPanel(
      stat(
        {
          id: 11,
          title: "Redis master known",
          ...quarter,
          description: "1 when every Sentinel sees a master in state ok.",
        },
        PROMETHEUS,
        [prom("A", `min by (namespace) (${inNamespace(s.sentinelMasterOk)})`, "sentinels")],
      ).thresholds(alertSteps([alert("VegaSentinelNoMaster")])),
    )
    .withPanel(
      stat(
        {
          id: 12,
          title: "Route 53 health checks",
          ...quarter,
          description:
            "1 = healthy. Route 53 fails over to SECONDARY when the PRIMARY check fails.",
        },
        CLOUDWATCH,
        [cw("A", CW.route53HealthCheckStatus, "Minimum", { region: "us-east-1" })],
      ).thresholds(limitSteps(1, "critical", "<")),
    )
    .withPanel(
      trend(
        {
          id: 13,
          title: "S3 replication failures",
          ...quarter,
          description: "Published in the primary (source) region.",
        },
        CLOUDWATCH,
        [cw("A", CW.s3OperationsFailedReplication, "Sum", rule)],
        "short",
        limitSteps(1, "critical"),
      ),
    )
    .build();
}
