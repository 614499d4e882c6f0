// Every subcommand, in help order. Add one import and one entry per command file.
import type { Command } from "../command.js";
import { dualCommand } from "./dual.js";
import { DUALITY_COMMANDS } from "./duality.js";
import { exactCommands } from "./exact.js";
import { INTEGRABILITY_COMMANDS } from "./integrability.js";
import { mcmcCommand } from "./mcmc.js";

export const COMMANDS: Command[] = [...exactCommands, dualCommand, mcmcCommand, ...DUALITY_COMMANDS];
COMMANDS.push(...INTEGRABILITY_COMMANDS);
