/**
 * The module graph of src/ has no cycles (type-only imports count: they are arrows too). The
 * lint rule keeps the arrows between parts; this keeps a part from importing itself round.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../src/package-info.js";

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/g;

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function graph(files: readonly string[]): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(IMPORT)]
      .map((match) => path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, ".ts")))
      .filter((target) => target.endsWith(".ts"));
    edges.set(file, targets);
  }
  return edges;
}

/** Every cycle found by a depth-first search, each as the list of its modules. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

const root = packageRoot();
const relative = (cycle: string[]) => cycle.map((file) => path.relative(root, file)).join(" → ");

test("src/ has no import cycles", () => {
  const edges = graph(modules(path.join(root, "src")));
  expect(edges.size).toBeGreaterThan(50);
  // The search reads real imports: main imports the command list.
  expect(edges.get(path.join(root, "src/cli/main.ts"))).toContain(
    path.join(root, "src/cli/commands/index.ts"),
  );
  expect(cycles(edges).map(relative)).toEqual([]);
});

test("the search finds a cycle when there is one", () => {
  const edges = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
    ["d", ["a"]],
  ]);
  expect(cycles(edges)).toEqual([["a", "b", "c"]]);
});

test("one atomic writer: no module but state/atomic-write.ts renames files itself", () => {
  const renaming = modules(path.join(root, "src"))
    .filter((file) =>
      /import\s*{[^}]*\brename\b[^}]*}\s*from "node:fs/.test(readFileSync(file, "utf8")),
    )
    .map((file) => path.relative(root, file));
  expect(renaming).toEqual(["src/state/atomic-write.ts"]);
});

test("the c-{code} address is spelled in core/model.ts alone (the emulator keeps its own)", () => {
  const spelling = /["`]c-(?:["`]|\$\{)/;
  const spelled = modules(path.join(root, "src"))
    .map((file) => path.relative(root, file))
    .filter((file) => !file.startsWith("src/emulator/"))
    .filter((file) => spelling.test(readFileSync(path.join(root, file), "utf8")));
  expect(spelled).toEqual(["src/core/model.ts"]);
});
