/**
 * CloudWatchAlarms and AlertTopic on their own, under recording mocks: the alarm group's refusal
 * text, what it retains and exports; a topic without subscribers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { albAlarms } from "../../components/observability/alarms/builders";
import { CloudWatchAlarms, validateAlarmSpecs } from "../../components/observability/alarms/alarms";
import { AlertTopic } from "../../components/observability/topic";
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
});
