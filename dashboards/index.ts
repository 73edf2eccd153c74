/** Every Vega dashboard, built from the stack's observability config. No hand-written JSON. */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import type { DashboardSet } from "../components/observability/observability";
import type { DashboardContext } from "./context";
import { DATA_STORES_UID, dataStores } from "./data-stores";
import { DR_BACKUPS_UID, drBackups } from "./dr-backups";
import { SYSTEM_OVERVIEW_UID, systemOverview } from "./system-overview";

export type { DashboardContext } from "./context";
export { DATA_STORES_UID, DR_BACKUPS_UID, SYSTEM_OVERVIEW_UID };

/** The uids, in the order vegaDashboards builds them (stable: Grafana keys dashboards on them). */
export const DASHBOARD_UIDS = [SYSTEM_OVERVIEW_UID, DR_BACKUPS_UID, DATA_STORES_UID] as const;

export interface RenderedDashboard {
  uid: string;
  title: string;
  /** The model Grafana imports (and the sidecar loads from a ConfigMap). */
  json: string;
}

export function vegaDashboards(ctx: DashboardContext): Dashboard[] {
  return [systemOverview(ctx), drBackups(ctx), dataStores(ctx)];
}

export function renderDashboards(ctx: DashboardContext): RenderedDashboard[] {
  return vegaDashboards(ctx).map((d, i) => {
    if (d.uid !== DASHBOARD_UIDS[i] || !d.title)
      throw new Error(
        `dashboard ${i} should have uid ${DASHBOARD_UIDS[i]} and a title, got ${d.uid} ${d.title}`,
      );
    return { uid: d.uid, title: d.title, json: `${JSON.stringify(d, null, 2)}\n` };
  });
}

/** What the program hands the Observability component (it ships them, it does not build them). */
export const VEGA_DASHBOARDS: DashboardSet = { uids: DASHBOARD_UIDS, render: renderDashboards };
