/** Monitoring-mixin conventions of the rendered rules, checked on the rule file itself. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertDefinitions } from "../../components/observability/alerts";
import { durationSeconds } from "../../components/observability/promql";
import { isAlertingRule, type RuleFile } from "../../components/observability/rule-types";
import { renderRuleFile, vegaRuleFile } from "../../components/observability/rules";
import { ROOT } from "../harness";
import { fixtureNames } from "./support/alert-scenarios";
import { defaultResolved } from "./support/configs";
import { seedAlertThresholds } from "./support/seed";

const config = defaultResolved();
const NAMESPACE = "vega-test";
const file: RuleFile = vegaRuleFile(config, NAMESPACE);
const rules = file.groups.flatMap((g) => g.rules);
const alerts = rules.filter(isAlertingRule);
const recordings = rules.filter((r) => !isAlertingRule(r)) as { record: string; expr: string }[];
const defs = alertDefinitions(config);

describe("the rule file", () => {
  it("renders to plain YAML that reads back as the same groups", () => {
    expect(parse(renderRuleFile(file))).toEqual(file);
  });

  it("has an alert for every threshold of seed 15.1, comparing the same way", () => {
    for (const seed of seedAlertThresholds()) {
      const def = defs.find((d) => d.source.endsWith(` ${seed.token}`));
      expect(def, `alert for seed 15.1 ${seed.token}`).toBeDefined();
      expect(def!.comparison).toBe(seed.comparison);
    }
  });

  it("adds the HA alerts: a stale logical backup, a Sentinel without master, too few ready gateways", () => {
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        "VegaLogicalBackupTooOld",
        "VegaSentinelNoMaster",
        "VegaGatewaysDegraded",
      ]),
    );
  });

  it("names alerts in CamelCase with the Vega prefix, each once", () => {
    for (const a of alerts) expect(a.alert).toMatch(/^Vega([A-Z][a-z0-9]*)+$/);
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
  });

  it("gives every alert severity as its only label, both tiers in use", () => {
    for (const a of alerts) expect(Object.keys(a.labels)).toEqual(["severity"]);
    expect(new Set(alerts.map((a) => a.labels.severity))).toEqual(new Set(["warning", "critical"]));
  });

  it("gives every alert a summary, a description and a runbook_url that has a section in RUNBOOK.md", () => {
    const runbook = readFileSync(path.join(ROOT, "components/observability/RUNBOOK.md"), "utf8");
    const anchors = new Set([...runbook.matchAll(/^## (\S+)$/gm)].map((m) => m[1]!.toLowerCase()));
    for (const a of alerts) {
      expect(a.annotations.summary.length).toBeGreaterThan(10);
      expect(a.annotations.description).toContain("{{ $labels.namespace }}");
      const [base, anchor] = a.annotations.runbook_url.split("#");
      expect(base).toBe(config.runbookBaseUrl);
      expect(anchors.has(anchor!), `RUNBOOK.md section for ${a.alert}`).toBe(true);
    }
  });

  it("documents why each alert waits as long as its `for`", () => {
    for (const d of defs) {
      expect(durationSeconds(d.for)).toBeGreaterThan(0);
      expect(d.forReason.length, d.name).toBeGreaterThan(20);
    }
  });

  it("names recording rules level:metric:operations, the level always starting with namespace", () => {
    for (const r of recordings)
      expect(r.record).toMatch(/^namespace(_[a-z]+)*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/);
    expect(new Set(recordings.map((r) => r.record)).size).toBe(recordings.length);
  });

  it("keeps namespace in every aggregation and never aggregates `without`", () => {
    const exprs = rules.map((r) => r.expr);
    const aggregations = exprs.flatMap((e) => [
      ...e.matchAll(/\b(sum|max|min|avg|count|topk|bottomk)\s+(by|without)\s*\(([^)]*)\)/g),
    ]);
    expect(aggregations.length).toBeGreaterThan(10);
    for (const [all, , how, labels] of aggregations) {
      expect(how, all).toBe("by");
      expect(
        labels!.split(",").map((l) => l.trim()),
        all,
      ).toContain("namespace");
    }
  });

  it("scopes every raw selector to the namespace, and alerts only on recorded series", () => {
    const recorded = new Set(recordings.map((r) => r.record));
    for (const r of recordings) {
      for (const [, metric, matchers] of r.expr.matchAll(/\b([a-z_]+)\{([^}]*)\}/g)) {
        if (!metric!.includes(":"))
          expect(matchers, `${r.record}: ${metric}`).toContain(`namespace="${NAMESPACE}"`);
      }
    }
    for (const a of alerts) {
      const series = [...a.expr.matchAll(/\b([a-z_]+:[a-z0-9_]+:[a-z0-9_]+)/g)].map((m) => m[1]!);
      expect(series.length, a.alert).toBeGreaterThan(0);
      for (const s of series) expect(recorded.has(s), `${a.alert} reads ${s}`).toBe(true);
    }
  });

  it("guards every alert on a share or a quantile of events against low traffic", () => {
    const eventBased = defs.filter((d) =>
      /^namespace_service:.*:(ratio|p\d+)_rate/.test(d.indicator),
    );
    expect(eventBased.map((d) => d.name).sort()).toEqual([
      "VegaCacheHitRateLow",
      "VegaConnectionWaitHigh",
      "VegaQueryErrorRateHigh",
      "VegaQueryLatencyP99High",
    ]);
    for (const d of eventBased) {
      expect(d.guardRate, d.name).toBeDefined();
      expect(alerts.find((a) => a.alert === d.name)!.expr).toContain(
        `* 300 >= ${config.thresholds.lowTrafficMinEvents}`,
      );
    }
  });

  it("lists every alert in the README with its severity and `for`", () => {
    const readme = readFileSync(path.join(ROOT, "components/observability/README.md"), "utf8");
    for (const d of defs)
      expect(readme).toMatch(
        new RegExp(`^\\| ${d.name} \\| ${d.severity} \\| [^|]+ \\| ${d.for} \\|`, "m"),
      );
  });

  it("has a promtool scenario for every alert", () => {
    expect(fixtureNames().sort()).toEqual(defs.map((d) => d.name).sort());
  });
});
