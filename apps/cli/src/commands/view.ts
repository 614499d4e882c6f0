// `physml view [runs-dir]`: the local web viewer (@physml/viewer) on 127.0.0.1 until Ctrl-C.
import { existsSync, statSync } from "node:fs";
import { startViewer, ViewerPortError, viewerOptionsSchema } from "@physml/viewer";
import type { CommandBody } from "../command.js";
import { ArgError, boolFlag, emit, FlagError } from "../flags.js";
import { configFlags, flagSpecs, optionsFromFlags } from "../schema-flags.js";
import { currentSummary } from "../stored-fields.js";

const VIEW_FLAGS = configFlags(viewerOptionsSchema);

export const viewCommand: CommandBody = {
  options: viewerOptionsSchema,
  flags: flagSpecs(VIEW_FLAGS),
  args: [{ name: "runs-dir", description: "directory holding runs, sweeps included (default: runs)" }],
  examples: ["physml view", "physml view runs/sweep --port 8090"],
  async run(flags, io, args = []) {
    const { port } = optionsFromFlags(viewerOptionsSchema, VIEW_FLAGS, flags);
    const root = args[0] ?? "runs";
    if (!existsSync(root) || !statSync(root).isDirectory())
      throw new ArgError("runs-dir", "an existing directory", root);
    let viewer: Awaited<ReturnType<typeof startViewer>>;
    try {
      // Runs written before a field was renamed or added read as `runs show` reads them.
      viewer = await startViewer({ root, port, current: currentSummary });
    } catch (e) {
      if (e instanceof ViewerPortError)
        throw new FlagError("port", "a free port (0 picks one)", String(port), "in use");
      throw e;
    }
    emit(
      io,
      boolFlag(flags, "json"),
      { url: viewer.url, port: viewer.port, root },
      () => `physml view: ${root} at ${viewer.url} (only 127.0.0.1; Ctrl-C stops it)`,
    );
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        void viewer.close().then(done);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
};
