import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { alertDefinitions } from "../../components/observability/alerts";
import { CLOUDWATCH_METRICS } from "../../components/observability/cloudwatch-metrics";
import {
  DASHBOARD_UIDS,
  renderDashboards,
  SYSTEM_OVERVIEW_UID,
  vegaDashboards,
} from "../../dashboards";
import { ROOT } from "../harness";
import { panelsOf, stepValuesFor, targetsOf } from "./support/dashboard-model";
import { defaultResolved } from "./support/configs";
import { seedDashboardRows } from "./support/seed";

const config = defaultResolved();
const ctx = { config, namespace: "vega" };
const dashboards = vegaDashboards(ctx);
const byUid = (uid: string) => dashboards.find((d) => d.uid === uid)!;

describe("the dashboards", () => {
  it("have stable, distinct uids and titles", () => {
    expect(dashboards.map((d) => d.uid)).toEqual([...DASHBOARD_UIDS]);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
    // Built twice, the JSON is the same byte for byte: no random ids, no timestamps.
    expect(renderDashboards(ctx)).toEqual(renderDashboards(ctx));
  });

  it("are code: no dashboard JSON is checked into dashboards/", () => {
    expect(readdirSync(path.join(ROOT, "dashboards")).filter((f) => f.endsWith(".json"))).toEqual(
      [],
    );
  });

  describe.each(DASHBOARD_UIDS)("%s", (uid) => {
    const d = byUid(uid);
    const panels = panelsOf(d);

    it("gives every panel, rows included, its own explicit id", () => {
      const ids = panels.map((p) => p.id);
      for (const id of ids) expect(id).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("keeps every panel inside the 24-column grid, without overlaps", () => {
      const boxes = panels.map((p) => ({ id: p.id, ...p.gridPos! }));
      for (const b of boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.w).toBeGreaterThan(0);
        expect(b.x + b.w, `panel ${b.id}`).toBeLessThanOrEqual(24);
        expect(b.h).toBeGreaterThan(0);
      }
      for (const a of boxes) {
        for (const b of boxes) {
          if (a.id === b.id) continue;
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `panels ${a.id} and ${b.id} overlap`).toBe(false);
        }
      }
    });

    it("gives every query an explicit refId, unique in its panel, and a data source from a variable", () => {
      for (const p of panels.filter((p) => p.type !== "row")) {
        const targets = targetsOf(p);
        expect(targets.length, `panel ${p.id}`).toBeGreaterThan(0);
        const refIds = targets.map((t) => t.refId);
        for (const r of refIds) expect(r).toMatch(/^[A-Z]$/);
        expect(new Set(refIds).size).toBe(refIds.length);
        for (const t of targets)
          expect(t.datasource?.uid).toMatch(/^\$\{(datasource|cloudwatch)\}$/);
      }
    });

    it("declares the data source variables its queries use", () => {
      const variables = (d.templating?.list ?? [])
        .filter((v) => v.type === "datasource")
        .map((v) => `\${${v.name}}`);
      expect(variables).toContain("${datasource}");
      const used = new Set(panels.flatMap(targetsOf).map((t) => t.datasource?.uid));
      for (const u of used) expect(variables).toContain(u);
    });

    it("reads CloudWatch metrics of the shared catalogue, with all their dimensions", () => {
      const catalogue = Object.values(CLOUDWATCH_METRICS);
      for (const t of panels
        .flatMap(targetsOf)
        .filter((t) => t.datasource?.type === "cloudwatch" && t.metricName)) {
        const metric = catalogue.find(
          (m) => m.namespace === t.namespace && m.metricName === t.metricName,
        );
        expect(metric, `${t.namespace} ${t.metricName}`).toBeDefined();
        expect(Object.keys(t.dimensions ?? {}).sort()).toEqual([...metric!.dimensions].sort());
      }
    });
  });

  it("lays out System Overview as seed 15.2: its panels, row by row, left to right", () => {
    const panels = panelsOf(byUid(SYSTEM_OVERVIEW_UID)) as Panel[];
    const rows = seedDashboardRows();
    expect(rows.flat().length).toBe(6);
    let previousY = -1;
    for (const titles of rows) {
      const placed = titles.map((title) => {
        const panel = panels.find((p) => p.title === title);
        expect(panel, `seed 15.2 panel ${title}`).toBeDefined();
        return panel!.gridPos!;
      });
      expect(new Set(placed.map((g) => g.y)).size, `${titles.join(", ")} share a row`).toBe(1);
      expect(placed[0]!.y).toBeGreaterThan(previousY);
      previousY = placed[0]!.y;
      for (let i = 1; i < placed.length; i++)
        expect(placed[i]!.x).toBeGreaterThan(placed[i - 1]!.x);
    }
  });

  it("shows p50, p95 and p99 in the latency distribution, and running, pending and failed sync jobs", () => {
    const panels = panelsOf(byUid(SYSTEM_OVERVIEW_UID)) as Panel[];
    const exprs = (title: string) =>
      targetsOf(panels.find((p) => p.title === title)!).map((t) => t.expr ?? "");
    expect(exprs("Latency Distribution").map((e) => /:(p\d+)_rate/.exec(e)?.[1])).toEqual([
      "p50",
      "p95",
      "p99",
    ]);
    expect(exprs("Active Sync Jobs").map((e) => /state="(\w+)"/.exec(e)?.[1])).toEqual([
      "running",
      "pending",
      "failed",
    ]);
  });

  it("draws every alert's threshold on a panel showing its indicator", () => {
    const panels = dashboards.flatMap(panelsOf);
    for (const def of alertDefinitions(config)) {
      const series = def.indicator.split("{")[0]!;
      const showing = panels.flatMap((p) =>
        targetsOf(p)
          .filter((t) => t.expr?.includes(series))
          .map((t) => ({ p, refId: t.refId! })),
      );
      expect(showing.length, `a panel shows ${def.name}'s ${series}`).toBeGreaterThan(0);
      const drawn = showing.some(({ p, refId }) => stepValuesFor(p, refId).includes(def.threshold));
      expect(drawn, `${def.name}'s threshold ${def.threshold} is drawn`).toBe(true);
    }
  });
});
