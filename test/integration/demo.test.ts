import { runCli } from "../helpers/cli.js";

describe("the npm start demo", () => {
  test("runs every step against the built-in emulator and exits 0", async () => {
    const result = await runCli(["demo"]);
    expect(result.stderr).not.toMatch(/internal error/);
    // The examples follow Google's rules too: no warning to explain away on the first step.
    expect(result.stdout).toContain("$ partoo-links validate\n5 store files valid\n(exit 0)");
    expect(result.stdout).toContain("━━ 9/9 Drift check again: clean");
    expect(result.stdout).toContain("Demo complete: every step went as expected");
    // The manual change is reported as drift of the managed type only, inherited from the
    // restaurant profile of the example fleet file, and changed back in place.
    expect(result.stdout).toMatch(
      /~ https:\/\/competitor\.example\.org\/paris-01 → https:\/\/order\.bistro\.example\.com\/paris-01 \(preferred\) \(id 9001, drift, from partoo-links\.yaml:\d+\)/,
    );
    expect(result.stdout).not.toMatch(/new-collection.*drift/);
    expect(result.code).toBe(0);
  }, 60_000);
});
