/**
 * Expands the small subset of Prometheus' Go templates our annotations use, the way Prometheus
 * does, so promtool unit tests can state the exact annotations an alert must carry:
 * `{{ $labels.name }}`, `{{ $value | humanize }}`, `| humanizePercentage`, `| humanizeDuration`.
 * A label the alert does not carry is an error (a typo would otherwise render as "").
 */

/** Go's `%.4g`: 4 significant digits, trailing zeros dropped, exponent outside [-4, 4). */
export function goG4(v: number): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
  const [mantissa, exp] = v.toExponential(3).split("e") as [string, string];
  const e = Number(exp);
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e < -4 || e >= 4)
    return `${trim(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return trim(v.toFixed(Math.max(0, 3 - e)));
}

function siPrefix(v: number, up: string[], down: string[]): [number, string] {
  let prefix = "";
  if (Math.abs(v) >= 1) {
    for (const p of up) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return [v, prefix];
  }
  for (const p of down) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return [v, prefix];
}

const DOWN = ["m", "u", "n", "p", "f", "a", "z", "y"];

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goG4(v);
  const [scaled, prefix] = siPrefix(v, ["k", "M", "G", "T", "P", "E", "Z", "Y"], DOWN);
  return `${goG4(scaled)}${prefix}`;
}

export const humanizePercentage = (v: number) => `${goG4(v * 100)}%`;

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goG4(v);
  if (v === 0) return "0s";
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? "-" : "";
    const total = Math.trunc(Math.abs(v));
    const [s, m, h, d] = [
      total % 60,
      Math.trunc(total / 60) % 60,
      Math.trunc(total / 3600) % 24,
      Math.trunc(total / 86_400),
    ];
    if (d !== 0) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h !== 0) return `${sign}${h}h ${m}m ${s}s`;
    if (m !== 0) return `${sign}${m}m ${s}s`;
    return `${sign}${goG4(Math.abs(v))}s`;
  }
  const [scaled, prefix] = siPrefix(v, [], DOWN);
  return `${goG4(scaled)}${prefix}s`;
}

const FORMATS: Record<string, (v: number) => string> = {
  humanize,
  humanizePercentage,
  humanizeDuration,
};

export function expandTemplate(
  template: string,
  labels: Record<string, string>,
  value: number,
): string {
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_all, action: string) => {
    const label = /^\$labels\.([a-zA-Z_]\w*)$/.exec(action);
    if (label) {
      const v = labels[label[1]!];
      if (v === undefined)
        throw new Error(
          `template uses $labels.${label[1]} but the alert has no such label (${Object.keys(labels).join(", ")})`,
        );
      return v;
    }
    const piped = /^\$value\s*\|\s*(\w+)$/.exec(action);
    if (piped) {
      const format = FORMATS[piped[1]!];
      if (!format) throw new Error(`unsupported template function ${piped[1]}`);
      return format(value);
    }
    throw new Error(`unsupported template action {{ ${action} }}`);
  });
}
