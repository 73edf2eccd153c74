/** Data Stores: PostgreSQL (RDS), Redis with Sentinel, OpenSearch, at the seed 15.1 thresholds. */
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { CLOUDWATCH_METRICS as CW } from "../components/observability/cloudwatch-metrics";
import { dashboardInputs, type DashboardContext } from "./context";
import {
  alertSteps,
  CLOUDWATCH,
  cloudwatchVariable,
  cw,
  databaseInstanceVariable,
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

export const DATA_STORES_UID = "vega-data-stores";

export function dataStores(ctx: DashboardContext): Dashboard {
  const { series: s, alert, thresholds: t, namespace, targets } = dashboardInputs(ctx);
  // The PostgreSQL panels read the instance picked in $dbinstance (this region's, writer first).
  const databases = targets.databaseInstances ?? [];
  const db = databases.length > 0 ? { dimensions: { DBInstanceIdentifier: "$dbinstance" } } : {};
  const quarter = { w: 6, h: 8 };
  const search = ctx.searchDomainName ? { dimensions: { DomainName: ctx.searchDomainName } } : {};
  const redis = (metric: string) => `max by (namespace, pod) (${metric}{namespace="$namespace"})`;

  return vegaDashboard({
    uid: DATA_STORES_UID,
    title: "Vega / Data Stores",
    description:
      "PostgreSQL (RDS), Redis with Sentinel (redis_exporter) and OpenSearch Service. Threshold lines are the alert and alarm thresholds from stack config.",
    tags: ["data-stores"],
    from: "now-6h",
  })
    .withVariable(cloudwatchVariable())
    .withVariable(namespaceVariable(namespace, s.sentinelMasterOk))
    .withVariable(regionVariable())
    .withVariable(databaseInstanceVariable(databases))
    .withRow(new RowBuilder("PostgreSQL (RDS)").id(1))
    .withPanel(
      trend(
        { id: 2, title: "CPU", ...quarter },
        CLOUDWATCH,
        [cw("A", CW.rdsCpu, "Average", db)],
        "percent",
        limitSteps(t.cpuPercent, "warning"),
      ),
    )
    .withPanel(
      trend(
        { id: 3, title: "Free storage", ...quarter },
        CLOUDWATCH,
        [cw("A", CW.rdsFreeStorage, "Minimum", db)],
        "bytes",
      ),
    )
    .withPanel(
      trend(
        { id: 4, title: "Connections", ...quarter },
        CLOUDWATCH,
        [cw("A", CW.rdsConnections, "Average", db)],
        "short",
      ),
    )
    .withPanel(
      trend(
        { id: 5, title: "Replica lag", ...quarter },
        CLOUDWATCH,
        [cw("A", CW.rdsReplicaLag, "Maximum", db)],
        "s",
        limitSteps(t.dbReplicaLagSeconds, "critical"),
      ),
    )
    .withRow(new RowBuilder("Redis and Sentinel").id(6))
    .withPanel(
      stat({ id: 7, title: "Redis up", ...quarter }, PROMETHEUS, [
        prom("A", redis("redis_up"), "{{pod}}"),
      ]).thresholds(limitSteps(1, "critical", "<")),
    )
    .withPanel(
      trend(
        { id: 8, title: "Memory of maxmemory", ...quarter },
        PROMETHEUS,
        [
          prom(
            "A",
            `${redis("redis_memory_used_bytes")} / (${redis("redis_memory_max_bytes")} > 0)`,
            "{{pod}}",
          ),
        ],
        "percentunit",
        limitSteps(t.memoryPercent / 100, "warning"),
      ),
    )
    .withPanel(
      stat({ id: 9, title: "Sentinel sees a master", ...quarter }, PROMETHEUS, [
        prom("A", inNamespace(s.sentinelMasterOk), "{{pod}}"),
      ]).thresholds(alertSteps([alert("VegaSentinelNoMaster")])),
    )
    .withPanel(
      trend(
        { id: 10, title: "Cache hit rate", ...quarter },
        PROMETHEUS,
        [prom("A", inNamespace(s.cacheHitRatio), "{{service}}")],
        "percentunit",
        alertSteps([alert("VegaCacheHitRateLow")]),
      ),
    )
    .withRow(new RowBuilder("OpenSearch").id(11))
    .withPanel(
      stat({ id: 12, title: "Cluster status", ...quarter }, CLOUDWATCH, [
        cw("A", CW.openSearchGreen, "Maximum", { ...search, label: "green" }),
        cw("B", CW.openSearchYellow, "Maximum", { ...search, label: "yellow" }),
        cw("C", CW.openSearchRed, "Maximum", { ...search, label: "red" }),
      ])
        .overrideByQuery("B", [{ id: "thresholds", value: limitSteps(1, "warning").build() }])
        .overrideByQuery("C", [{ id: "thresholds", value: limitSteps(1, "critical").build() }]),
    )
    .withPanel(
      trend(
        { id: 13, title: "JVM memory pressure", ...quarter },
        CLOUDWATCH,
        [cw("A", CW.openSearchJvmPressure, "Maximum", search)],
        "percent",
        limitSteps(t.memoryPercent, "warning"),
      ),
    )
    .withPanel(
      trend(
        { id: 14, title: "Free storage (fullest node)", ...quarter },
        CLOUDWATCH,
        [cw("A", CW.openSearchFreeStorage, "Minimum", search)],
        "decmbytes",
      ),
    )
    .withPanel(
      trend(
        { id: 15, title: "CPU", ...quarter },
        CLOUDWATCH,
        [cw("A", CW.openSearchCpu, "Average", search)],
        "percent",
        limitSteps(t.cpuPercent, "warning"),
      ),
    )
    .build();
}
