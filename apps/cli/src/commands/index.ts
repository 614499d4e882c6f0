// Every subcommand, in help order. Add one import and one entry per command file.
import type { Command } from "../command.js";

export const COMMANDS: Command[] = [];
