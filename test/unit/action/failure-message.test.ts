import { failureMessage } from "../../../src/action/failure-message.js";

describe("a failed step says why in one line, from the JSON report", () => {
  test("apply names the first failed store, its reason and how many more failed", () => {
    const report = JSON.stringify({
      outcomes: [
        { code: "a", status: "applied" },
        { code: "b", status: "failed", message: "Partoo POST …: 400 INVALID_URL" },
        { code: "c", status: "refused", message: "cap" },
      ],
    });
    expect(failureMessage("apply", 1, report)).toBe(
      "partoo-links apply: b: Partoo POST …: 400 INVALID_URL (and 1 more stores)",
    );
  });

  test("plan and drift use the stores that could not be read", () => {
    const report = JSON.stringify({ failedStores: [{ code: "x", message: "404" }] });
    expect(failureMessage("drift", 1, report)).toBe("partoo-links drift: x: 404");
  });

  test("validate counts the errors annotated on the files", () => {
    const report = JSON.stringify({ errors: [{}, {}], warnings: [] });
    expect(failureMessage("validate", 1, report)).toMatch(/^partoo-links validate: 2 errors /);
  });

  test("a deadline stop says to run again", () => {
    expect(failureMessage("apply", 3, "{}")).toContain("run the workflow again to resume");
  });

  test.each(["", "not json", "null", "[1]", '{"outcomes": "x"}', '{"failedStores": [null, 3]}'])(
    "a missing or malformed report %j gives the generic line",
    (report) => {
      expect(failureMessage("plan", 1, report)).toBe(
        "partoo-links plan exited 1; see the log above and the report",
      );
    },
  );

  test("a long hostile message is cut", () => {
    const report = JSON.stringify({ failedStores: [{ code: "x", message: "y".repeat(5000) }] });
    expect(failureMessage("plan", 1, report).length).toBeLessThan(400);
  });
});
