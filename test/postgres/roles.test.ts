/** The database's roles (components/postgres/roles.ts) judged by what each may do. */
import { describe, expect, it } from "vitest";
import {
  APP_ROLE_KEY,
  BACKUP_ROLE_KEY,
  credentialsSecretName,
  databaseRoles,
} from "../../components/postgres";

const withCdc = databaseRoles({ logicalReplication: true });
const without = databaseRoles({ logicalReplication: false });
const role = (key: string) => withCdc.find((r) => r.key === key)!;

describe("databaseRoles", () => {
  it("adds the change-data-capture login only with logical replication, through rds_replication", () => {
    expect(without.some((r) => r.key === "cdc")).toBe(false);
    expect(withCdc.map((r) => r.key)).toEqual([...without.map((r) => r.key), "cdc"]);
    expect(role("cdc")).toMatchObject({ login: true, name: "vega_cdc" });
    expect(role("cdc").memberOf).toContain("rds_replication");
  });

  it("lets only the migrations role create objects in the database", () => {
    const creators = withCdc.filter((r) => r.databasePrivileges.includes("CREATE"));
    expect(creators.map((r) => r.key)).toEqual(["migrations"]);
    for (const r of withCdc) expect(r.databasePrivileges, r.key).toContain("CONNECT");
  });

  it("gives the application reads and writes, the backup reads only", () => {
    expect(role(APP_ROLE_KEY).memberOf).toEqual(["pg_read_all_data", "pg_write_all_data"]);
    expect(role(BACKUP_ROLE_KEY).memberOf).toEqual(["vega_readonly"]);
    expect(role("readonly").memberOf).toEqual(["pg_read_all_data"]);
    expect(role("monitoring").memberOf).toEqual(["pg_monitor"]);
    expect(role(BACKUP_ROLE_KEY).databasePrivileges).toEqual(["CONNECT"]);
  });

  it("makes a group of readonly (no login) and a login of everyone else", () => {
    expect(withCdc.filter((r) => !r.login).map((r) => r.key)).toEqual(["readonly"]);
  });

  it("is a member only of predefined roles or of roles created before it", () => {
    withCdc.forEach((r, i) => {
      for (const m of r.memberOf)
        expect(
          /^(pg|rds)_/.test(m) || withCdc.slice(0, i).some((earlier) => earlier.name === m),
          `${r.name} in ${m}`,
        ).toBe(true);
    });
  });

  it("names roles vega_<key>, each once, and their Secrets vega-metadata-<key>", () => {
    for (const r of withCdc) {
      expect(r.name).toBe(`vega_${r.key}`);
      expect(r.why.length, r.key).toBeGreaterThan(10);
    }
    expect(new Set(withCdc.map((r) => r.key)).size).toBe(withCdc.length);
    expect(credentialsSecretName(APP_ROLE_KEY)).toBe("vega-metadata-app");
  });
});
