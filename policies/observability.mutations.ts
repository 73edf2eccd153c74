/** Mutations that prove the observability rules of observability.ts (see mutation.ts). */
import type { ResourceProps } from "../components/core/plan";
import { editInputs, type PolicyMutation } from "./mutation";
import {
  alarmsNotify,
  alertsActionable,
  alertThresholdsAtSeed,
  prometheusRuleSelected,
  snsTopicEncrypted,
} from "./observability";

const PROMETHEUS_RULE = { type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule" };
const TOPIC = { type: "aws:sns/topic:Topic" };
const ALARM = { type: "aws:cloudwatch/metricAlarm:MetricAlarm" };

/** Edits the first alerting rule (not a recording rule) of the PrometheusRule. */
const editFirstAlert = (edit: (alert: ResourceProps) => void) =>
  editInputs(PROMETHEUS_RULE, (p) => {
    const rules = (p.spec.groups as { rules: ResourceProps[] }[]).flatMap((g) => g.rules);
    edit(rules.find((r) => r.alert !== undefined)!);
  });

/** Edits the alerting rule named `alert` of the PrometheusRule. */
const editAlert = (alert: string, edit: (rule: ResourceProps) => void) =>
  editInputs(PROMETHEUS_RULE, (p) => {
    const rules = (p.spec.groups as { rules: ResourceProps[] }[]).flatMap((g) => g.rules);
    edit(rules.find((r) => r.alert === alert)!);
  });

export const observabilityMutations: PolicyMutation[] = [
  {
    rule: prometheusRuleSelected,
    breaks: "the PrometheusRule without the release label",
    apply: editInputs(PROMETHEUS_RULE, (p) => delete p.metadata.labels.release),
  },
  {
    rule: alertsActionable,
    breaks: "an alert with a severity nobody routes",
    apply: editFirstAlert((a) => (a.labels.severity = "info")),
  },
  {
    rule: alertsActionable,
    breaks: "an alert with a label besides severity",
    apply: editFirstAlert((a) => (a.labels.team = "data")),
  },
  {
    rule: alertsActionable,
    breaks: "an alert without a for",
    apply: editFirstAlert((a) => delete a.for),
  },
  {
    rule: alertsActionable,
    breaks: "an alert without a runbook",
    apply: editFirstAlert((a) => delete a.annotations.runbook_url),
  },
  {
    rule: alertsActionable,
    breaks: "an alert whose runbook is plain http",
    apply: editFirstAlert(
      (a) => (a.annotations.runbook_url = a.annotations.runbook_url.replace(/^https:/, "http:")),
    ),
  },
  {
    rule: snsTopicEncrypted,
    breaks: "the alert topic unencrypted",
    apply: editInputs(TOPIC, (p) => delete p.kmsMasterKeyId),
  },
  {
    rule: snsTopicEncrypted,
    breaks: "the alert topic under the AWS-managed SNS key",
    apply: editInputs(TOPIC, (p) => (p.kmsMasterKeyId = "alias/aws/sns")),
  },
  {
    rule: alarmsNotify,
    breaks: "an alarm that notifies nobody",
    apply: editInputs(ALARM, (p) => (p.alarmActions = [])),
  },
  {
    rule: alarmsNotify,
    breaks: "an alarm with its actions disabled",
    apply: editInputs(ALARM, (p) => (p.actionsEnabled = false)),
  },
  {
    rule: alertThresholdsAtSeed,
    breaks: "the CPU alert at 95 % (seed: 80 %)",
    apply: editAlert("VegaCpuUsageHigh", (r) => (r.expr = r.expr.replace("> 0.8", "> 0.95"))),
  },
  {
    rule: alertThresholdsAtSeed,
    breaks: "the cache alert below a 50 % hit rate (seed: 70 %)",
    apply: editAlert("VegaCacheHitRateLow", (r) => (r.expr = r.expr.replace("< 0.7", "< 0.5"))),
  },
  {
    rule: alertThresholdsAtSeed,
    breaks: "no alert on sync lag",
    apply: editInputs(PROMETHEUS_RULE, (p) => {
      for (const g of p.spec.groups as { rules: ResourceProps[] }[])
        g.rules = g.rules.filter((r) => r.alert !== "VegaSyncLagHigh");
    }),
  },
  {
    rule: alertThresholdsAtSeed,
    breaks: "the p99 latency alert waiting an hour before it fires",
    apply: editAlert("VegaQueryLatencyP99High", (r) => (r.for = "1h")),
  },
  {
    rule: alertThresholdsAtSeed,
    breaks: "the disk alert comparing the wrong way",
    apply: editAlert("VegaDiskUsageHigh", (r) => (r.expr = r.expr.replace("> 0.9", "< 0.9"))),
  },
];
