/**
 * MetadataDatabase's refusals (validateMetadataDatabaseArgs, crossRegionSource), its defaults
 * when synthesised on its own, and the restore's "latest restorable time".
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  crossRegionReplicaArgs,
  crossRegionSource,
  DatabaseAccess,
  inRegionReplicaArgs,
  primaryInstanceArgs,
  promotedInstanceArgs,
  MetadataDatabase,
  restoredInstanceArgs,
  validateMetadataDatabaseArgs,
  type MetadataDatabaseArgs,
} from "../../components/postgres";
import { stackConfig, synth, synthFailures, type Synth } from "../harness";
import { EC2_DESCRIPTION } from "../harness/aws-limits";

const settings = stackConfig("primary").postgres;
const args: MetadataDatabaseArgs = {
  region: "us-east-1",
  settings,
  role: { kind: "primary" },
  network: { vpcId: "vpc-0a1b2c3d", privateSubnetIds: ["subnet-0a", "subnet-0b"] },
  clientSecurityGroupIds: ["sg-0a1b2c3d"],
};
const restore = { suffix: "drill", useLatestRestorableTime: true };

describe("validateMetadataDatabaseArgs", () => {
  it("accepts the primary's arguments", () => {
    expect(() => validateMetadataDatabaseArgs(args)).not.toThrow();
  });

  it("names every problem at once, each after the last", () => {
    expect(() =>
      validateMetadataDatabaseArgs({
        ...args,
        role: { kind: "promoted" },
        settings: { ...settings, restore },
        clientSecurityGroupIds: [],
      }),
    ).toThrow(
      "MetadataDatabase: clientSecurityGroupIds: expected at least one security group; settings.restore: point-in-time restores are made beside the primary only",
    );
  });

  it("refuses settings the config would refuse, naming the key and the value", () => {
    expect(() =>
      validateMetadataDatabaseArgs({
        ...args,
        settings: { ...settings, maxAllocatedStorageGiB: settings.allocatedStorageGiB },
      }),
    ).toThrow(
      new RegExp(
        `^MetadataDatabase: settings\\.maxAllocatedStorageGiB: .*, got ${settings.allocatedStorageGiB}$`,
      ),
    );
  });

  it("allows a restore beside the primary", () => {
    expect(() =>
      validateMetadataDatabaseArgs({ ...args, settings: { ...settings, restore } }),
    ).not.toThrow();
  });
});

describe("crossRegionSource", () => {
  const source = (arn: string, region: string) =>
    new Promise((resolve) => crossRegionSource(arn, region).apply(resolve));

  it("passes an RDS instance ARN of another region through", async () => {
    const arn = "arn:aws:rds:us-east-1:123456789012:db:vega-prod-use1-postgres";
    expect(await source(arn, "us-west-2")).toBe(arn);
  });

  it.each([
    ["arn:aws:rds:us-east-1:123456789012:cluster:c", "us-west-2", "is not an RDS DB instance ARN"],
    ["arn:aws:s3:us-east-1:123456789012:db:x", "us-west-2", "is not an RDS DB instance ARN"],
    [
      "arn:aws:rds:us-west-2:123456789012:db:x",
      "us-west-2",
      "is in us-west-2, expected another region (a cross-region replica)",
    ],
  ])("refuses %s in %s", async (arn, region, why) => {
    const failures = await synthFailures(() => {
      crossRegionSource(arn, region).apply((a) => a);
    });
    expect([...new Set(failures.map((f) => f.message))]).toEqual([
      `MetadataDatabase: replica source ${arn} ${why}`,
    ]);
  });
});

describe("MetadataDatabase on its own", () => {
  let s: Synth;
  beforeAll(async () => {
    s = await synth(() => {
      new MetadataDatabase("db", { ...args, settings: { ...settings, restore } });
    });
  });

  it("names its children <database>-<role>: each instance after its log groups", () => {
    const instances = [
      "instance",
      ...(settings.inRegionReplica ? ["replica"] : []),
      "restore-drill",
    ];
    expect(s.childRoles(s.one("vega:postgres:MetadataDatabase"))).toEqual(
      [
        "key",
        "key-alias",
        "subnets",
        "sg",
        "sg-in-0",
        "params",
        ...instances.flatMap((i) => [i, `${i}-log-postgresql`, `${i}-log-upgrade`]),
      ].sort(),
    );
  });

  it("protects the instances and the key unless told otherwise; a drill's restore may go", () => {
    for (const type of ["aws:rds/instance:Instance", "aws:kms/key:Key"])
      for (const r of s.ofType(type)) expect(r.protect, r.name).toBe(r.name !== "db-restore-drill");
  });

  it("describes its key, subnet group and security group in words AWS accepts", () => {
    // RDS requires a DBSubnetGroupDescription; a KMS description helps whoever finds the key.
    for (const type of [
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:rds/subnetGroup:SubnetGroup",
      "aws:kms/key:Key",
      "aws:rds/parameterGroup:ParameterGroup",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ])
      expect(s.one(type).inputs.description, type).toMatch(EC2_DESCRIPTION);
  });

  it("opens the port to each client security group only, and revokes its rules before it goes", () => {
    expect(s.one("aws:ec2/securityGroup:SecurityGroup").inputs.revokeRulesOnDelete).toBe(true);
    expect(s.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs).toMatchObject(
      {
        ipProtocol: "tcp",
        fromPort: settings.port,
        toPort: settings.port,
        referencedSecurityGroupId: "sg-0a1b2c3d",
      },
    );
  });

  it("creates each instance's log groups first, with the configured retention", () => {
    const groups = s.ofType("aws:cloudwatch/logGroup:LogGroup");
    for (const instance of s.ofType("aws:rds/instance:Instance")) {
      const own = groups.filter((g) =>
        String(g.inputs.name).startsWith(`/aws/rds/instance/${instance.inputs.identifier}/`),
      );
      expect(own.length, instance.name).toBeGreaterThan(0);
      for (const g of own) {
        expect(instance.dependencies).toContain(g.urn);
        expect(g.inputs.retentionInDays).toBe(settings.logRetentionDays);
      }
    }
  });

  it("makes a new parameter group before the old one goes (a major upgrade changes its family)", () => {
    const params = s.one("aws:rds/parameterGroup:ParameterGroup");
    expect(params.deleteBeforeReplace).toBeFalsy();
    expect(params.inputs.namePrefix).toBe(
      `${s.one("aws:rds/instance:Instance", "db-instance").inputs.identifier}-`,
    );
  });
});

const c = {
  region: "us-east-1",
  settings,
  identifier: "db-drill",
  kmsKeyArn: "k",
  parameterGroupName: "p",
  securityGroupId: "sg",
};

describe("every instance's arguments", () => {
  const all = {
    primary: primaryInstanceArgs(c, "subnets", "final"),
    inRegionReplica: inRegionReplicaArgs(c, "db"),
    crossRegionReplica: crossRegionReplicaArgs(c, "arn", "subnets"),
    promoted: promotedInstanceArgs(c, "subnets", "final"),
    restored: restoredInstanceArgs(c, "db", restore, "subnets", "final"),
  };

  it.each(Object.entries(all))(
    "%s: private, behind the database's security group, on a CA valid past 2024",
    (_, a) => {
      expect(a).toMatchObject({
        vpcSecurityGroupIds: ["sg"],
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        // rds-ca-2019 expired in August 2024; rds-ca-rsa2048-g1 is valid until 2061.
        caCertIdentifier: "rds-ca-rsa2048-g1",
      });
    },
  );

  it.each(["primary", "promoted", "restored"] as const)(
    "%s (standalone): keeps its automated backups and takes a final snapshot when deleted",
    (kind) => {
      expect(all[kind]).toMatchObject({
        deleteAutomatedBackups: false,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "final",
      });
    },
  );

  it("runs the writers in two zones; replicas and a drill's restore in one", () => {
    expect([all.primary.multiAz, all.promoted.multiAz]).toEqual([true, true]);
    expect([
      all.inRegionReplica.multiAz,
      all.crossRegionReplica.multiAz,
      all.restored.multiAz,
    ]).toEqual([false, false, false]);
  });

  it("takes no final snapshot of a replica (RDS takes none of a read replica)", () => {
    expect(all.inRegionReplica.skipFinalSnapshot).toBe(true);
    expect(all.crossRegionReplica.skipFinalSnapshot).toBe(true);
  });

  it("protects every instance from deletion but a drill's restore", () => {
    for (const [kind, a] of Object.entries(all))
      expect(a.deletionProtection, kind).toBe(kind !== "restored");
  });
});

describe("restoredInstanceArgs", () => {
  it("restores to the latest restorable time when no time is given", () => {
    expect(restoredInstanceArgs(c, "db", restore, "subnets", "final").restoreToPointInTime).toEqual(
      {
        sourceDbInstanceIdentifier: "db",
        useLatestRestorableTime: true,
      },
    );
  });
});

describe("DatabaseAccess without roles.manage", () => {
  it("hands out credentials only: no provider, no role, nothing inside the database", async () => {
    const s = await synth(() => {
      new DatabaseAccess("access", {
        region: "us-east-1",
        settings: { ...settings, roles: { manage: false } },
        namespace: "vega",
        host: "db.example",
      });
    });
    expect(
      s.resources.filter(
        (r) => r.type.startsWith("postgresql:") || r.type === "pulumi:providers:postgresql",
      ),
    ).toEqual([]);
    expect(
      new Set(
        s.childRoles(s.one("vega:postgres:DatabaseAccess")).map((r) => r.replace(/^\w+-/, "")),
      ),
    ).toEqual(new Set(["password", "credentials"]));
  });
});

describe("MetadataDatabase as the DR replica", () => {
  let s: Synth;
  let db: MetadataDatabase;
  beforeAll(async () => {
    s = await synth(() => {
      db = new MetadataDatabase("db", {
        ...args,
        region: "us-west-2",
        role: {
          kind: "replica",
          source: { instanceArn: "arn:aws:rds:us-east-1:123456789012:db:vega-prod-use1-postgres" },
        },
      });
    });
  });

  it("replicates the source's automated backups into its region, kept when promotion removes it", () => {
    expect(s.childRoles(s.one("vega:postgres:MetadataDatabase"))).toContain("backups-replication");
    const replication = s.one(
      "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    );
    expect(replication.retainOnDelete).toBe(true);
    expect(replication.region).toBe("us-west-2");
  });

  it("takes no writes and has no master secret of its own (RDS manages none for a replica)", () => {
    expect(db.writable).toBe(false);
    expect(db.masterSecretArn).toBeUndefined();
  });
});
