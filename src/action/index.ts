/** The Action's runtime entry point (action.yml `runs.main` is its bundle, dist-action/index.js). */
import { isMainThread } from "node:worker_threads";
import * as core from "@actions/core";
import { runAction } from "./run-action.js";

if (!isMainThread) {
  // The bundle is a single file: a worker thread checking store files starts it too, and
  // loading that module makes it serve (src/files/store-workers.ts).
  await import("../files/store-workers.js");
} else {
  try {
    await runAction(process.env, process.cwd());
  } catch (error) {
    // runAction reports every expected failure itself: this is a bug, kept to one line.
    core.setFailed(
      `partoo-links action: internal error: ${String((error as Error)?.message ?? error).split("\n", 1)[0]}`,
    );
  }
}
