/**
 * A throwaway PostgreSQL cluster for the logical-backup drill and its benchmark: Debian's
 * PostgreSQL (initdb, pg_ctl) in a temporary directory on a free loopback port. initdb refuses
 * to run as root, so under root (CI) every program runs as the unprivileged `postgres` user that
 * the Debian package creates, and the directory is handed to it.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { freePorts } from "../redis-drill/local-group";
import { REPO_ROOT } from "../paths";

/** Where Debian installs PostgreSQL 15 (`.ci/run` installs the package). */
export const PG_BIN = process.env.VEGA_PG_BIN ?? "/usr/lib/postgresql/15/bin";
/** The scripts the CronJob runs, as files in the repository. */
export const SCRIPTS_DIR = path.join(REPO_ROOT, "components/postgres/scripts");
const PROGRAMS = ["initdb", "pg_ctl", "psql", "pg_dump", "pg_restore", "createdb", "dropdb"];

/** Programs the drill needs that are missing (PostgreSQL binaries, then shell tools). */
export function missingPostgresPrograms(): string[] {
  const missing = PROGRAMS.filter((p) => !existsSync(path.join(PG_BIN, p))).map((p) =>
    path.join(PG_BIN, p),
  );
  for (const tool of ["sha256sum", "mkfifo", "awk", "runuser"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status !== 0)
      missing.push(tool);
  }
  return missing;
}

const isRoot = () => process.getuid?.() === 0;

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"]).stdout.toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export class LocalPostgres {
  /** Temporary directory: data/, scripts/, and whatever a drill writes there. */
  readonly dir: string;
  readonly dataDir: string;
  /** Copies of the repository's scripts (as the pod gets them from the ConfigMap). */
  readonly scriptsDir: string;
  port = 0;
  private started = false;

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), "vega-pg-"));
    this.dataDir = path.join(this.dir, "data");
    this.scriptsDir = path.join(this.dir, "scripts");
    mkdirSync(this.scriptsDir);
    for (const f of readdirSync(SCRIPTS_DIR))
      copyFileSync(path.join(SCRIPTS_DIR, f), path.join(this.scriptsDir, f));
    if (isRoot()) this.handOver(this.dir);
  }

  /** Under root: give a path (recursively) to the postgres user. */
  handOver(target: string): void {
    if (!isRoot()) return;
    const { uid, gid } = postgresIds();
    const walk = (p: string) => {
      chownSync(p, uid, gid);
      if (spawnSync("test", ["-d", p]).status === 0)
        for (const f of readdirSync(p)) walk(path.join(p, f));
    };
    walk(target);
  }

  /** libpq environment pointing at this cluster (socket-less, loopback TCP). */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${PG_BIN}:${process.env.PATH}`,
      PGHOST: "127.0.0.1",
      PGPORT: String(this.port),
      PGUSER: "postgres",
      PGDATABASE: "postgres",
      PGSSLMODE: "disable",
      PGCONNECT_TIMEOUT: "5",
      ...extra,
    };
  }

  /** Runs a program (as postgres under root) and collects its output. */
  run(
    program: string,
    args: string[],
    extra: Record<string, string> = {},
    input?: string,
  ): Promise<RunResult> {
    const [cmd, argv] = isRoot()
      ? ["runuser", ["-u", "postgres", "--", program, ...args]]
      : [program, args];
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, argv, { cwd: this.dir, env: this.env(extra) });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
      child.stdin.end(input ?? "");
    });
  }

  /** Like run, but throws with the program's stderr on a non-zero exit. */
  async ok(program: string, args: string[], extra: Record<string, string> = {}, input?: string) {
    const r = await this.run(program, args, extra, input);
    if (r.status !== 0)
      throw new Error(`${program} ${args.join(" ")} exited ${r.status}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** A SQL script through psql (stops at the first error); returns bare rows. */
  sql(database: string, script: string): Promise<string> {
    return this.ok(
      path.join(PG_BIN, "psql"),
      ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", "-"],
      {},
      script,
    );
  }

  /** `settings`: extra server settings (`-c name=value`), e.g. the benchmark's autovacuum=off. */
  async start(settings: Record<string, string> = {}): Promise<void> {
    [this.port] = await freePorts(1);
    await this.ok(path.join(PG_BIN, "initdb"), [
      "-D",
      this.dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "--no-sync",
      "-E",
      "UTF8",
      "--locale=C",
    ]);
    await this.ok(path.join(PG_BIN, "pg_ctl"), [
      "-D",
      this.dataDir,
      "-l",
      path.join(this.dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      [
        `-c listen_addresses=127.0.0.1 -c port=${this.port} -c unix_socket_directories='' -c fsync=off`,
        ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
      ].join(" "),
      "start",
    ]);
    this.started = true;
  }

  /** The server's process id (postmaster.pid's first line); 0 before start. */
  serverPid(): number {
    if (!this.started) return 0;
    return Number(readFileSync(path.join(this.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  }

  /** Stops the server (fast) and removes the directory; safe to call twice or after a failure. */
  async stop(): Promise<void> {
    if (this.started) {
      this.started = false;
      await this.run(path.join(PG_BIN, "pg_ctl"), ["-D", this.dataDir, "-m", "fast", "-w", "stop"]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** One of the repository's scripts, from the cluster's copy. */
  script(name: string, args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
    return this.run(path.join(this.scriptsDir, name), args, extra);
  }
}

/** A sample metadata schema: assets, their columns and lineage edges, `rows` assets. */
export function sampleSchemaSql(rows: number): string {
  return `
CREATE TABLE asset (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL,
  created_at timestamptz NOT NULL,
  properties jsonb NOT NULL
);
CREATE TABLE asset_column (
  asset_id bigint NOT NULL REFERENCES asset(id),
  position int NOT NULL,
  name text NOT NULL,
  data_type text NOT NULL,
  PRIMARY KEY (asset_id, position)
);
CREATE SCHEMA lineage;
CREATE TABLE lineage.edge (
  id bigserial PRIMARY KEY,
  source bigint NOT NULL REFERENCES asset(id),
  target bigint NOT NULL REFERENCES asset(id)
);
INSERT INTO asset
  SELECT g, 'asset_' || g, (ARRAY['table','view','topic','dashboard'])[1 + g % 4],
         timestamptz '2024-01-15' + g * interval '1 minute',
         jsonb_build_object('owner', 'team_' || (g % 17), 'tier', g % 3)
  FROM generate_series(1, ${rows}) g;
INSERT INTO asset_column
  SELECT a, p, 'col_' || p, (ARRAY['int','text','timestamp'])[1 + (a + p) % 3]
  FROM generate_series(1, ${rows}) a, generate_series(1, 2) p;
INSERT INTO lineage.edge (source, target)
  SELECT g, 1 + (g * 7919) % ${rows} FROM generate_series(1, ${rows}) g;
ANALYZE;
`;
}
