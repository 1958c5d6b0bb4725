import { readFileSync } from "node:fs";
import path from "node:path";
import { loadStores } from "../../../src/files/index.js";
import { generateStoresInTempDir } from "../../bench/generate-stores.js";

describe("the benchmark's store generator", () => {
  test("writes valid store files that load back to exactly the stores it returns", async () => {
    const { dir, stores, remove } = await generateStoresInTempDir(300, { seed: 7 });
    try {
      const result = await loadStores(dir, { displayRoot: dir });
      expect(result.issues).toEqual([]);
      const byCode = new Map(stores.map((store) => [store.code, store]));
      expect(result.stores).toHaveLength(300);
      for (const loaded of result.stores) expect(loaded.store).toEqual(byCode.get(loaded.code));
      expect(stores.some((store) => store.businessId !== undefined)).toBe(true);
      expect(readFileSync(path.join(dir, `${stores[0]!.code}.yaml`), "utf8")).toMatch(
        /^# yaml-language-server: \$schema=/,
      );
    } finally {
      await remove();
    }
  });
});
