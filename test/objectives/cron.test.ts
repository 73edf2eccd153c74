import { describe, expect, it } from "vitest";
import { cronMaxGapSeconds } from "../../components/core/cron";

describe("cronMaxGapSeconds", () => {
  it.each([
    ["15 * * * *", 3600],
    ["0 2 * * *", 86_400],
    ["15 */2 * * *", 7200],
    ["0,30 * * * *", 1800],
    ["0 1,23 * * *", 22 * 3600],
    ["0 2 * * 1-5", 3 * 86_400],
    ["*/5 * * * *", 300],
  ])("%s: %i s", (cron, gap) => expect(cronMaxGapSeconds(cron)).toBe(gap));

  it("refuses what it cannot judge", () => {
    expect(() => cronMaxGapSeconds("0 2 1 * *")).toThrow(/day of month/);
    expect(() => cronMaxGapSeconds("0 2 * *")).toThrow(/5 fields/);
    expect(() => cronMaxGapSeconds("0 25 * * *")).toThrow(/out of range/);
  });
});
