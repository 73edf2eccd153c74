/**
 * What Route 53 answers for the failover pair, as a pure function of each record's health check
 * settings and of what its region's endpoint does. The DNS component derives its health check's
 * `disabled` / `invertHealthcheck` from `healthCheckSwitches`, and `answeredRecord` reads the same
 * derived settings, so the truth table is tested against the settings that are deployed.
 *
 * Route 53's documented rules (Route 53 API reference, HealthCheckConfig `Disabled` and
 * `Inverted`; Developer Guide "How Amazon Route 53 chooses records when health checking is
 * configured"; ResourceRecordSet `Failover`; "Values specific for failover alias records"):
 * - a disabled health check is considered healthy, always: "If you want to stop routing traffic
 *   to a resource, change the value of Inverted", so disabled + inverted is unhealthy, always,
 *   whatever the endpoint does;
 * - an inverted, enabled check is healthy while its endpoint FAILS (the old stand-down lever:
 *   it sent clients back to a dead region);
 * - a record with a health check and `evaluateTargetHealth` is healthy only when both are;
 * - failover: a healthy PRIMARY is answered whatever the SECONDARY's health; an unhealthy PRIMARY
 *   with a healthy SECONDARY answers the SECONDARY; with the SECONDARY unhealthy the PRIMARY is
 *   answered whatever its health (when no record is healthy Route 53 treats all as healthy, and
 *   failover then picks the PRIMARY).
 */
import type { FailoverRole } from "./dns";

/** The two settings of a Route 53 health check that decide its status besides the endpoint. */
export interface HealthCheckSwitches {
  /** `disabled`: Route 53 stops probing and considers the check healthy. */
  disabled: boolean;
  /** `invertHealthcheck`: Route 53 reports the opposite status. */
  invertHealthcheck: boolean;
}

/**
 * The health check settings for a region, from its `edge.dns.standDown` switch. Standing down is
 * disabled + inverted: unhealthy whatever the endpoint does, so the result does not depend on the
 * old region (answering, failing, or answering again after an outage). In service: a plain check.
 */
export function healthCheckSwitches(settings: { standDown: boolean }): HealthCheckSwitches {
  return settings.standDown
    ? { disabled: true, invertHealthcheck: true }
    : { disabled: false, invertHealthcheck: false };
}

/** Whether Route 53 considers a health check healthy, given whether its endpoint passes the probes. */
export function healthCheckHealthy(
  switches: HealthCheckSwitches,
  endpointPasses: boolean,
): boolean {
  const measured = switches.disabled ? true : endpointPasses;
  return switches.invertHealthcheck ? !measured : measured;
}

/** One record of the failover pair: its health check settings and its region's endpoint. */
export interface FailoverRecordState {
  switches: HealthCheckSwitches;
  /**
   * The region answers: its `/health` passes through the ALB and the ALB has healthy targets.
   * (The health check probes the first, `evaluateTargetHealth` reads the second; a region that
   * is down fails both.)
   */
  endpointUp: boolean;
  /** The alias record evaluates its target's health. Default true (what `DnsFailover` creates). */
  evaluateTargetHealth?: boolean;
}

/** Whether Route 53 considers a failover alias record healthy: its health check and, if evaluated, its target. */
export function recordHealthy(record: FailoverRecordState): boolean {
  const check = healthCheckHealthy(record.switches, record.endpointUp);
  const target = (record.evaluateTargetHealth ?? true) ? record.endpointUp : true;
  return check && target;
}

/** The record Route 53 answers the failover name with. */
export function answeredRecord(pair: {
  primary: FailoverRecordState;
  secondary: FailoverRecordState;
}): FailoverRole {
  if (recordHealthy(pair.primary)) return "PRIMARY";
  if (recordHealthy(pair.secondary)) return "SECONDARY";
  return "PRIMARY"; // no healthy record: all count as healthy, and failover prefers the PRIMARY
}
