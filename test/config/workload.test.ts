/**
 * Kubernetes quantities and pool sizes as the worker pools (and every workload) take them: what
 * a quantity means, which ones are refused and why, a request above its limit, a warm standby
 * larger than the full size.
 */
import { describe, expect, it } from "vitest";
import { cpuCores, memoryBytes } from "../../config";
import { primaryWith, problemsOf } from "../harness/config";

const refused = (path: string, value: unknown) =>
  problemsOf(primaryWith(path, value)).map((p) => `${p.key}: ${p.message}`);

describe("Kubernetes quantities", () => {
  it("reads CPU in cores and memory in bytes, binary and decimal units alike", () => {
    expect(["500m", "2", "1.5", "12.25", "0.125"].map(cpuCores)).toEqual([
      0.5, 2, 1.5, 12.25, 0.125,
    ]);
    expect(["512Mi", "1G", "1.5Gi", "100", "2Ki", "3T"].map(memoryBytes)).toEqual([
      512 * 2 ** 20,
      1e9,
      1.5 * 2 ** 30,
      100,
      2048,
      3e12,
    ]);
  });

  it("takes the quantities Kubernetes takes and says what it expects of the others", () => {
    const requests = "workers.query.resources.requests";
    // Accepted as request and limit alike (a request may not exceed its limit).
    const both = (cpu: string, memory: string) =>
      refused("workers.query.resources", { requests: { cpu, memory }, limits: { cpu, memory } });
    for (const cpu of ["12.5", "0.125", "250m", "16"]) expect(both(cpu, "1Gi"), cpu).toEqual([]);
    for (const cpu of ["0.1234", "1.", "m", "2 cores"])
      expect(refused(`${requests}.cpu`, cpu), cpu).toEqual([
        `vega-ha:${requests}.cpu: expected a CPU quantity such as 500m or 2, got ${JSON.stringify(cpu)}`,
      ]);
    for (const memory of ["1.25Gi", "1536Mi", "1000000"])
      expect(both("1", memory), memory).toEqual([]);
    for (const memory of ["1.Gi", "2GB", "x1Gi"])
      expect(refused(`${requests}.memory`, memory), memory).toEqual([
        `vega-ha:${requests}.memory: expected a memory quantity such as 512Mi or 2Gi, got ${JSON.stringify(memory)}`,
      ]);
  });
});

describe("pool sizes and requests", () => {
  it("refuses a request above its limit, by value and not by spelling", () => {
    const resources = "workers.query.resources";
    expect(
      refused(resources, {
        requests: { cpu: "4000m", memory: "4096Mi" },
        limits: { cpu: "4", memory: "4Gi" },
      }),
    ).toEqual([]);
    expect(
      refused(resources, {
        requests: { cpu: "4001m", memory: "4097Mi" },
        limits: { cpu: "4", memory: "4Gi" },
      }),
    ).toEqual([
      `vega-ha:${resources}.requests.cpu: expected at most limits.cpu (4), got "4001m"`,
      `vega-ha:${resources}.requests.memory: expected at most limits.memory (4Gi), got "4097Mi"`,
    ]);
  });

  it("refuses a minimum above the maximum, and a warm standby larger than the full size", () => {
    expect(refused("workers.sync.replicas", { min: 9, max: 8 })).toEqual([
      "vega-ha:workers.sync.replicas.min: expected at most max (8), got 9",
    ]);
    expect(refused("workers.cdc.standbyReplicas", { min: 1, max: 4 })).toEqual([]);
    expect(refused("workers.cdc.standbyReplicas", { min: 1, max: 5 })).toEqual([
      "vega-ha:workers.cdc.standbyReplicas.max: expected at most replicas.max (4): warm standby is never larger than full size, got 5",
    ]);
  });
});
