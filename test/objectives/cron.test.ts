import { describe, expect, it } from "vitest";
import { cronMaxGapSeconds } from "../../components/core/cron";

const HOUR = 3600;
const DAY = 24 * HOUR;

describe("cronMaxGapSeconds", () => {
  it.each([
    ["15 * * * *", HOUR],
    ["0 2 * * *", DAY],
    ["15 */2 * * *", 2 * HOUR],
    ["0,30 * * * *", 1800],
    ["0 1,23 * * *", 22 * HOUR],
    ["0 2 * * 1-5", 3 * DAY],
    ["*/5 * * * *", 300],
    // A step from a start runs to the field's end: 5, 25, 45.
    ["5/20 * * * *", 20 * 60],
    // A stepped range stops at its end: 10, 15, 20, then 10 of the next hour.
    ["10-20/5 * * * *", 50 * 60],
    // Weekly, Sunday written as 0 or as 7: the gap wraps around the week.
    ["30 2 * * 0", 7 * DAY],
    ["30 2 * * 7", 7 * DAY],
    // Sunday as 0 and as 7 is one day, not two.
    ["30 2 * * 0,7", 7 * DAY],
    ["30 2 * * 5-7", 5 * DAY],
    // Saturday and Sunday: Sunday 23:00 to Saturday 01:00.
    ["0 1,23 * * 0,6", 5 * DAY + 2 * HOUR],
    ["59 23 * * *", DAY],
    ["  0   3 * * *  ", DAY],
  ])("%s: %i s", (cron, gap) => expect(cronMaxGapSeconds(cron)).toBe(gap));

  it.each([
    ["0 2 1 * *", 'cron "0 2 1 * *": day of month and month must be *'],
    ["0 2 * 1 *", 'cron "0 2 * 1 *": day of month and month must be *'],
    ["0 2 * *", 'cron: expected 5 fields, got "0 2 * *"'],
    ["0 2 * * * *", 'cron: expected 5 fields, got "0 2 * * * *"'],
    ["0 25 * * *", 'cron hour: "25" out of range'],
    ["60 * * * *", 'cron minute: "60" out of range'],
    ["*/0 * * * *", 'cron minute: "*/0" out of range'],
    ["0 2 * * 8", 'cron day of week: "8" out of range'],
    ["x * * * *", 'cron minute: cannot read "x"'],
    ["x5 * * * *", 'cron minute: cannot read "x5"'],
    ["5x * * * *", 'cron minute: cannot read "5x"'],
    ["0 2- * * *", 'cron hour: cannot read "2-"'],
    ["0 2 * * MON", 'cron day of week: cannot read "MON"'],
    ["0 1 * * 5-1", 'cron "0 1 * * 5-1" never runs'],
  ])("refuses %s, saying why", (cron, message) => {
    expect(() => cronMaxGapSeconds(cron)).toThrow(message);
  });
});
