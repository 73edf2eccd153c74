/**
 * `npm run bench -- postgres [--runs N]`: the logical backup's full cycle (backup.sh with its
 * snapshot-consistent manifest and read-back, restore.sh with its sha256 check, validate.sh)
 * against a bare pg_dump + pg_restore of the same data with the same flags, in one run on one
 * throwaway cluster. Target (issue 10): the verification costs at most 25 % on top.
 *
 * Two bare baselines: the file cycle (pg_dump to a file, createdb, pg_restore from it: what a
 * backup does, dump now and restore later) is the like-for-like one the target is judged on; the
 * pipe (pg_dump | pg_restore) also overlaps dump and restore, which a backup never can.
 * Each run times the three cycles in a rotated order (a cycle is not always the one after
 * another's restore), on a source frozen once beforehand (as a live database is), with autovacuum off so that one cycle's new database is not vacuumed while
 * the next is timed. Besides wall time, each cycle's CPU time is measured (the client programs,
 * and every server process: reaped backends and the live checkpointer, WAL writer...): on a
 * shared machine the wall time moves with the other sessions' load, the CPU time much less.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { LocalPostgres, PG_BIN, sampleSchemaSql } from "./pg-drill/cluster";
import { stats } from "./bench";

const ASSETS = Number(process.env.VEGA_BENCH_ASSETS ?? 250_000);
const DUMP_FLAGS = "--format=custom --compress=6";
const RESTORE_FLAGS = "--exit-on-error --single-transaction";

const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim() || 100);

/** utime, stime, cutime, cstime of /proc/<pid>/stat, and its parent pid (Linux). */
function procTimes(pid: number | "self"): { ppid: number; own: number; children: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces): state ppid ... utime(14) stime cutime cstime.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(f[1]),
      own: (Number(f[11]) + Number(f[12])) * TICK_MS,
      children: (Number(f[13]) + Number(f[14])) * TICK_MS,
    };
  } catch {
    return null;
  }
}

/** CPU ms used so far by the programs this process ran (reaped children) and by the server. */
function cpuMs(serverPid: number): number {
  const self = procTimes("self");
  const server = procTimes(serverPid);
  if (!self || !server) return NaN;
  let live = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(Number(entry));
    if (t?.ppid === serverPid) live += t.own;
  }
  return self.children + server.own + server.children + live;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  wall: number;
  cpu: number;
}

export async function benchPostgresBackup(runs: number): Promise<void> {
  const pg = new LocalPostgres();
  try {
    await pg.start({ autovacuum: "off" });
    await pg.sql("postgres", "CREATE DATABASE vega_metadata;");
    await pg.sql("vega_metadata", sampleSchemaSql(ASSETS));
    await pg.sql("vega_metadata", "VACUUM (FREEZE, ANALYZE);");
    const rows = Number(
      await pg.sql(
        "vega_metadata",
        "SELECT (SELECT count(*) FROM asset) + (SELECT count(*) FROM asset_column) + (SELECT count(*) FROM lineage.edge);",
      ),
    );
    /** One cycle: wall time, and CPU time once the server has reaped its backends. */
    const measure = async (run: () => Promise<void>): Promise<Sample> => {
      const cpu0 = cpuMs(pg.serverPid());
      const start = process.hrtime.bigint();
      await run();
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      await sleep(300);
      return { wall, cpu: cpuMs(pg.serverPid()) - cpu0 };
    };
    const cycles = {
      pipe: (i: number) => async () => {
        await pg.ok(path.join(PG_BIN, "createdb"), [`pipe_${i}`]);
        await pg.ok("bash", [
          "-c",
          `set -euo pipefail; pg_dump ${DUMP_FLAGS} vega_metadata | pg_restore ${RESTORE_FLAGS} --dbname=pipe_${i}`,
        ]);
      },
      // Like for like: the same dump to a file, then the same restore from it, unverified.
      file: (i: number) => async () => {
        const file = path.join(pg.dir, `bare-${i}.dump`);
        await pg.ok("bash", [
          "-c",
          `set -euo pipefail; pg_dump ${DUMP_FLAGS} --file=${file} vega_metadata; createdb file_${i}; pg_restore ${RESTORE_FLAGS} --dbname=file_${i} ${file}`,
        ]);
      },
      full: (i: number) => async () => {
        const dest = path.join(pg.dir, `vault-${i}`);
        mkdirSync(dest);
        pg.handOver(dest);
        const b = await pg.script("backup.sh", ["vega_metadata"], {
          BACKUP_DEST: dest,
          BACKUP_DATE: "2024-01-15",
        });
        if (b.status !== 0) throw new Error(`backup.sh failed: ${b.stderr}`);
        const r = await pg.script("restore.sh", [
          path.join(dest, "2024-01-15.dump"),
          path.join(dest, "2024-01-15.manifest"),
          `full_${i}`,
        ]);
        if (r.status !== 0) throw new Error(`restore.sh failed: ${r.stderr}`);
      },
    };
    const names = Object.keys(cycles) as (keyof typeof cycles)[];
    const samples: Record<keyof typeof cycles, Sample[]> = { pipe: [], file: [], full: [] };
    for (let i = 0; i < runs; i++) {
      const order = names.map((_, k) => names[(k + i) % names.length]!);
      for (const name of order) samples[name].push(await measure(cycles[name](i)));
      await pg.sql("postgres", names.map((n) => `DROP DATABASE ${n}_${i};`).join(" "));
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const wall = (n: keyof typeof cycles) => stats(samples[n].map((x) => x.wall));
    const cpu = (n: keyof typeof cycles) => stats(samples[n].map((x) => x.cpu)).median;
    const [p, f, v] = [wall("pipe"), wall("file"), wall("full")];
    const line = (label: string, x: ReturnType<typeof stats>, c: number) =>
      `${label} median ${s(x.median)} (min ${s(x.min)}, max ${s(x.max)}; CPU ${s(c)})`;
    const cpuOverhead = (cpu("full") / cpu("file") - 1) * 100;
    const signed = (pct: number) => `${pct >= 0 ? "+" : "−"}${Math.abs(pct).toFixed(0)} %`;
    console.log(
      `postgres logical backup (${rows.toLocaleString("en")} rows, ${runs} runs, rotated order): ` +
        `${line("bare pg_dump|pg_restore", p, cpu("pipe"))}; ` +
        `${line("bare dump to a file then restore", f, cpu("file"))}; ` +
        `${line("backup→restore→validate", v, cpu("full"))}. ` +
        `Ratio to the file cycle ${(v.median / f.median).toFixed(2)}: verification ` +
        `${signed((v.median / f.median - 1) * 100)} wall, ` +
        `${Number.isNaN(cpuOverhead) ? "CPU not measured" : `${signed(cpuOverhead)} CPU`} ` +
        `(target ≤ 25 %); ratio to the pipe ${(v.median / p.median).toFixed(2)}.`,
    );
  } finally {
    await pg.stop();
  }
}

if (require.main === module) {
  benchPostgresBackup(Number(process.argv[2] ?? 3)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
