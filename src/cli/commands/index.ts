import type { Command } from "../command.js";
import { emulatorCommand } from "./emulator.js";
import { planCommand } from "./plan.js";
import { validateCommand } from "./validate.js";

/** Every command, in the order the help lists them. */
export const commands: readonly Command[] = [validateCommand, planCommand, emulatorCommand];
