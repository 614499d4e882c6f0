// The client (src/client) is built into dist/client, which the server serves and the package ships.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL("src/client", import.meta.url)),
  base: "./",
  build: {
    outDir: fileURLToPath(new URL("dist/client", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 200,
  },
});
