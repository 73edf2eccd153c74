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

/**
 * Tables that exercise every branch of the row hash (lib.sh table_stats_sql): each column type it
 * hashes directly, types it hashes through their text (numeric, floats, interval, enum, arrays,
 * jsonb, json, char, a domain, a non-deterministic collation), NULLs, a dropped column (a gap
 * in attnum the restored table does not have), a table without columns and an empty table.
 */
const EDGE_CASES_SQL = `
CREATE SCHEMA edge;
CREATE TYPE edge.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN edge.positive AS int CHECK (VALUE > 0);
CREATE COLLATION edge.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE edge.kinds (
  id int PRIMARY KEY, gone text, small smallint, big bigint, flag boolean, day date,
  at timestamp, at_tz timestamptz, u uuid, blob bytea, amount numeric, ratio double precision,
  span interval, mood edge.mood, tags text[], stamps timestamptz[], doc jsonb, plain json,
  label varchar(20), code char(3), ci_name text COLLATE edge.ci, p edge.positive, o oid
);
ALTER TABLE edge.kinds DROP COLUMN gone;
INSERT INTO edge.kinds
  SELECT g, g, g::bigint * 1000000007, g % 2 = 0, date '2024-01-01' + g,
    timestamp '2024-01-01' + g * interval '1 hour',
    timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', md5(g::text)::uuid,
    decode(md5(g::text), 'hex'), g / 7.0, g / 3.0, g * interval '90 minutes',
    (ARRAY['sad', 'ok', 'happy']::edge.mood[])[1 + g % 3], ARRAY['a' || g, 'b'],
    ARRAY[timestamptz '2024-06-01 12:00:00+00' + g * interval '1 day'],
    jsonb_build_object('n', g, 'x', 1.50), json_build_object('n', g), 'L' || g, 'c' || (g % 10),
    'Name' || g, g, g
  FROM generate_series(1, 1000) g;
INSERT INTO edge.kinds (id) VALUES (0);
CREATE TABLE edge.nothing ();
INSERT INTO edge.nothing SELECT FROM generate_series(1, 3);
CREATE TABLE edge.empty (id int);
`;
const EDGE_TABLES = ["edge.empty", "edge.kinds", "edge.nothing"];

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
    await pg.sql("vega_metadata", sampleSchemaSql(ASSETS) + EDGE_CASES_SQL);
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
        `SELECT ${["asset", "asset_column", "lineage.edge", ...EDGE_TABLES].map((t) => `(SELECT count(*) FROM ${t})`).join(" + ")};`,
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
      ...EDGE_TABLES,
      "lineage.edge",
      "public.asset",
      "public.asset_column",
    ]);
    const rows = tables.reduce((n, l) => n + Number(l.split("\t")[2]), 0);
    expect(rows).toBe(await rowCount("vega_metadata"));
  }, 120_000);

  it("restores into a new database and validates: zero rows lost, checksums equal", async () => {
    // Another time zone and date style than the backup's: the checksums must not depend on them.
    const r = await pg.script("restore.sh", [dump(), manifest(), "restored"], {
      PGTZ: "Pacific/Chatham",
      PGDATESTYLE: "German",
    });
    expect(r.stderr).toMatch(/validate: OK: restored matches .*checksums equal/);
    expect(r.status).toBe(0);
    expect(await rowCount("restored")).toBe(await rowCount("vega_metadata"));
    const v = await pg.script("validate.sh", [manifest(), "restored"]);
    expect(v.status).toBe(0);
  }, 120_000);

  /** Validates `restored` against the manifest after `change`, then undoes it with `undo`. */
  const validateChanged = async (change: string, undo: string) => {
    await pg.sql("restored", change);
    const changed = await pg.script("validate.sh", [manifest(), "restored"]);
    await pg.sql("restored", undo);
    const undone = await pg.script("validate.sh", [manifest(), "restored"]);
    return { changed, undone };
  };

  it("validate sees values swapped between two rows (same rows, same column multiset)", async () => {
    const { changed, undone } = await validateChanged(
      "UPDATE asset_column SET name = CASE position WHEN 1 THEN 'col_2' ELSE 'col_1' END WHERE asset_id = 7;",
      "UPDATE asset_column SET name = 'col_' || position WHERE asset_id = 7;",
    );
    expect(changed.status).not.toBe(0);
    expect(changed.stderr).toMatch(/FAILED: table public\.asset_column differs/);
    expect(changed.stderr).not.toMatch(/OK:/);
    expect(undone.status).toBe(0);
  }, 60_000);

  it("validate sees a value that is equal but not the same (jsonb 1.50 → 1.5)", async () => {
    const { changed, undone } = await validateChanged(
      `UPDATE edge.kinds SET doc = jsonb_set(doc, '{x}', '1.5') WHERE id = 5;`,
      `UPDATE edge.kinds SET doc = jsonb_set(doc, '{x}', '1.50') WHERE id = 5;`,
    );
    expect(changed.status).not.toBe(0);
    expect(changed.stderr).toMatch(/FAILED: table edge\.kinds differs/);
    expect(undone.status).toBe(0);
  }, 60_000);

  it("a manifest v1 (row text hash, written by the previous backup.sh) still validates", async () => {
    // The v1 figures computed here, independently of lib.sh: count and sum of hashtextextended.
    const v1 = ["public.asset", "public.asset_column", "lineage.edge", ...EDGE_TABLES];
    const lines = await pg.sql(
      "vega_metadata",
      v1
        .map(
          (t) =>
            `SELECT 'table', '${t}', count(*), coalesce(sum(hashtextextended(r::text, 0)), 0) FROM ${t} AS r;`,
        )
        .join("\n"),
    );
    const old = path.join(out, "v1.manifest");
    writeFileSync(
      old,
      ["# vega metadata logical backup manifest v1", lines.trim().replaceAll("|", "\t"), ""].join(
        "\n",
      ),
    );
    pg.handOver(old);
    const v = await pg.script("validate.sh", [old, "restored"]);
    expect(v.stderr).toMatch(/validate: OK: restored matches/);
    expect(v.status).toBe(0);
  }, 60_000);

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
