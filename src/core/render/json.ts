/** The plan as JSON, valid against schemas/plan.schema.json (the plan object is already JSON-shaped). */
import type { Plan } from "../plan.js";

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
