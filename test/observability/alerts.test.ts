/**
 * The alert definitions (components/observability/alerts.ts) under thresholds other than the
 * seed's: each alert states its own threshold in its unit, compares in the indicator's unit, and
 * watches the workloads it is told to.
 */
import { describe, expect, it } from "vitest";
import { alertDefinitions } from "../../components/observability/alerts";
import { defaultResolved } from "./support/configs";

const base = defaultResolved();
const config = {
  ...base,
  thresholds: {
    ...base.thresholds,
    queryErrorRatePercent: 7.5,
    queryLatencyP99Seconds: 2.5,
    logicalBackupMaxAgeHours: 30,
  },
  targets: { ...base.targets, gatewayDeployment: "gw-edge", logicalBackupCronJob: "dump-nightly" },
};
const alert = (name: string) => {
  const found = alertDefinitions(config).find((a) => a.name === name);
  expect(found, name).toBeDefined();
  return found!;
};

describe("alert definitions", () => {
  it("state a percentage threshold as a percentage, and compare the ratio", () => {
    const errors = alert("VegaQueryErrorRateHigh");
    expect(errors.threshold).toBe(0.075);
    expect(errors.summary).toBe("More than 7.5% of queries fail.");
    expect(errors.description).toContain("above 7.5%.");
  });

  it("state a duration threshold in seconds", () => {
    const latency = alert("VegaQueryLatencyP99High");
    expect(latency.threshold).toBe(2.5);
    expect(latency.summary).toBe("Query p99 latency is above 2.5s.");
  });

  it("measure the logical backup's age in seconds against the hours configured", () => {
    const backup = alert("VegaLogicalBackupTooOld");
    expect(backup.threshold).toBe(30 * 60 * 60);
    expect(backup.summary).toBe("The last logical backup is older than 30h.");
    expect(backup.indicator).toContain('cronjob="dump-nightly"');
  });

  it("watch the gateways' Deployment by the name they are given", () => {
    for (const name of ["VegaGatewaysDegraded", "VegaGatewaysDown"])
      expect(alert(name).indicator, name).toContain('deployment="gw-edge"');
  });

  it("state each container limit as a percentage of the limit", () => {
    const containers = alertDefinitions(config).filter((a) => /^Vega\w+UsageHigh$/.test(a.name));
    expect(containers.length).toBeGreaterThan(0);
    for (const a of containers) {
      const percent = `${Math.round(a.threshold * 1000) / 10}%`;
      expect(a.summary, a.name).toContain(`more than ${percent} `);
    }
  });

  it("name the seed section each comes from, and the resource a container limit is about", () => {
    for (const a of alertDefinitions(config))
      expect(a.source, a.name).toMatch(/^(HA: )?seed 1[5-7]\.\d /);
    expect(alert("VegaCpuUsageHigh").summary).toContain(" of its CPU limit.");
    expect(alert("VegaMemoryUsageHigh").summary).toContain(" of its memory limit.");
    expect(alert("VegaLogicalBackupTooOld").comparison).toBe(">");
  });
});
