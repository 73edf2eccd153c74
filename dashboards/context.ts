import {
  alertDefinitions,
  type AlertConfig,
  type AlertDefinition,
} from "../components/observability/alerts";
import { recordedSeries, type RecordedSeries } from "../components/observability/recording";

/** What every dashboard is built from: the same config that builds the rules. */
export interface DashboardContext {
  config: AlertConfig;
  /** Vega's namespace, preset in the `$namespace` variable. */
  namespace: string;
  /** The region's OpenSearch domain (CloudWatch DomainName). Default: every domain ("*"). */
  searchDomainName?: string;
}

export interface DashboardInputs {
  namespace: string;
  thresholds: AlertConfig["thresholds"];
  targets: AlertConfig["targets"];
  series: RecordedSeries;
  /** The alert definitions by name: a panel draws its line at the alert's own threshold. */
  alert: (name: string) => AlertDefinition;
}

export function dashboardInputs(ctx: DashboardContext): DashboardInputs {
  const defs = new Map(alertDefinitions(ctx.config).map((d) => [d.name, d]));
  return {
    namespace: ctx.namespace,
    thresholds: ctx.config.thresholds,
    targets: ctx.config.targets,
    series: recordedSeries(ctx.config.thresholds),
    alert: (name) => {
      const def = defs.get(name);
      if (!def) throw new Error(`dashboard refers to unknown alert ${name}`);
      return def;
    },
  };
}
