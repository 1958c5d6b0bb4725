/**
 * One escaping layer per output format, checked with hostile values: alone through each
 * escaper, and through the real renderers of a plan whose every outside value is hostile.
 */
import {
  escapeHtml,
  escapeMarkdown,
  escapeTextValue,
  guardCommands,
  markdownCode,
  oneLine,
} from "../../../../src/core/render/escape.js";
import { annotation, escapeData, escapeProperty } from "../../../../src/core/render/annotations.js";
import { renderPlanGithub } from "../../../../src/core/render/github.js";
import { renderPlanMarkdown } from "../../../../src/core/render/markdown.js";
import { renderPlanText } from "../../../../src/core/render/text.js";
import { renderApplyMarkdown } from "../../../../src/core/render/apply.js";
import {
  HOSTILE_VALUES,
  cellBoundaries,
  markdownProblems,
  textProblems,
} from "../../../fixtures/hostile/output.js";
import { hostilePlan } from "./hostile-plan.js";

/** What a reader sees of escaped Markdown text: escapes resolved, entities decoded. */
function rendered(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/&#8203;/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("text values", () => {
  test.each(HOSTILE_VALUES)("%j is one visible line that is no workflow command", (value) => {
    const escaped = escapeTextValue(value);
    expect(textProblems(escaped)).toEqual([]);
    expect(escaped).not.toContain("\n");
  });

  test("keep what is visible and only drop what is not", () => {
    expect(escapeTextValue("a\r\nb\rc\nd\te")).toBe("a b c d e");
    expect(escapeTextValue("x\u001b[31my\u202ez\u009b")).toBe("x[31myz");
    expect(escapeTextValue("https://shop.example.com/paris-01?a=1")).toBe(
      "https://shop.example.com/paris-01?a=1",
    );
  });

  test("never start a workflow command, even after spaces", () => {
    expect(escapeTextValue("::error::x")).toBe("\\::error::x");
    expect(escapeTextValue("\n  ::warning::x")).toBe("   \\::warning::x");
    expect(guardCommands("ok\n::error::x\n  ::notice::y\nz ::a::b")).toBe(
      "ok\n\\::error::x\n  \\::notice::y\nz ::a::b",
    );
    expect(escapeTextValue("a ##[error]b")).toBe("a ##\\[error]b");
  });
});

describe("Markdown values", () => {
  test.each(HOSTILE_VALUES)("%j renders as its own literal text and nothing else", (value) => {
    const escaped = escapeMarkdown(value);
    expect(markdownProblems(escaped)).toEqual([]);
    expect(cellBoundaries(escaped)).toBe(0);
    expect(rendered(escaped)).toBe(oneLine(value).replace(/^ +/, ""));
  });

  test("break mentions and references with a zero-width space, visible in the source", () => {
    expect(escapeMarkdown("@octocat #12 GH-3")).toBe("@&#8203;octocat #&#8203;12 GH&#8203;-3");
  });

  test("escape what is markup only at the start of a line", () => {
    expect(["- a", "+ b", "= c", "12. d", "3) e", "> f"].map(escapeMarkdown)).toEqual([
      "\\- a",
      "\\+ b",
      "\\= c",
      "12\\. d",
      "3\\) e",
      "&gt; f",
    ]);
  });

  test("leave ordinary text readable", () => {
    expect(escapeMarkdown("paris-01 has 2 links, 1 preferred.")).toBe(
      "paris-01 has 2 links, 1 preferred.",
    );
  });

  test.each(HOSTILE_VALUES)("%j in a code position cannot leave it", (value) => {
    const escaped = markdownCode(value);
    expect(markdownProblems(escaped)).toEqual([]);
    expect(cellBoundaries(escaped)).toBe(0);
  });

  test("a plain code or type stays a code span", () => {
    expect(markdownCode("SHOP_ONLINE")).toBe("`SHOP_ONLINE`");
    expect(markdownCode("stores/paris-01.yaml")).toBe("`stores/paris-01.yaml`");
    expect(markdownCode("a`b")).toBe("a\\`b");
  });

  test.each(HOSTILE_VALUES)("%j inside HTML is entities only", (value) => {
    const escaped = escapeHtml(value);
    expect(escaped).not.toMatch(/[<>"'`]/);
    expect(markdownProblems(escaped)).toEqual([]);
  });
});

describe("GitHub workflow commands, with @actions/core's escaping", () => {
  // The rules of @actions/core's command.ts (escapeData, escapeProperty), as its tests state them.
  test("message data: %, CR and LF", () => {
    expect(escapeData("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad:e,f");
    expect(escapeData("%0A")).toBe("%250A");
  });

  test("properties: also : and ,", () => {
    expect(escapeProperty("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad%3Ae%2Cf");
  });

  test("an annotation is ::level key=value,…::message, like core.error(message, properties)", () => {
    expect(
      annotation("error", "bad\nthing", {
        file: "stores/a,b.yaml",
        line: 3,
        column: 9,
        title: "t:1",
      }),
    ).toBe("::error file=stores/a%2Cb.yaml,line=3,col=9,title=t%3A1::bad%0Athing\n");
    expect(annotation("notice", "x")).toBe("::notice::x\n");
  });

  test.each(HOSTILE_VALUES)("%j stays on its annotation's one line", (value) => {
    const line = annotation("warning", value, { file: value, title: value });
    expect(line.endsWith("\n")).toBe(true);
    // One line, and nothing of the value ends the properties or starts another command.
    expect(line).toMatch(/^::warning file=[^:\r\n]*,title=[^:\r\n]*::[^\r\n]*\n$/);
  });
});

describe("the plan renderers with hostile values everywhere", () => {
  test.each(HOSTILE_VALUES)("text: %j", (value) => {
    const text = renderPlanText(hostilePlan(value), { color: false });
    expect(textProblems(text)).toEqual([]);
    // As many lines as with a harmless value: no value added a line.
    expect(text.split("\n")).toHaveLength(
      renderPlanText(hostilePlan("harmless"), { color: false }).split("\n").length,
    );
  });

  test.each(HOSTILE_VALUES)("github: %j gives exactly its own annotations", (value) => {
    const plan = hostilePlan(value);
    const output = renderPlanGithub(plan, { fileOf: () => value });
    // One per store, one per store warning, one per plan warning and one per failure.
    const expected = plan.stores.length * 2 + plan.warnings.length + plan.failedStores.length;
    const text = output.slice(0, output.indexOf("\n::") + 1);
    expect(textProblems(text)).toEqual([]);
    const commands = output.split("\n").filter((line) => /^\s*::/.test(line));
    expect(commands).toHaveLength(expected);
    for (const command of commands)
      expect(command).toMatch(/^::(notice|warning|error) file=[^:]*::/);
  });

  test.each(HOSTILE_VALUES)("markdown: %j", (value) => {
    const markdown = renderPlanMarkdown(hostilePlan(value));
    expect(markdownProblems(markdown)).toEqual([]);
    const rows = markdown.split("\n").filter((line) => line.startsWith("| "));
    for (const row of rows) expect(cellBoundaries(row)).toBe(6);
  });

  test.each(HOSTILE_VALUES)("markdown folded in <details>: %j", (value) => {
    const markdown = renderPlanMarkdown(hostilePlan(value, 8));
    expect(markdown.match(/<details>/g)).toHaveLength(8);
    expect(markdownProblems(markdown)).toEqual([]);
  });

  test.each(HOSTILE_VALUES)("apply Markdown report: %j", (value) => {
    const markdown = renderApplyMarkdown({
      outcomes: [{ code: "paris-01", status: "failed", message: value }],
      unmanaged: [],
      stoppedBy: "state",
      stopMessage: value,
      requests: 1,
      rateLimited: 0,
      durationMs: 10,
    });
    expect(markdownProblems(markdown)).toEqual([]);
    const rows = markdown.split("\n").filter((line) => line.startsWith("| `paris-01`"));
    expect(rows).toHaveLength(1);
    expect(cellBoundaries(rows[0]!)).toBe(4);
  });
});
