// `node --import ./module-log.mjs …`: appends the URL of every module the process loads, one a
// line, to the file named by PHYSML_MODULE_LOG (the hooks run on their own thread, so they write
// the file themselves). The load tests read it to see which packages a command imported.
import { register } from "node:module";

register("./module-log-hooks.mjs", import.meta.url, { data: { log: process.env.PHYSML_MODULE_LOG } });
