import { runCli } from "../../helpers/cli.js";

describe("the command line", () => {
  test("an unknown command is a one-line usage error with a suggestion", async () => {
    const result = await runCli(["valdate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^partoo-links: unknown command "valdate"/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("--help lists the commands and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: partoo-links <command>");
  });

  test("--version prints the package version", async () => {
    const result = await runCli(["--version"]);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  test("a misspelt command with two letters swapped suggests the command", async () => {
    const result = await runCli(["plna"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown command "plna" \(did you mean "plan"\?\)/);
  });

  test.each([
    [
      ["plan", "--only"],
      'plan: --only needs a value (CODE[,CODE…]); run "partoo-links plan --help"',
    ],
    [
      ["plan", "--only", "--live"],
      "plan: --only needs a value (CODE[,CODE…]); a value that starts with",
    ],
    [
      ["apply", "--max-deleted-links", "-1"],
      "--max-deleted-links -1: expected a whole number of at least 0",
    ],
    [["apply", "--concurrency", "-3"], "--concurrency -3: expected a whole number of at least 1"],
    [["drift", "--sample", "-.5"], "--sample -.5: expected a whole number of at least 1"],
    [["plan", "-x"], 'plan: unknown option -x; run "partoo-links plan --help"'],
    [["plan", "-h=3"], "plan: unknown option -= (in -h=3)"],
    [["plan", "--live=yes"], "plan: --live takes no value"],
    [
      ["plan", "--state", "state.json"],
      "--state state.json: no backend given; did you mean --state file:state.json?",
    ],
  ])("%j is one line: where, what, what to do", async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^partoo-links: [^\n]+\n$/);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/ambiguous|Did you forget|XYZ/);
  });
});
