/** The objectives' seed targets (config/objectives.ts) against the seed chapter's own text. */
import { describe, expect, it } from "vitest";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../../config";
import { seedSeconds, seedTable, seedYaml } from "../harness/seed";

/** "1小时" (1 hour) in 16.3's data_loss text, else a seed duration. */
const dataLossSeconds = (text: string) => {
  const m = /(\d+)\s*小时/.exec(text);
  if (!m) throw new Error(`no hours in ${text}`);
  return Number(m[1]) * 3600;
};

describe("seed 16.2 targets", () => {
  const rows = seedTable("16.2");
  const row = (dataType: string, method: string) => {
    const found = rows.find(([t, m]) => t!.includes(dataType) && m!.includes(method));
    if (!found) throw new Error(`seed 16.2 has no row ${dataType} / ${method}`);
    return { rto: seedSeconds(found[4]!), rpo: seedSeconds(found[5]!) };
  };
  const gitRpo = (text: string) => (text === "0" ? 0 : seedSeconds(text));

  it.each([
    ["metadataPgDump", "元数据", "pg_dump"],
    ["metadataWal", "元数据", "WAL"],
    ["openSearchSnapshot", "OpenSearch", "快照"],
    ["openSearchDelta", "OpenSearch", "增量"],
  ] as const)("%s matches its row", (key, dataType, method) => {
    const { rto, rpo } = row(dataType, method);
    expect(SEED_BACKUP_OBJECTIVES[key]).toMatchObject({ rtoSeconds: rto, rpoSeconds: rpo });
  });

  it("config files in git: RTO and RPO 0", () => {
    const found = rows.find(([t]) => t!.includes("配置文件"))!;
    expect(SEED_BACKUP_OBJECTIVES.configGit).toMatchObject({
      rtoSeconds: seedSeconds(found[4]!),
      rpoSeconds: gitRpo(found[5]!),
    });
  });
});

describe("seed 16.3 targets", () => {
  const procedures = seedYaml("16.3").recovery_procedures;

  it("asset and metadata recovery RTOs", () => {
    expect(SEED_RECOVERY_PROCEDURES.assetRecovery.rtoSeconds).toBe(
      seedSeconds(procedures.asset_recovery.rto),
    );
    expect(SEED_RECOVERY_PROCEDURES.metadataRecovery.rtoSeconds).toBe(
      seedSeconds(procedures.metadata_recovery.rto),
    );
  });

  it("region failover: RTO and the data it may lose", () => {
    expect(SEED_RECOVERY_PROCEDURES.regionFailover).toMatchObject({
      rtoSeconds: seedSeconds(procedures.region_failover.rto),
      rpoSeconds: dataLossSeconds(procedures.region_failover.data_loss),
    });
  });
});
