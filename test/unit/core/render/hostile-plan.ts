/** A plan in which every value from outside is `value`: codes, addresses, types, URLs, messages. */
import type { LinkType } from "../../../../src/core/model.js";
import type { Plan } from "../../../../src/core/plan.js";

export function hostilePlan(value: string, stores = 2): Plan {
  const type = value as LinkType;
  return {
    mode: "live",
    stores: Array.from({ length: stores }, (_, index) => ({
      code: `${value} ${index}`,
      address: value,
      reason: "file-changed" as const,
      changes: [
        { type, op: "create" as const, url: value, preferred: true, origin: "drift" as const },
        {
          type: "SHOP_ONLINE" as const,
          op: "update" as const,
          url: value,
          preferred: false,
          wasPreferred: true,
          id: 7,
          origin: "pending" as const,
        },
        { type, op: "delete" as const, url: value, preferred: false, id: 8 },
      ],
      clearedTypes: [type],
      unmanagedTypes: [type],
      warnings: [value],
    })),
    removedStores: [{ code: value, address: value, pruned: false, managedTypes: [type] }],
    failedStores: [{ code: value, address: value, message: value }],
    warnings: [{ code: value, message: value }],
    summary: {
      storesToChange: stores,
      create: stores,
      update: stores,
      delete: stores,
      unchanged: 0,
      removed: 1,
      failed: 1,
      drift: stores,
    },
  };
}
