/**
 * Failover benchmark: runs the live drill (tools/redis-drill) N times on this machine and prints
 * failover time against the configured down-after, and acknowledged writes lost.
 *
 *   npm run bench:redis -- [runs] [down-after-ms]
 *
 * runs: default 5; down-after-ms: default the drill's 2000 (failover-timeout 10 s, or 5 times a
 * longer down-after). Needs Debian's redis-server and redis-sentinel.
 *
 * Target (issue #4): median failover under down-after + 5 s, zero acknowledged writes lost.
 */
import { stats } from "./bench";
import { runFailoverDrill, type DrillReport } from "./redis-drill/drill";
import { missingPrograms } from "./redis-drill/engines";
import { DRILL_SETTINGS } from "./redis-drill/local-group";

/** Budget over down-after that the median failover must stay under. */
const TARGET_MARGIN_MS = 5000;

// Ctrl-C or a kill still runs the drill's exit hook, which ends every Redis it started.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

const ms = (v: number) => `${Math.round(v)} ms`;

function summary(label: string, values: number[]): string {
  const s = stats(values);
  return `${label.padEnd(34)} min ${ms(s.min).padStart(8)}  median ${ms(s.median).padStart(8)}  max ${ms(s.max).padStart(8)}`;
}

async function main(): Promise<number> {
  const runs = Number(process.argv[2] ?? 5);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`runs must be a positive integer, got ${process.argv[2]}`);
  const downAfterMs = Number(process.argv[3] ?? DRILL_SETTINGS.sentinel.downAfterMs);
  if (!Number.isInteger(downAfterMs) || downAfterMs < 1000)
    throw new Error(`down-after-ms must be an integer >= 1000, got ${process.argv[3]}`);
  const redis = {
    ...DRILL_SETTINGS,
    sentinel: {
      downAfterMs,
      failoverTimeoutMs: Math.max(DRILL_SETTINGS.sentinel.failoverTimeoutMs, 5 * downAfterMs),
    },
  };
  const missing = missingPrograms();
  if (missing.length > 0)
    throw new Error(
      `missing programs: ${missing.join(", ")} (apt-get install redis-server redis-sentinel)`,
    );

  const reports: DrillReport[] = [];
  let failed = 0;
  for (let i = 1; i <= runs; i++) {
    const started = Date.now();
    try {
      const r = await runFailoverDrill({ redis });
      reports.push(r);
      console.log(
        `run ${i}/${runs}: failover ${ms(r.failover.failoverMs)}, restart-at-once ${ms(r.handover.writesResumedMs)}, ` +
          `replica back ${ms(r.minReplicas.recoveredMs)}, ${r.acked} acked, ${r.lost} lost (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } catch (err) {
      failed++;
      console.log(`run ${i}/${runs}: FAILED ${(err as Error).message}`);
    }
  }
  if (reports.length === 0) return 1;

  const downAfter = reports[0]!.downAfterMs;
  const failover = reports.map((r) => r.failover.failoverMs);
  const lost = reports.reduce((n, r) => n + r.lost, 0);
  const acked = reports.reduce((n, r) => n + r.acked, 0);
  const target = downAfter + TARGET_MARGIN_MS;
  console.log("");
  console.log(
    `Redis Sentinel failover drill, ${reports.length} runs (${failed} failed), down-after-milliseconds ${downAfter}`,
  );
  console.log(summary("SIGKILL master -> write on new", failover));
  console.log(
    summary(
      "restart master at once -> write",
      reports.map((r) => r.handover.writesResumedMs),
    ),
  );
  console.log(
    summary(
      "NOREPLICAS -> replica back, write",
      reports.map((r) => r.minReplicas.recoveredMs),
    ),
  );
  console.log(`acknowledged writes lost: ${lost} of ${acked}`);
  const ok = stats(failover).median < target && lost === 0 && failed === 0;
  console.log(
    `target: median failover < down-after + ${TARGET_MARGIN_MS / 1000} s (${ms(target)}), no acknowledged write lost: ${ok ? "met" : "NOT met"}`,
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
