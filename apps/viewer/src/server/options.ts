// The viewer's options as a schema: the port's range lives here, and `physml view` builds its
// flag and help from it.
import { z } from "zod";

/** Options of `physml view` / {@link startViewer} beyond the runs directory. */
export const viewerOptionsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(0).meta({
      flag: "port",
      description: "port on 127.0.0.1 (0: a free one, printed)",
    }),
  })
  .strict();
