/**
 * The built CLI, for tests that run it as a child process (bin/partoo-links.js runs the
 * bundle, dist/bundle/main.mjs) or load its compiled modules (dist/src/). Both are built when
 * missing or older than src/, by one test file at a time: a lock directory keeps two jest
 * workers from writing dist/ at once, which could leave a half-written module for a child
 * process to load.
 */
import { execFile } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../../src/package-info.js";
import { withDirectoryLock } from "./dir-lock.js";

const root = packageRoot();
export const CLI_BIN = path.join(root, "bin", "partoo-links.js");
const MAIN = path.join(root, "dist", "src", "cli", "main.js");
const BUNDLE = path.join(root, "dist", "bundle", "main.mjs");
const BUNDLER = path.join(root, "scripts", "bundle-cli.js");
const LOCK = path.join(root, "dist", ".build-lock");
/** A lock older than this was left by a killed build. */
const STALE_LOCK_MS = 180_000;

/** Whether some source file is newer than its compiled module or the bundle (or no build). */
export async function distIsStale(): Promise<boolean> {
  const bundled = await stat(BUNDLE).catch(() => undefined);
  if (bundled === undefined || bundled.mtimeMs < (await stat(BUNDLER)).mtimeMs) return true;
  return sourcesNewerThan(path.join(root, "src"), bundled.mtimeMs);
}

async function sourcesNewerThan(dir: string, bundledMs: number): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (await sourcesNewerThan(file, bundledMs)) return true;
      continue;
    }
    if (!entry.name.endsWith(".ts")) continue;
    const built = path.join(root, "dist", path.relative(root, file)).replace(/\.ts$/, ".js");
    const [source, output] = await Promise.all([stat(file), stat(built).catch(() => undefined)]);
    if (output === undefined || output.mtimeMs < source.mtimeMs) return true;
    if (bundledMs < source.mtimeMs) return true;
  }
  return false;
}

/** Compiles the CLI if needed; resolves to the path of bin/partoo-links.js. */
export async function ensureCliBuilt(): Promise<string> {
  if (!(await distIsStale())) return CLI_BIN;
  await withDirectoryLock(LOCK, STALE_LOCK_MS, async () => {
    // Another worker may have built it while this one waited.
    if (await distIsStale()) await compile();
  });
  return CLI_BIN;
}

async function compile(): Promise<void> {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const started = Date.now();
  let output = "";
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    // Type errors in files being written elsewhere still emit: only a missing build fails.
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const built = await stat(MAIN).catch(() => undefined);
  if (built === undefined || built.mtimeMs < started - 1000) {
    throw new Error(`the CLI could not be built (tsc -p tsconfig.build.json):\n${output}`);
  }
  // esbuild strips types without checking them: it fails only on what it cannot parse.
  await promisify(execFile)(process.execPath, [BUNDLER], { cwd: root });
}
