/**
 * `npm run bench -- postgres [-- --runs N]`: the logical backup's full cycle (backup.sh with its
 * snapshot-consistent manifest and read-back, restore.sh with its sha256 check, validate.sh)
 * against a bare `pg_dump -Fc | pg_restore` of the same data, in one run on one throwaway
 * cluster. Target (issue 10): the verification costs at most 25 % on top.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { LocalPostgres, PG_BIN, sampleSchemaSql } from "./pg-drill/cluster";
import { stats } from "./bench";

const ASSETS = Number(process.env.VEGA_BENCH_ASSETS ?? 250_000);

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchPostgresBackup(runs: number): Promise<void> {
  const pg = new LocalPostgres();
  try {
    await pg.start();
    await pg.sql("postgres", "CREATE DATABASE vega_metadata;");
    await pg.sql("vega_metadata", sampleSchemaSql(ASSETS));
    const rows = Number(
      await pg.sql(
        "vega_metadata",
        "SELECT (SELECT count(*) FROM asset) + (SELECT count(*) FROM asset_column) + (SELECT count(*) FROM lineage.edge);",
      ),
    );
    const bare: number[] = [];
    const sequential: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(
        await timed(async () => {
          await pg.ok(path.join(PG_BIN, "createdb"), [`bare_${i}`]);
          await pg.ok("bash", [
            "-c",
            `set -euo pipefail; pg_dump --format=custom --compress=6 vega_metadata | pg_restore --exit-on-error --single-transaction --dbname=bare_${i}`,
          ]);
        }),
      );
      // Like for like: the same dump to a file, then the same restore from it, unverified.
      const file = path.join(pg.dir, `bare-${i}.dump`);
      sequential.push(
        await timed(async () => {
          await pg.ok("bash", [
            "-c",
            `set -euo pipefail; pg_dump --format=custom --compress=6 --file=${file} vega_metadata; createdb seq_${i}; pg_restore --exit-on-error --single-transaction --dbname=seq_${i} ${file}`,
          ]);
        }),
      );
      const dest = path.join(pg.dir, `vault-${i}`);
      mkdirSync(dest);
      pg.handOver(dest);
      full.push(
        await timed(async () => {
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
        }),
      );
      await pg.sql(
        "postgres",
        `DROP DATABASE bare_${i}; DROP DATABASE seq_${i}; DROP DATABASE full_${i};`,
      );
    }
    const b = stats(bare);
    const q = stats(sequential);
    const f = stats(full);
    const overhead = (f.median / q.median - 1) * 100;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `postgres logical backup (${rows.toLocaleString("en")} rows, ${runs} runs): ` +
        `bare pg_dump|pg_restore median ${s(b.median)} (min ${s(b.min)}, max ${s(b.max)}); ` +
        `bare dump to a file then restore median ${s(q.median)} (min ${s(q.min)}, max ${s(q.max)}); ` +
        `backup→restore→validate median ${s(f.median)} (min ${s(f.min)}, max ${s(f.max)}); ` +
        `ratio to the pipe ${(f.median / b.median).toFixed(2)}, to the file cycle ${(f.median / q.median).toFixed(2)}: ` +
        `verification +${overhead.toFixed(0)} % (target ≤ 25 %)`,
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
