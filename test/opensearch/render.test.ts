/**
 * The renderers' refusals (components/opensearch/render.ts): each names the value it cannot use,
 * so the deploy stops with the fix in view instead of an AWS error later.
 */
import { describe, expect, it } from "vitest";
import {
  autoFollowRuleName,
  domainAccessPolicy,
  engineMajorProblem,
  logGroupName,
  logResourcePolicy,
  parseDomainArn,
  searchDomainName,
  smPolicyBody,
  snapshotAccessPolicy,
  snapshotBasePath,
  snapshotTrustPolicy,
  SNAPSHOT_KINDS,
  type SnapshotKind,
} from "../../components/opensearch/render";
import { cronMaxGapSeconds } from "../../components/core/cron";
import { parseStackConfig } from "../../config";
import { minimalPrimary } from "../harness/config";
import type { PolicyDocument } from "../../components/core";
import { iamAllows } from "../harness/iam";

describe("OpenSearch names, ARNs and versions", () => {
  it("refuses a component name that makes no domain name, naming the name", () => {
    expect(() => searchDomainName("Vega_Search")).toThrow(
      "OpenSearch domain name Vega_Search is not 3-28 lower-case letters, digits or -",
    );
    expect(() => searchDomainName("1-vega")).toThrow(/domain name 1-vega is not/);
    // Anywhere in the name, not only at its start or end.
    expect(() => searchDomainName("vega_search")).toThrow(/domain name vega_search is not/);
    expect(() => searchDomainName("xVega-search")).toThrow(/domain name xVega-search is not/);
  });

  it("reads a domain ARN into region, account and name; refuses anything else by value", () => {
    expect(parseDomainArn("arn:aws:es:eu-west-1:123456789012:domain/vega-search")).toEqual({
      region: "eu-west-1",
      account: "123456789012",
      name: "vega-search",
    });
    expect(() => parseDomainArn("arn:aws:es:eu-west-1:123456789012:collection/x")).toThrow(
      "not an OpenSearch domain ARN: arn:aws:es:eu-west-1:123456789012:collection/x",
    );
    for (const arn of [
      "xarn:aws:es:eu-west-1:123456789012:domain/vega-search",
      "arn:aws:es:eu-west-1:123456789012:domain/vega-search/index",
    ])
      expect(() => parseDomainArn(arn), arn).toThrow(`not an OpenSearch domain ARN: ${arn}`);
    // Other partitions (China, GovCloud) have their own ARN prefix.
    expect(parseDomainArn("arn:aws-cn:es:cn-north-1:123456789012:domain/vega")).toEqual({
      region: "cn-north-1",
      account: "123456789012",
      name: "vega",
    });
  });

  it("says when two engine versions cannot be compared, naming both", () => {
    expect(engineMajorProblem("OpenSearch_2.19", "OpenSearch_2.13")).toBeUndefined();
    expect(engineMajorProblem("OpenSearch_2.19", "Elasticsearch_7.10")).toBe(
      "cannot compare engine versions OpenSearch_2.19 and Elasticsearch_7.10",
    );
    expect(engineMajorProblem("OpenSearch_2.19", "OpenSearch_3.1")).toMatch(
      /^vega-ha:opensearch.engineVersion is OpenSearch_3.1 but the primary runs OpenSearch_2.19/,
    );
  });
});

const ARN = "arn:aws:es:eu-west-1:123456789012:domain/vega-search";

describe("the policies the domain carries, judged as IAM judges them", () => {
  it("the access policy: the account's principals over HTTP (FGAC decides), any connected follower may read", () => {
    const doc = domainAccessPolicy(ARN) as unknown as PolicyDocument;
    expect(doc.Version).toBe("2012-10-17");
    const http = doc.Statement.find((st) => st.Action === "es:ESHttp*")!;
    expect(http.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(
      iamAllows(
        { ...doc, Statement: [http] },
        { action: "es:ESHttpGet", resource: `${ARN}/vega-assets/_search` },
      ),
    ).toBe(true);
    expect(
      iamAllows(
        { ...doc, Statement: [http] },
        { action: "es:ESHttpGet", resource: `${ARN}-other/x` },
      ),
    ).toBe(false);
    const ccr = doc.Statement.find((st) => st.Action === "es:ESCrossClusterGet")!;
    // Only domains whose connection this domain accepted reach it: the principal is anyone.
    expect(ccr.Principal).toEqual({ AWS: "*" });
    expect(
      iamAllows({ ...doc, Statement: [ccr] }, { action: "es:ESCrossClusterGet", resource: ARN }),
    ).toBe(true);
    expect(
      iamAllows({ ...doc, Statement: [ccr] }, { action: "es:ESHttpGet", resource: `${ARN}/x` }),
    ).toBe(false);
  });

  it("the log policy lets OpenSearch Service of this account write the groups' streams, and nothing else", () => {
    const group =
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/opensearch/vega-search/index-slow-logs";
    // CloudWatch reports a group's ARN with and without the trailing :*; both give one resource.
    for (const arn of [group, `${group}:*`]) {
      const doc = logResourcePolicy([arn], "123456789012") as unknown as PolicyDocument;
      expect(doc.Version).toBe("2012-10-17");
      expect(doc.Statement[0]!.Principal).toEqual({ Service: "es.amazonaws.com" });
      expect(doc.Statement[0]!.Resource).toEqual([`${group}:*`]);
      const own = { "aws:SourceAccount": "123456789012" };
      for (const action of ["logs:PutLogEvents", "logs:CreateLogStream"])
        expect(
          iamAllows(doc, { action, resource: `${group}:log-stream:n1`, context: own }),
          action,
        ).toBe(true);
      expect(
        iamAllows(doc, { action: "logs:DeleteLogGroup", resource: `${group}:*`, context: own }),
      ).toBe(false);
      expect(
        iamAllows(doc, {
          action: "logs:PutLogEvents",
          resource: `${group}:log-stream:n1`,
          context: { "aws:SourceAccount": "999999999999" },
        }),
      ).toBe(false);
    }
  });

  it("names each log group under /aws/opensearch/<domain>/, in the lower-case words of its type", () => {
    expect(logGroupName("vega-search", "INDEX_SLOW_LOGS")).toBe(
      "/aws/opensearch/vega-search/index-slow-logs",
    );
    expect(logGroupName("vega-search", "ES_APPLICATION_LOGS")).toBe(
      "/aws/opensearch/vega-search/es-application-logs",
    );
  });
});

describe("the snapshot management policies", () => {
  const config = parseStackConfig(minimalPrimary());
  const kinds = Object.keys(SNAPSHOT_KINDS) as SnapshotKind[];
  const body = (kind: SnapshotKind) =>
    smPolicyBody(kind, config.opensearch, config.backup.retention) as Record<string, any>;
  /** An SM time_limit ("50m", "6h") in seconds. */
  const seconds = (limit: string) => {
    const m = /^(\d+)([mh])$/.exec(limit);
    expect(m, `time_limit ${limit}`).not.toBeNull();
    return Number(m![1]) * (m![2] === "h" ? 3600 : 60);
  };

  it.each(kinds)(
    "%s: each run ends before the next starts; deletions run as often, at another time",
    (kind) => {
      const b = body(kind);
      const creation = b.creation.schedule.cron;
      const deletion = b.deletion.schedule.cron;
      expect([creation.timezone, deletion.timezone]).toEqual(["UTC", "UTC"]);
      const every = cronMaxGapSeconds(creation.expression);
      expect(seconds(b.creation.time_limit)).toBeLessThan(every);
      expect(seconds(b.deletion.time_limit)).toBeLessThanOrEqual(every);
      expect(cronMaxGapSeconds(deletion.expression)).toBe(every);
      const startsAt = (cron: string) => cron.split(" ").slice(0, 2).join(" ");
      expect(startsAt(deletion.expression)).not.toBe(startsAt(creation.expression));
    },
  );

  it("gives a daily snapshot more time than an hourly one", () => {
    expect(seconds(body("daily").creation.time_limit)).toBeGreaterThan(
      seconds(body("hourly").creation.time_limit),
    );
  });

  it.each(kinds)(
    "%s: snapshots the data indices only, names each snapshot down to the minute, says what it keeps",
    (kind) => {
      const b = body(kind);
      // System indices (dot-prefixed: .opendistro_security, .kibana) and the cluster state stay
      // out: restoring them would overwrite the target domain's security and settings.
      expect(b.snapshot_config).toMatchObject({ indices: "*,-.*", include_global_state: false });
      expect(b.snapshot_config.date_format).toMatch(/^(?=.*HH)(?=.*mm)[yMdHm-]+$/);
      expect(b.snapshot_config.timezone).toBe("UTC");
      expect(b.description).toContain(`Vega ${kind} snapshots`);
      expect(b.description).toContain(`kept ${b.deletion.condition.max_age.replace("d", "")} days`);
    },
  );
});

describe("the snapshot role, judged as IAM judges it", () => {
  const BUCKET = "arn:aws:s3:::vega-prod-use1-backup";
  const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
  const own = { "aws:SourceAccount": "123456789012" };

  it("is assumed by OpenSearch Service acting for this account only", () => {
    const trust = snapshotTrustPolicy("123456789012") as unknown as PolicyDocument;
    expect(trust.Version).toBe("2012-10-17");
    expect(trust.Statement.map((st) => st.Principal)).toEqual([{ Service: "es.amazonaws.com" }]);
    const assume = (context: Record<string, string>) =>
      iamAllows(trust, {
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::123456789012:role/x",
        context,
      });
    expect(assume(own)).toBe(true);
    expect(assume({ "aws:SourceAccount": "999999999999" })).toBe(false);
  });

  it("reads, writes and lists the snapshot prefixes of the vault, with its key; nothing else", () => {
    const access = snapshotAccessPolicy(BUCKET, KEY) as unknown as PolicyDocument;
    expect(access.Version).toBe("2012-10-17");
    const allows = (action: string, resource: string, context?: Record<string, string>) =>
      iamAllows(access, { action, resource, context });
    for (const kind of Object.keys(SNAPSHOT_KINDS) as SnapshotKind[]) {
      const base = snapshotBasePath(kind, "us-east-1");
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
        expect(
          allows(action, `${BUCKET}/${base}/indices/abc/0/snap-1.dat`),
          `${action} ${base}`,
        ).toBe(true);
      // The repository lists its base path and below (index-N, indices/...).
      expect(allows("s3:ListBucket", BUCKET, { "s3:prefix": `${base}/index-` })).toBe(true);
    }
    expect(allows("s3:GetObject", `${BUCKET}/postgres/base/backup.tar`)).toBe(false);
    expect(allows("s3:ListBucket", BUCKET, { "s3:prefix": "postgres/" })).toBe(false);
    expect(allows("s3:ListBucket", BUCKET)).toBe(false);
    expect(allows("s3:DeleteBucket", BUCKET)).toBe(false);
    for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"])
      expect(allows(action, KEY), action).toBe(true);
    expect(allows("kms:ScheduleKeyDeletion", KEY)).toBe(false);
  });
});

describe("auto-follow rule names", () => {
  it("name a pattern in lower-case words joined by single dashes, * as 'all', no dash at the end", () => {
    expect(autoFollowRuleName("vega", "*")).toBe("vega-all");
    expect(autoFollowRuleName("vega", "vega-logs-*")).toBe("vega-vega-logs-all");
    expect(autoFollowRuleName("vega", "events..2026")).toBe("vega-events-2026");
    expect(autoFollowRuleName("vega", "events-2026.")).toBe("vega-events-2026");
  });

  it("keep two patterns apart", () => {
    expect(autoFollowRuleName("vega", "logs-*")).not.toBe(autoFollowRuleName("vega", "logs*"));
  });
});
