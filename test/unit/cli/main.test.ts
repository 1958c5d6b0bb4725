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
});
