/**
 * stdout and stderr written on their file descriptors (src/cli/std-streams.ts), in a child
 * process whose stdout is a pipe, as in CI: every byte arrives, in order; a non-blocking pipe
 * that fills hands the rest to Node's stream; a reader that goes away ends the output quietly.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureCliBuilt } from "../../helpers/build-cli.js";
import { packageRoot } from "../../../src/package-info.js";

const MODULE = new URL(`file://${path.join(packageRoot(), "dist", "src", "cli", "std-streams.js")}`)
  .href;

beforeAll(() => ensureCliBuilt(), 120_000);

interface ChildRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `body` (an ES module using stdWriter and isTerminal) with stdout a pipe. */
function runChild(
  body: string,
  options: { readAfterMs?: number; closeAfterBytes?: number; stdout?: number } = {},
): Promise<ChildRun> {
  const source = `import { stdWriter, isTerminal } from ${JSON.stringify(MODULE)};\n${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "--eval", source], {
      stdio: ["ignore", options.stdout ?? "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let received = 0;
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    if (child.stdout !== null) {
      if (options.readAfterMs !== undefined) {
        child.stdout.pause();
        setTimeout(() => child.stdout!.resume(), options.readAfterMs);
      }
      child.stdout.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (options.closeAfterBytes !== undefined && received >= options.closeAfterBytes) {
          child.stdout!.destroy();
        }
      });
    }
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr }));
  });
}

/**
 * 2 MB of numbered lines with multi-byte characters, so that order and encoding show, and
 * writeLines(out): writes them 1,000 lines a write; returns how many writes were kept.
 */
const LINES = `const lines = []; for (let i = 0; i < 40000; i++) lines.push(\`\${i} é→ ${"x".repeat(30)}\\n\`);
const writeLines = (out) => {
  let kept = 0;
  for (let i = 0; i < lines.length; i += 1000) if (out.write(lines.slice(i, i + 1000).join(""))) kept++;
  return kept;
};`;
const expectedLines = () =>
  Array.from({ length: 40000 }, (_, i) => `${i} é→ ${"x".repeat(30)}\n`).join("");

test("everything written to a pipe arrives whole and in order, stderr apart", async () => {
  const run = await runChild(`${LINES}
const out = stdWriter(1), err = stdWriter(2);
err.write("start\\n");
writeLines(out);
err.write("end " + isTerminal(1) + " " + isTerminal(2) + "\\n");`);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe("start\nend false false\n");
  expect(run.stdout.toString("utf8")).toBe(expectedLines());
});

test("a non-blocking pipe that fills gets the rest through Node's stream, in order", async () => {
  // Creating process.stdout makes the pipe non-blocking: writes beyond its buffer would fail
  // with EAGAIN while the reader waits.
  const run = await runChild(
    `${LINES}
void process.stdout;
writeLines(stdWriter(1));`,
    { readAfterMs: 300 },
  );
  expect(run.code).toBe(0);
  expect(run.stderr).toBe("");
  expect(run.stdout.toString("utf8")).toBe(expectedLines());
});

test("a reader that goes away ends the output without an error", async () => {
  const run = await runChild(
    `${LINES}
const out = stdWriter(1);
let kept = 0;
for (let round = 0; round < 20; round++) {
  kept += writeLines(out);
  await new Promise((resolve) => setTimeout(resolve, 5));
}
stdWriter(2).write("stopped after " + (kept < 800 ? "fewer" : "all") + " writes\\n");`,
    { closeAfterBytes: 100_000 },
  );
  expect(run.stderr).toBe("stopped after fewer writes\n");
  expect(run.code).toBe(0);
});

test("a file is not a terminal, and gets the output too", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "partoo-links-std-"));
  const file = path.join(dir, "out.txt");
  const fd = openSync(file, "w");
  try {
    const run = await runChild(`stdWriter(1).write("to a file " + isTerminal(1) + "\\n");`, {
      stdout: fd,
    });
    expect(run.code).toBe(0);
    expect(await readFile(file, "utf8")).toBe("to a file false\n");
  } finally {
    closeSync(fd);
    await rm(dir, { recursive: true, force: true });
  }
});
