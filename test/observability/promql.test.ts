/** The PromQL building blocks (components/observability/promql.ts): what they write and refuse. */
import { describe, expect, it } from "vitest";
import {
  aggregate,
  durationSeconds,
  eq,
  literal,
  minutes,
  ne,
  rate,
  selector,
} from "../../components/observability/promql";

describe("PromQL building blocks", () => {
  it("write durations in the largest whole unit, and read them back in seconds", () => {
    expect([minutes(5), minutes(60), minutes(90), minutes(2880)]).toEqual([
      "5m",
      "1h",
      "90m",
      "2d",
    ]);
    for (const n of [1, 5, 60, 90, 1440, 2880]) expect(durationSeconds(minutes(n))).toBe(n * 60);
    expect(durationSeconds("30s")).toBe(30);
  });

  it("refuse a duration they cannot write or read, naming it", () => {
    for (const n of [0, -5, 1.5])
      expect(() => minutes(n)).toThrow(`expected a positive whole number of minutes, got ${n}`);
    for (const d of ["5 minutes", "1h30m", "m"])
      expect(() => durationSeconds(d)).toThrow(`expected a duration such as 5m, got ${d}`);
  });

  it("print thresholds plainly and refuse what PromQL cannot compare with", () => {
    expect(literal(0.1 + 0.2)).toBe("0.3");
    expect([literal(95), literal(95 / 100)]).toEqual(["95", "0.95"]);
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => literal(n)).toThrow(`expected a finite threshold, got ${n}`);
  });

  it("build selectors, rates and aggregations that keep namespace first", () => {
    expect(selector("up")).toBe("up");
    expect(selector("up", eq("job", "redis"), ne("pod", ""))).toBe('up{job="redis", pod!=""}');
    expect(rate("x_total")).toBe("rate(x_total[5m])");
    expect(aggregate("sum", ["pod", "namespace"], "x")).toBe("sum by (namespace, pod) (x)");
  });
});
