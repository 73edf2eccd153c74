/**
 * Recovery objectives computed from what a stack would deploy: per mechanism, the RPO and RTO
 * bound it gives, beside its seed 16.2/16.3 target, met or missed with the reason in words.
 *
 * Areas contribute rows through their plan extension (`PlanExtension.objectives`, reading the
 * recorded resources); `assembleObjectives` adds the row for region failover as a whole from the
 * rows that carry data into the DR region and from the failover phases the rows declare. Pure:
 * the offline plan, the policy pack and `npm run dr -- status` all read the same table.
 */
import type { SeedObjective } from "../../config/objectives";
import { SEED_RECOVERY_PROCEDURES } from "../../config/objectives";

/** A bound in seconds, or "unbounded": the mechanism gives no guarantee (best effort). */
export type Bound = number | "unbounded";

/** The part a mechanism plays in a region failover (seed 16.3 `region_failover`). */
export interface FailoverPart {
  /**
   * detection: until the failure is seen and traffic starts to move; promotion: making the DR
   * region the primary; dns: holding clients on the DR region. Phases run one after the other;
   * within a phase the slowest mechanism counts.
   */
  phase: "detection" | "promotion" | "dns";
  seconds: number;
}

/** One row of the objectives table, as an area computes it from the recorded resources. */
export interface ObjectiveInput {
  /** The area that contributes the row, e.g. "backup". */
  area: string;
  /** The mechanism in words, e.g. "S3 replication, primary vault → DR vault". */
  mechanism: string;
  /** The most data it may lose, or undefined when it keeps no data (detection, DNS). */
  rpo?: Bound;
  /** The most time it takes to recover, or undefined when it is not a recovery step. */
  rto?: Bound;
  /** How the bounds follow from the deployed settings (a formula or the setting read). */
  basis: string;
  target: SeedObjective;
  /** The mechanism carries data into the DR region: its RPO bounds region failover's data loss. */
  crossRegion?: boolean;
  /** Its share of a region failover's time. */
  failover?: FailoverPart;
}

export interface ObjectiveRow extends ObjectiveInput {
  met: boolean;
  /** Why it is met or missed, in words. */
  reason: string;
}

/** "90 s", "15 min", "1 h", "24 h", "unbounded". */
export function formatSeconds(b: Bound): string {
  if (b === "unbounded") return "unbounded";
  if (b >= 3600 && b % 3600 === 0) return `${b / 3600} h`;
  if (b >= 60 && b % 60 === 0) return `${b / 60} min`;
  return `${b} s`;
}

function within(bound: Bound | undefined, target: number | undefined): boolean {
  if (target === undefined || bound === undefined) return true;
  return bound !== "unbounded" && bound <= target;
}

function verdict(what: string, bound: Bound | undefined, target: number | undefined): string[] {
  if (target === undefined || bound === undefined) return [];
  if (bound === "unbounded")
    return [`${what} unbounded (no guarantee) against ${formatSeconds(target)}`];
  return [
    `${what} ${formatSeconds(bound)} ${bound <= target ? "≤" : ">"} ${formatSeconds(target)}`,
  ];
}

/** Judges one row against its target. */
export function judge(input: ObjectiveInput): ObjectiveRow {
  const met =
    within(input.rpo, input.target.rpoSeconds) && within(input.rto, input.target.rtoSeconds);
  const parts = [
    ...verdict("RPO", input.rpo, input.target.rpoSeconds),
    ...verdict("RTO", input.rto, input.target.rtoSeconds),
  ];
  return {
    ...input,
    met,
    reason: `${met ? "met" : "missed"}: ${parts.join(", ") || "no bound to judge"} (${input.target.source})`,
  };
}

/**
 * The time an operator needs to confirm the primary region is not coming back and start the
 * failover (seed 16.3 step 1). An allowance, not a measurement: the seed's 1 h RTO includes it.
 */
export const FAILOVER_DECISION_ALLOWANCE_SECONDS = 15 * 60;

/**
 * `pulumi up` of the DR stack with `promoted: true` (worker pools to full size, replication into
 * DR removed from state). An allowance until a drill measures it; areas whose promotion takes
 * longer (promoting a database replica) add their own promotion part.
 */
export const STACK_PROMOTION_ALLOWANCE_SECONDS = 10 * 60;

/**
 * Region failover as a whole: RPO the worst of the cross-region mechanisms (none: unbounded),
 * RTO detection + decision + promotion + DNS, each phase its slowest mechanism.
 */
export function regionFailoverRow(rows: ObjectiveInput[]): ObjectiveRow {
  const crossRegion = rows.filter((r) => r.crossRegion && r.rpo !== undefined);
  const rpo: Bound =
    crossRegion.length === 0 || crossRegion.some((r) => r.rpo === "unbounded")
      ? "unbounded"
      : Math.max(...crossRegion.map((r) => r.rpo as number));
  const phase = (p: FailoverPart["phase"]) =>
    Math.max(0, ...rows.filter((r) => r.failover?.phase === p).map((r) => r.failover!.seconds));
  const detection = phase("detection");
  const promotion = Math.max(STACK_PROMOTION_ALLOWANCE_SECONDS, phase("promotion"));
  const dns = phase("dns");
  const rto = detection + FAILOVER_DECISION_ALLOWANCE_SECONDS + promotion + dns;
  const worst = crossRegion.filter((r) => r.rpo === rpo).map((r) => r.mechanism);
  return judge({
    area: "region",
    mechanism: "Region failover (detection + decision + promotion + DNS)",
    rpo,
    rto,
    basis:
      `RTO: detection ${formatSeconds(detection)} + decision ${formatSeconds(FAILOVER_DECISION_ALLOWANCE_SECONDS)} + promotion ${formatSeconds(promotion)} + DNS ${formatSeconds(dns)}; ` +
      (crossRegion.length === 0
        ? "RPO: no mechanism carries data into the DR region"
        : `RPO: the worst cross-region link (${worst.join(", ")})`),
    target: SEED_RECOVERY_PROCEDURES.regionFailover,
  });
}

/**
 * Whether region failover as a whole is judged: where a mechanism carries data into the stack's
 * region, i.e. a DR stack following another (it owns every cross-region link). The primary has
 * none to judge, nor has a promoted DR until a new DR stack follows it (failback). Read from the
 * rows, so the offline plan and the policy pack, which sees no stack config, decide alike.
 */
export function judgesRegionFailover(rows: readonly ObjectiveInput[]): boolean {
  return rows.some((r) => r.crossRegion);
}

/**
 * The table: every area's rows judged, then region failover as a whole where it is judged
 * (judgesRegionFailover, unless `options` says).
 */
export function assembleObjectives(
  rows: ObjectiveInput[],
  options: { regionFailover: boolean } = { regionFailover: judgesRegionFailover(rows) },
): ObjectiveRow[] {
  const judged = rows.map(judge);
  return options.regionFailover ? [...judged, regionFailoverRow(rows)] : judged;
}

/** The table as Markdown (summary.md). */
export function objectivesMarkdown(rows: ObjectiveRow[]): string {
  const b = (x: Bound | undefined) => (x === undefined ? "–" : formatSeconds(x));
  const target = (t: SeedObjective) =>
    [
      t.rpoSeconds === undefined ? undefined : `RPO ${formatSeconds(t.rpoSeconds)}`,
      t.rtoSeconds === undefined ? undefined : `RTO ${formatSeconds(t.rtoSeconds)}`,
    ]
      .filter(Boolean)
      .join(", ");
  return [
    "| mechanism | RPO | RTO | from | seed target | | reason |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.mechanism} | ${b(r.rpo)} | ${b(r.rto)} | ${r.basis} | ${target(r.target)} (${r.target.source}) | ${r.met ? "met ✅" : "**missed** ❌"} | ${r.reason} |`,
    ),
  ].join("\n");
}

/** The table as terminal lines (`npm run plan`). */
export function objectivesText(rows: ObjectiveRow[]): string {
  return [
    "recovery objectives:",
    ...rows.map(
      (r) =>
        `  ${r.met ? "met   " : "MISSED"} ${r.mechanism}: RPO ${r.rpo === undefined ? "–" : formatSeconds(r.rpo)}, RTO ${r.rto === undefined ? "–" : formatSeconds(r.rto)} (${r.reason})`,
    ),
  ].join("\n");
}
