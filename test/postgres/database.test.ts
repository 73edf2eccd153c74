/**
 * MetadataDatabase's refusals (validateMetadataDatabaseArgs, crossRegionSource), its defaults
 * when synthesised on its own, and the restore's "latest restorable time".
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  crossRegionSource,
  DatabaseAccess,
  MetadataDatabase,
  restoredInstanceArgs,
  validateMetadataDatabaseArgs,
  type MetadataDatabaseArgs,
} from "../../components/postgres";
import { stackConfig, synth, synthFailures, type Synth } from "../harness";

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
      new MetadataDatabase("db", args);
    });
  });

  it("protects the instances and the key unless told otherwise", () => {
    for (const type of ["aws:rds/instance:Instance", "aws:kms/key:Key"])
      for (const r of s.ofType(type)) expect(r.protect, r.name).toBe(true);
  });

  it("describes its key, subnet group and security group in words AWS accepts", () => {
    // EC2 GroupDescription: 1-255 of a-zA-Z0-9 . _-:/()#,@[]+=&;{}!$*; RDS requires a
    // DBSubnetGroupDescription; a KMS description helps whoever finds the key.
    const allowed = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
    for (const type of [
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:rds/subnetGroup:SubnetGroup",
      "aws:kms/key:Key",
      "aws:rds/parameterGroup:ParameterGroup",
    ])
      expect(s.one(type).inputs.description, type).toMatch(allowed);
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

describe("restoredInstanceArgs", () => {
  it("restores to the latest restorable time when no time is given", () => {
    const c = {
      region: "us-east-1",
      settings,
      identifier: "db-drill",
      kmsKeyArn: "k",
      parameterGroupName: "p",
      securityGroupId: "sg",
    };
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
