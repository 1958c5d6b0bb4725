import { ArgsSyntaxError, splitArgs } from "../../../src/action/split-args.js";

describe("splitArgs splits the args input as a shell splits words", () => {
  test.each([
    ["", []],
    ["   \n\t ", []],
    ["--deadline 300", ["--deadline", "300"]],
    ["  --only   paris-01  ", ["--only", "paris-01"]],
    ["--only\tparis-01\n--repair", ["--only", "paris-01", "--repair"]],
    ["--only 'paris-01,lyon 02'", ["--only", "paris-01,lyon 02"]],
    ['--only "paris-01 lyon-01"', ["--only", "paris-01 lyon-01"]],
    ['--only="a b"c', ["--only=a bc"]],
    ["a' 'b", ["a b"]],
    ["'' \"\"", ["", ""]],
    ["a\\ b", ["a b"]],
    ["\\'quoted\\'", ["'quoted'"]],
    ['"say \\"hi\\""', ['say "hi"']],
    ['"back\\\\slash"', ["back\\slash"]],
    ['"keep \\n literal"', ["keep \\n literal"]],
    ["'single \\ stays'", ["single \\ stays"]],
    ["--deadline \\\n300", ["--deadline", "300"]],
    ["abc\\\ndef", ["abcdef"]],
    ["--a\r\n--b", ["--a", "--b"]],
  ])("%j gives %j", (text, words) => {
    expect(splitArgs(text)).toEqual(words);
  });

  test.each([
    ["$HOME", ["$HOME"]],
    ["$(rm -rf /)", ["$(rm", "-rf", "/)"]],
    ['"$(id)"', ["$(id)"]],
    ["`id`", ["`id`"]],
    ["*.yaml ~", ["*.yaml", "~"]],
    ["a;b|c&&d >e", ["a;b|c&&d", ">e"]],
  ])("expands nothing and runs nothing: %j gives %j", (text, words) => {
    expect(splitArgs(text)).toEqual(words);
  });

  test.each([["--only 'paris"], ['--only "paris'], ['"a\\"'], ["trailing \\"]])(
    "refuses %j with a one-line message",
    (text) => {
      expect(() => splitArgs(text)).toThrow(ArgsSyntaxError);
      try {
        splitArgs(text);
      } catch (error) {
        expect((error as Error).message).toMatch(/^args: /);
        expect((error as Error).message).not.toContain("\n");
      }
    },
  );
});
