/** Walks built dashboards: panels (rows included), their queries, their threshold steps. */
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";

export type AnyPanel = Panel | RowPanel;

export interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, string>;
  expression?: string;
  hide?: boolean;
}

export function panelsOf(d: Dashboard): AnyPanel[] {
  return (d.panels ?? []).flatMap((p) =>
    p.type === "row" ? [p, ...((p as RowPanel).panels ?? [])] : [p],
  );
}

export const targetsOf = (p: AnyPanel): Target[] => ((p as Panel).targets ?? []) as Target[];

export interface PromQuery {
  dashboard: string;
  panel: number;
  title: string;
  refId: string;
  expr: string;
}

/** Every PromQL query of a dashboard. */
export function promQueries(d: Dashboard): PromQuery[] {
  return panelsOf(d).flatMap((p) =>
    targetsOf(p)
      .filter((t) => t.datasource?.type === "prometheus" && typeof t.expr === "string")
      .map((t) => ({
        dashboard: d.uid!,
        panel: p.id!,
        title: (p as Panel).title ?? "",
        refId: t.refId ?? "",
        expr: t.expr!,
      })),
  );
}

/** Grafana's variables as Prometheus would see them after interpolation. */
const VARIABLES: Record<string, string> = {
  $__rate_interval: "5m",
  $__interval: "1m",
  $__range: "6h",
  $namespace: "vega",
};

/** The query with every Grafana variable replaced; an unknown one is an error. */
export function interpolate(expr: string): string {
  const out = Object.entries(VARIABLES).reduce(
    (e, [name, value]) => e.split(name).join(value),
    expr,
  );
  if (out.includes("$")) throw new Error(`unknown Grafana variable in ${expr}`);
  return out;
}

/** Threshold step values that apply to a query: the panel's own, or its override for that refId. */
export function stepValuesFor(p: AnyPanel, refId: string): number[] {
  const config = (p as Panel).fieldConfig;
  const override = config?.overrides?.find(
    (o) => o.matcher.id === "byFrameRefID" && o.matcher.options === refId,
  );
  const fromOverride = override?.properties.find((prop) => prop.id === "thresholds")?.value
    ?.steps as { value: number | null }[] | undefined;
  const steps = fromOverride ?? config?.defaults?.thresholds?.steps ?? [];
  return steps.map((s) => s.value).filter((v): v is number => v !== null);
}
