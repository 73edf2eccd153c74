/**
 * System Overview, laid out as seed 15.2: QPS trend, latency distribution and error rate on the
 * first row; active sync jobs, top slow queries and resource usage on the second. Below them,
 * every other seed 15.1 indicator with its alert threshold drawn in.
 */
import { BigValueGraphMode } from "@grafana/grafana-foundation-sdk/common";
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as TablePanel } from "@grafana/grafana-foundation-sdk/table";
import { minutes } from "../components/observability/promql";
import { dashboardInputs, type DashboardContext } from "./context";
import {
  alertSteps,
  inNamespace,
  namespaceVariable,
  place,
  prom,
  PROMETHEUS,
  stat,
  trend,
  vegaDashboard,
} from "./panels";

export const SYSTEM_OVERVIEW_UID = "vega-system-overview";

export function systemOverview(ctx: DashboardContext): Dashboard {
  const { series: s, alert, thresholds: t, namespace } = dashboardInputs(ctx);
  const ns = inNamespace;
  const third = { w: 8, h: 8 };
  const steps = (...names: string[]) => alertSteps(names.map(alert));

  return (
    vegaDashboard({
      uid: SYSTEM_OVERVIEW_UID,
      title: "Vega / System Overview",
      description:
        "Seed 15.2: the platform at a glance. Threshold lines are the alert thresholds from stack config.",
      tags: [],
      from: "now-6h",
    })
      .withVariable(namespaceVariable(namespace, s.queryRate))
      // Seed 15.2, first row.
      .withPanel(
        trend(
          { id: 1, title: "QPS Trend", ...third },
          PROMETHEUS,
          [
            prom("A", `sum by (namespace) (${ns(s.queryRate)})`, "total"),
            prom("B", ns(s.queryRate), "{{service}}"),
          ],
          "reqps",
        ),
      )
      .withPanel(
        trend(
          { id: 2, title: "Latency Distribution", ...third },
          PROMETHEUS,
          [
            prom("A", ns(s.queryLatencyP50), "p50 {{service}}"),
            prom("B", ns(s.queryLatencyP95), "p95 {{service}}"),
            prom("C", ns(s.queryLatencyP99), "p99 {{service}}"),
          ],
          "s",
          steps("VegaQueryLatencyP99High"),
        ),
      )
      .withPanel(
        stat(
          { id: 3, title: "Error Rate", ...third },
          PROMETHEUS,
          [prom("A", ns(s.queryErrorRatio), "{{service}}")],
          "percentunit",
        )
          .decimals(2)
          .graphMode(BigValueGraphMode.Area)
          .thresholds(steps("VegaQueryErrorRateHigh")),
      )
      // Seed 15.2, second row.
      .withPanel(
        stat({ id: 4, title: "Active Sync Jobs", ...third }, PROMETHEUS, [
          prom("A", `sum by (namespace) (${ns(`${s.syncJobs}{state="running"}`)})`, "Running"),
          prom("B", `sum by (namespace) (${ns(`${s.syncJobs}{state="pending"}`)})`, "Pending"),
          prom("C", `sum by (namespace) (${ns(`${s.syncJobs}{state="failed"}`)})`, "Failed"),
        ]),
      )
      .withPanel(
        place(
          new TablePanel(),
          {
            id: 5,
            title: "Top Slow Queries",
            ...third,
            description: "p99 latency per asset over the selected range.",
          },
          PROMETHEUS,
          [
            prom(
              "A",
              'topk(10, histogram_quantile(0.99, sum by (namespace, asset, le) (rate(vega_query_duration_seconds_bucket{namespace="$namespace"}[$__range]))))',
              "{{asset}}",
            )
              .instant()
              .format(PromQueryFormat.Table),
          ],
        )
          .unit("s")
          .thresholds(steps("VegaQueryLatencyP99High")),
      )
      .withPanel(
        stat(
          {
            id: 6,
            title: "Resource Usage",
            ...third,
            description: "Highest container or volume usage in the namespace.",
          },
          PROMETHEUS,
          [
            prom("A", `max by (namespace) (${ns(s.cpuUsage)})`, "CPU"),
            prom("B", `max by (namespace) (${ns(s.memoryUsage)})`, "MEM"),
            prom("C", `max by (namespace) (${ns(s.diskUsage)})`, "Disk"),
          ],
          "percentunit",
        )
          .overrideByQuery("A", [{ id: "thresholds", value: steps("VegaCpuUsageHigh").build() }])
          .overrideByQuery("B", [{ id: "thresholds", value: steps("VegaMemoryUsageHigh").build() }])
          .overrideByQuery("C", [{ id: "thresholds", value: steps("VegaDiskUsageHigh").build() }]),
      )
      .withRow(new RowBuilder("Sync, connection pool and cache (seed 15.1)").id(10))
      .withPanel(
        trend(
          { id: 11, title: "Sync lag", ...third },
          PROMETHEUS,
          [prom("A", ns(s.syncLag), "{{sync_job}}")],
          "s",
          steps("VegaSyncLagHigh"),
        ),
      )
      .withPanel(
        trend(
          { id: 12, title: `Sync failures (${minutes(t.syncFailuresWindowMinutes)})`, ...third },
          PROMETHEUS,
          [prom("A", ns(s.syncFailures), "failures")],
          "short",
          steps("VegaSyncFailuresHigh"),
        ),
      )
      .withPanel(
        trend(
          { id: 13, title: "Connection pool active", ...third },
          PROMETHEUS,
          [prom("A", ns(s.poolActive), "{{service}}")],
          "short",
        ),
      )
      .withPanel(
        trend(
          { id: 14, title: "Connection wait p99", ...third },
          PROMETHEUS,
          [prom("A", ns(s.connectionWaitP99), "{{service}}")],
          "s",
          steps("VegaConnectionWaitHigh"),
        ),
      )
      .withPanel(
        trend(
          { id: 15, title: "Cache hit rate", ...third },
          PROMETHEUS,
          [prom("A", ns(s.cacheHitRatio), "{{service}}")],
          "percentunit",
          steps("VegaCacheHitRateLow"),
        ),
      )
      .withPanel(
        trend(
          { id: 16, title: "Cache evictions", ...third },
          PROMETHEUS,
          [prom("A", ns(s.cacheEvictionRate), "{{service}}")],
          "ops",
        ),
      )
      .withRow(new RowBuilder("Resources by container and volume (seed 15.1)").id(20))
      .withPanel(
        trend(
          { id: 21, title: "CPU of limit", ...third },
          PROMETHEUS,
          [prom("A", ns(s.cpuUsage), "{{pod}}/{{container}}")],
          "percentunit",
          steps("VegaCpuUsageHigh"),
        ),
      )
      .withPanel(
        trend(
          { id: 22, title: "Memory of limit", ...third },
          PROMETHEUS,
          [prom("A", ns(s.memoryUsage), "{{pod}}/{{container}}")],
          "percentunit",
          steps("VegaMemoryUsageHigh"),
        ),
      )
      .withPanel(
        trend(
          { id: 23, title: "Disk used", ...third },
          PROMETHEUS,
          [prom("A", ns(s.diskUsage), "{{persistentvolumeclaim}}")],
          "percentunit",
          steps("VegaDiskUsageHigh"),
        ),
      )
      .build()
  );
}
