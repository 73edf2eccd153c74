/** The whole rule file: recording groups first, then the alerts that read them. */
import { stringify } from "yaml";
import type { ObservabilityConfig } from "../../config";
import { alertDefinitions, alertingRule, type AlertConfig } from "./alerts";
import { recordingRuleGroups } from "./recording";
import type { RuleFile } from "./rule-types";

export const ALERTS_GROUP = "vega.alerts";

export function vegaRuleFile(
  o: AlertConfig & Pick<ObservabilityConfig, "runbookBaseUrl">,
  namespace: string,
): RuleFile {
  return {
    groups: [
      ...recordingRuleGroups(o.thresholds, namespace),
      { name: ALERTS_GROUP, rules: alertDefinitions(o).map((def) => alertingRule(def, o)) },
    ],
  };
}

/** The plain rule file `promtool check rules` reads (not the PrometheusRule manifest). */
export function renderRuleFile(file: RuleFile): string {
  // lineWidth 0: never fold a long PromQL expression onto a continuation line.
  // Stryker disable next-line ObjectLiteral: folding long lines changes the text, not what YAML reads
  return stringify(file, { lineWidth: 0 });
}
