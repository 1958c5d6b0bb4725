/**
 * node:crypto, loaded on its first use. Importing it costs a start about 4 ms (its ES module
 * facade reads every export, WebCrypto included), which `--help` and `validate` do not need:
 * the modules they load get it from here. process.getBuiltinModule: Node 20.16 and later.
 */
import type * as Crypto from "node:crypto";

/** Node keeps the module once loaded: each call after the first is a lookup. */
export function nodeCrypto(): typeof Crypto {
  return process.getBuiltinModule("node:crypto");
}
