import { commands } from "../../src/cli/commands/index.js";

test("every entry of the light command list loads the command it names and says", async () => {
  expect(commands.length).toBeGreaterThan(5);
  for (const entry of commands) {
    const command = await entry.load();
    expect({ name: command.name, summary: command.summary, hidden: command.hidden }).toEqual({
      name: entry.name,
      summary: entry.summary,
      hidden: entry.hidden,
    });
  }
});
