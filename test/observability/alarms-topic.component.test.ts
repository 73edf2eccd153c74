/**
 * CloudWatchAlarms and AlertTopic on their own, under recording mocks: the alarm group's refusal
 * text, what it retains and exports; a topic without subscribers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { albAlarms } from "../../components/observability/alarms/builders";
import { CloudWatchAlarms, validateAlarmSpecs } from "../../components/observability/alarms/alarms";
import {
  AlertTopic,
  alertTopicKeyPolicy,
  alertTopicPolicy,
} from "../../components/observability/topic";
import { iamAllows } from "../harness/iam";
import { synth, type Synth } from "../harness";
import { defaultResolved } from "./support/configs";

const alarms = albAlarms({
  name: "edge",
  loadBalancer: "app/vega/1",
  targetGroup: "targetgroup/gw/2",
  thresholds: defaultResolved().thresholds,
});
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts";

let s: Synth;
beforeAll(async () => {
  s = await synth(() => {
    const kept = new CloudWatchAlarms("kept", {
      region: "eu-west-1",
      topicArn: TOPIC,
      alarms,
      retainOnDelete: true,
    });
    const plain = new CloudWatchAlarms("plain", { region: "eu-west-1", topicArn: TOPIC, alarms });
    new AlertTopic("quiet", { region: "eu-west-1" });
    return { kept: kept.alarmArns, plain: plain.alarmArns };
  });
});

const alarmsOf = (group: string) =>
  s.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith(`${group}-`));

describe("CloudWatchAlarms", () => {
  it("lists every problem of its specs in one error, one per line, naming itself", () => {
    const bad = [
      { ...alarms[0]!, id: "Bad" },
      { ...alarms[1]!, evaluationPeriods: 0 },
    ];
    expect(() => validateAlarmSpecs("vega-alarms", bad)).toThrow(
      `CloudWatchAlarms vega-alarms:\n  alarm Bad: id must be lower-case letters, digits and dashes\n  alarm ${alarms[1]!.id}: evaluationPeriods must be a whole number >= 1`,
    );
  });

  it("keeps its alarms on delete only when asked (a DR link's alarms in an unreachable region)", () => {
    expect(alarmsOf("kept").map((a) => a.retainOnDelete)).toEqual(alarms.map(() => true));
    expect(alarmsOf("plain").map((a) => a.retainOnDelete)).toEqual(alarms.map(() => false));
  });

  it("exports the ARN of every alarm it created, in order", () => {
    expect(s.outputs.plain).toHaveLength(alarms.length);
    expect(s.outputs.plain.every((arn: unknown) => typeof arn === "string" && arn !== "")).toBe(
      true,
    );
    expect(new Set(s.outputs.plain).size).toBe(alarms.length);
  });
});

describe("AlertTopic without subscribers", () => {
  it("creates the encrypted topic and no subscription", () => {
    expect(s.ofType("aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
    expect(s.one("aws:sns/topic:Topic", "quiet-topic").inputs.kmsMasterKeyId).toBeDefined();
  });

  it("protects its key unless told otherwise, names the alias as KMS requires, and describes the key", () => {
    const key = s.one("aws:kms/key:Key", "quiet-key");
    expect(key.protect).toBe(true);
    expect(key.inputs.description).toMatch(/\S/);
    expect(s.one("aws:kms/alias:Alias", "quiet-key-alias").inputs.name).toMatch(
      /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/,
    );
  });

  it("lets the account administer its key, from the caller's partition and account", () => {
    const policy = JSON.parse(s.one("aws:kms/key:Key", "quiet-key").inputs.policy as string);
    const admin = policy.Statement.find((st: any) => st.Sid === "AccountAdministersKey");
    expect(admin.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
  });
});

describe("the alert topic's policies, judged as IAM judges them", () => {
  const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:alerts";
  const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1";

  it("the key: the account may do anything with it, CloudWatch may only encrypt for the topic", () => {
    const doc = alertTopicKeyPolicy("arn:aws:iam::123456789012:root");
    expect(doc.Version).toBe("2012-10-17");
    const of = (principal: object) => ({
      ...doc,
      Statement: doc.Statement.filter(
        (st) => JSON.stringify(st.Principal) === JSON.stringify(principal),
      ),
    });
    const account = of({ AWS: "arn:aws:iam::123456789012:root" });
    const cloudwatch = of({ Service: "cloudwatch.amazonaws.com" });
    expect(iamAllows(account, { action: "kms:ScheduleKeyDeletion", resource: KEY })).toBe(true);
    for (const action of ["kms:Decrypt", "kms:GenerateDataKey"])
      expect(iamAllows(cloudwatch, { action, resource: KEY }), action).toBe(true);
    expect(iamAllows(cloudwatch, { action: "kms:ScheduleKeyDeletion", resource: KEY })).toBe(false);
  });

  it("the topic: this account's alarms publish over TLS; nothing publishes without it", () => {
    const doc = alertTopicPolicy(TOPIC_ARN, "123456789012");
    expect(doc.Version).toBe("2012-10-17");
    const publish = (context: Record<string, string>) =>
      iamAllows(doc, { action: "sns:Publish", resource: TOPIC_ARN, context });
    expect(publish({ "aws:SourceAccount": "123456789012", "aws:SecureTransport": "true" })).toBe(
      true,
    );
    expect(publish({ "aws:SourceAccount": "123456789012", "aws:SecureTransport": "false" })).toBe(
      false,
    );
    expect(publish({ "aws:SourceAccount": "999999999999", "aws:SecureTransport": "true" })).toBe(
      false,
    );
    const deny = doc.Statement.find((st) => st.Effect === "Deny")!;
    expect(deny.Principal).toBe("*");
    expect(
      iamAllows(doc, {
        action: "sns:Subscribe",
        resource: TOPIC_ARN,
        context: { "aws:SourceAccount": "123456789012", "aws:SecureTransport": "true" },
      }),
    ).toBe(false);
  });
});
