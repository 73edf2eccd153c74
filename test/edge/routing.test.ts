/**
 * The stand-down truth table: which record Route 53 answers for every combination of the primary
 * endpoint (up/down), the primary's stand-down lever (on/off) and the DR endpoint (up/down). The
 * health check settings are the ones the DNS component deploys (`healthCheckSwitches`), and each
 * row's expected answer is written from Route 53's documented rules, one rule per row.
 */
import { describe, expect, it } from "vitest";
import {
  answeredRecord,
  healthCheckHealthy,
  healthCheckSwitches,
  recordHealthy,
  type FailoverRole,
} from "../../components/edge";
import { stackConfig } from "../harness";

/** The DR stack's lever as its real stack file sets it. */
const drSwitches = healthCheckSwitches(stackConfig("dr").edge.dns);

function answer(primaryUp: boolean, standDown: boolean, drUp: boolean): FailoverRole {
  return answeredRecord({
    primary: { switches: healthCheckSwitches({ standDown }), endpointUp: primaryUp },
    secondary: { switches: drSwitches, endpointUp: drUp },
  });
}

// Route 53's rules, as the Developer Guide and API reference state them.
const PRIMARY_HEALTHY =
  "a healthy PRIMARY is answered regardless of the SECONDARY's health (ResourceRecordSet Failover)";
const SECONDARY_TAKES_OVER =
  "PRIMARY unhealthy and SECONDARY healthy: the SECONDARY is answered (ResourceRecordSet Failover)";
const BOTH_UNHEALTHY =
  "SECONDARY unhealthy: the PRIMARY is answered regardless of its health; with no healthy record Route 53 treats all as healthy";
const STOOD_DOWN =
  "disabled + inverted counts as unhealthy whatever the endpoint does (HealthCheckConfig Disabled: 'to stop routing traffic, change Inverted')";

const TRUTH_TABLE: {
  primaryUp: boolean;
  standDown: boolean;
  drUp: boolean;
  answer: FailoverRole;
  rule: string;
}[] = [
  { primaryUp: true, standDown: false, drUp: true, answer: "PRIMARY", rule: PRIMARY_HEALTHY },
  { primaryUp: true, standDown: false, drUp: false, answer: "PRIMARY", rule: PRIMARY_HEALTHY },
  {
    primaryUp: false,
    standDown: false,
    drUp: true,
    answer: "SECONDARY",
    rule: SECONDARY_TAKES_OVER,
  },
  { primaryUp: false, standDown: false, drUp: false, answer: "PRIMARY", rule: BOTH_UNHEALTHY },
  {
    primaryUp: true,
    standDown: true,
    drUp: true,
    answer: "SECONDARY",
    rule: `${STOOD_DOWN}; ${SECONDARY_TAKES_OVER}`,
  },
  {
    primaryUp: true,
    standDown: true,
    drUp: false,
    answer: "PRIMARY",
    rule: `${STOOD_DOWN}; ${BOTH_UNHEALTHY}`,
  },
  {
    primaryUp: false,
    standDown: true,
    drUp: true,
    answer: "SECONDARY",
    rule: `${STOOD_DOWN}; ${SECONDARY_TAKES_OVER}`,
  },
  {
    primaryUp: false,
    standDown: true,
    drUp: false,
    answer: "PRIMARY",
    rule: `${STOOD_DOWN}; ${BOTH_UNHEALTHY}`,
  },
];

describe("which record Route 53 answers (primary × stand-down × DR)", () => {
  it("covers all eight combinations once", () => {
    const keys = new Set(TRUTH_TABLE.map((r) => `${r.primaryUp}/${r.standDown}/${r.drUp}`));
    expect(keys.size).toBe(8);
  });

  for (const row of TRUTH_TABLE) {
    const label = `primary ${row.primaryUp ? "up" : "down"}, stand-down ${row.standDown ? "on" : "off"}, DR ${row.drUp ? "up" : "down"}`;
    it(`${label} -> ${row.answer} (${row.rule})`, () => {
      expect(answer(row.primaryUp, row.standDown, row.drUp)).toBe(row.answer);
    });
  }

  it("with the stand-down on and DR up, the answer does not depend on the old region (no fail-back)", () => {
    expect(new Set([true, false].map((primaryUp) => answer(primaryUp, true, true)))).toEqual(
      new Set(["SECONDARY"]),
    );
  });
});

describe("the stand-down lever's health check settings", () => {
  it("in service: enabled, not inverted, so the check follows the endpoint", () => {
    const switches = healthCheckSwitches({ standDown: false });
    expect(switches).toEqual({ disabled: false, invertHealthcheck: false });
    expect([true, false].map((up) => healthCheckHealthy(switches, up))).toEqual([true, false]);
  });

  it("stood down: disabled and inverted, unhealthy whether the endpoint passes or fails", () => {
    const switches = healthCheckSwitches({ standDown: true });
    expect(switches).toEqual({ disabled: true, invertHealthcheck: true });
    expect([true, false].map((up) => healthCheckHealthy(switches, up))).toEqual([false, false]);
  });

  it("the old lever (inverted, enabled) was healthy while the dead primary failed: clients sent back to it", () => {
    // The check alone decides here: target health is no guard when the region's own load
    // balancing is impaired, which is exactly when the stand-down is pulled.
    const oldLever = { disabled: false, invertHealthcheck: true };
    expect(healthCheckHealthy(oldLever, false)).toBe(true);
    expect(
      answeredRecord({
        primary: { switches: oldLever, endpointUp: false, evaluateTargetHealth: false },
        secondary: { switches: drSwitches, endpointUp: true },
      }),
    ).toBe("PRIMARY");
  });

  it("a record with a health check and evaluateTargetHealth is healthy only when both are", () => {
    const enabled = healthCheckSwitches({ standDown: false });
    const disabledOnly = { disabled: true, invertHealthcheck: false }; // always healthy check
    expect(recordHealthy({ switches: enabled, endpointUp: true })).toBe(true);
    expect(recordHealthy({ switches: disabledOnly, endpointUp: false })).toBe(false); // target down
    expect(
      recordHealthy({ switches: disabledOnly, endpointUp: false, evaluateTargetHealth: false }),
    ).toBe(true);
  });
});
