/** Mutations that prove the observability rules of observability.ts (see mutation.ts). */
import type { ResourceProps } from "../components/core/plan";
import { editInputs, type PolicyMutation } from "./mutation";
import {
  alarmsNotify,
  alertsActionable,
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
];
