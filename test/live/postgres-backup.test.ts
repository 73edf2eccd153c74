/**
 * Live drill of the logical backup (seed 16.2/16.3): Debian's PostgreSQL runs a throwaway
 * cluster on a free loopback port; the repository's backup.sh dumps a sample schema to a local
 * destination, restore.sh restores it into a new database and validate.sh compares it with the
 * manifest. Then the dump is truncated and a byte flipped: both must fail loudly, and nothing
 * must be reported as good. With CI=true a missing engine fails the suite.
 */
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LocalPostgres,
  missingPostgresPrograms,
  sampleSchemaSql,
} from "../../tools/pg-drill/cluster";
import { engineSuite } from "../harness/engines";

const missing = missingPostgresPrograms();
const { skip, title } = engineSuite(
  "postgres logical backup drill",
  missing,
  "apt-get install postgresql",
);

/** Assets in the sample schema; with columns and lineage edges, four times as many rows. */
const ASSETS = 100_000;
const DATE = "2024-01-15";

describe.skipIf(skip)(title, () => {
  let pg: LocalPostgres;
  let out: string;
  const dump = () => path.join(out, `${DATE}.dump`);
  const manifest = () => path.join(out, `${DATE}.manifest`);

  beforeAll(async () => {
    expect(missing, "programs the drill needs").toEqual([]);
    pg = new LocalPostgres();
    await pg.start();
    await pg.sql("postgres", "CREATE DATABASE vega_metadata;");
    await pg.sql("vega_metadata", sampleSchemaSql(ASSETS));
    out = path.join(pg.dir, "vault");
    mkdirSync(out);
    pg.handOver(out);
  }, 120_000);

  afterAll(async () => {
    await pg?.stop();
  });

  const rowCount = async (db: string) =>
    Number(
      await pg.sql(
        db,
        "SELECT (SELECT count(*) FROM asset) + (SELECT count(*) FROM asset_column) + (SELECT count(*) FROM lineage.edge);",
      ),
    );

  it("backs up to the local destination: dump and manifest land, nothing half-written beside them", async () => {
    const r = await pg.script("backup.sh", ["vega_metadata"], {
      BACKUP_DEST: out,
      BACKUP_DATE: DATE,
    });
    expect(r.stderr).toMatch(/backup: OK: /);
    expect(r.status).toBe(0);
    const files = (await pg.ok("ls", ["-A", out])).trim().split("\n").sort();
    expect(files).toEqual([`${DATE}.dump`, `${DATE}.manifest`]);
    const text = readFileSync(manifest(), "utf8");
    expect(text).toContain(`dump\t${DATE}.dump`);
    expect(text).toContain(`dump_bytes\t${statSync(dump()).size}`);
    const tables = text.split("\n").filter((l) => l.startsWith("table\t"));
    expect(tables.map((l) => l.split("\t")[1])).toEqual([
      "lineage.edge",
      "public.asset",
      "public.asset_column",
    ]);
    const rows = tables.reduce((n, l) => n + Number(l.split("\t")[2]), 0);
    expect(rows).toBe(await rowCount("vega_metadata"));
  }, 120_000);

  it("restores into a new database and validates: zero rows lost, checksums equal", async () => {
    const r = await pg.script("restore.sh", [dump(), manifest(), "restored"]);
    expect(r.stderr).toMatch(/validate: OK: restored matches .*checksums equal/);
    expect(r.status).toBe(0);
    expect(await rowCount("restored")).toBe(await rowCount("vega_metadata"));
    const v = await pg.script("validate.sh", [manifest(), "restored"]);
    expect(v.status).toBe(0);
  }, 120_000);

  it("validate fails on a database that lost one row, naming the table", async () => {
    await pg.sql("restored", "DELETE FROM lineage.edge WHERE id = 42;");
    const v = await pg.script("validate.sh", [manifest(), "restored"]);
    expect(v.status).not.toBe(0);
    expect(v.stderr).toMatch(/FAILED: table lineage\.edge differs/);
    expect(v.stderr).not.toMatch(/OK:/);
  }, 60_000);

  const corrupted = (name: string, damage: (file: string) => void) => {
    const file = path.join(out, name);
    copyFileSync(dump(), file);
    damage(file);
    pg.handOver(file);
    return file;
  };

  it("refuses a truncated dump: clear message, non-zero exit, no database left behind", async () => {
    const file = corrupted("truncated.dump", (f) =>
      truncateSync(f, Math.floor(statSync(f).size / 2)),
    );
    const r = await pg.script("restore.sh", [file, manifest(), "from_truncated"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FAILED: .*the dump is corrupt or truncated; nothing restored/);
    expect(r.stderr).not.toMatch(/OK:/);
    expect(
      await pg.sql(
        "postgres",
        "SELECT count(*) FROM pg_database WHERE datname = 'from_truncated';",
      ),
    ).toBe("0\n");
  }, 60_000);

  it("refuses a dump with one flipped byte", async () => {
    const file = corrupted("flipped.dump", (f) => {
      const bytes = readFileSync(f);
      const at = Math.floor(bytes.length * 0.6);
      bytes[at] = bytes[at]! ^ 0xff;
      writeFileSync(f, bytes);
    });
    const r = await pg.script("restore.sh", [file, manifest(), "from_flipped"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FAILED: .*sha256 .* the dump is corrupt or truncated/);
    expect(r.stderr).not.toMatch(/OK:/);
  }, 60_000);

  it("a damaged dump that slips past the checksum (manifest rewritten) still fails in pg_restore, and is dropped", async () => {
    // An attacker or a bug that rewrote the manifest's sha256: pg_restore's own reading must fail.
    const file = corrupted("truncated-2.dump", (f) =>
      truncateSync(f, Math.floor(statSync(f).size * 0.7)),
    );
    const sha = (await pg.ok("sha256sum", [file])).split(" ")[0]!;
    const forged = path.join(out, "forged.manifest");
    writeFileSync(
      forged,
      readFileSync(manifest(), "utf8").replace(/dump_sha256\t\w+/, `dump_sha256\t${sha}`),
    );
    pg.handOver(forged);
    const r = await pg.script("restore.sh", [file, forged, "from_forged"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FAILED: pg_restore of .* failed/);
    expect(r.stderr).toMatch(/from_forged was dropped; nothing was restored/);
    expect(r.stderr).not.toMatch(/restore: OK:/);
    expect(
      await pg.sql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'from_forged';"),
    ).toBe("0\n");
  }, 60_000);

  it("a backup that cannot reach the database publishes nothing and says so", async () => {
    const empty = path.join(pg.dir, "empty-vault");
    mkdirSync(empty);
    pg.handOver(empty);
    const r = await pg.script("backup.sh", ["no_such_db"], {
      BACKUP_DEST: empty,
      BACKUP_DATE: DATE,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FAILED: /);
    expect((await pg.ok("ls", ["-A", empty])).trim()).toBe("");
  }, 60_000);
});
