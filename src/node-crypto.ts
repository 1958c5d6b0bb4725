/**
 * node:crypto, loaded on its first use. Importing it costs a start about 4 ms (its ES module
 * facade reads every export, WebCrypto included), which `--help` and `validate` do not need:
 * the modules they load get it from here. process.getBuiltinModule: Node 20.16 and later.
 */
import type * as Crypto from "node:crypto";

let loaded: typeof Crypto | undefined;

export function nodeCrypto(): typeof Crypto {
  return (loaded ??= process.getBuiltinModule("node:crypto"));
}
