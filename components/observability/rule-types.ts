/** The shapes of a Prometheus rule file (`{groups: ...}`), as promtool and the operator read them. */

export type Severity = "warning" | "critical";

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  /** `severity` is the only label (monitoring-mixin convention); routing keys on it. */
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** What `promtool check rules` reads and a PrometheusRule's `spec` holds. */
export interface RuleFile {
  groups: RuleGroup[];
}

export const isAlertingRule = (rule: Rule): rule is AlertingRule => "alert" in rule;
