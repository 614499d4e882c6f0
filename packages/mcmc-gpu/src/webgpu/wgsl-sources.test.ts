import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  REGENERATE_COMMAND,
  readWgslFiles,
  WGSL_MODULE_PATH,
  wgslModule,
} from "../../scripts/wgsl-module.js";
import { shaderSource } from "./shader-source.js";
import { WGSL_SOURCES, type WgslFile } from "./wgsl-sources.generated.js";

const STALE = `src/webgpu/wgsl-sources.generated.ts differs from shaders/*.wgsl; run \`${REGENERATE_COMMAND}\``;

describe("the WGSL module generated from shaders/", () => {
  const files = readWgslFiles();

  test("holds every .wgsl file of shaders/, byte for byte, and nothing else", () => {
    expect(Object.keys(WGSL_SOURCES).sort(), STALE).toEqual([...files.keys()]);
    for (const [name, text] of files) expect(WGSL_SOURCES[name as WgslFile], `${name}: ${STALE}`).toBe(text);
  });

  test("is exactly what the generator writes (no hand edits)", () => {
    expect(readFileSync(WGSL_MODULE_PATH, "utf8"), STALE).toBe(wgslModule(files));
  });

  test("the generator's string literals survive backticks, backslashes and template placeholders", () => {
    const text = ["// `x` \\ $", "{y} $z\n"].join(""); // a "$" "{" pair, which a template would expand
    const body = wgslModule(new Map([["a.wgsl", text]])).split("WGSL_SOURCES")[1];
    const literal = body.slice(body.indexOf("`"), body.lastIndexOf("`") + 1);
    expect(new Function(`return ${literal};`)()).toBe(text);
  });

  test("shaderSource concatenates the named files in order, each under a comment naming it", () => {
    const philox = files.get("philox.wgsl");
    const evalFile = files.get("philox_eval.wgsl");
    expect(shaderSource(["philox.wgsl", "philox_eval.wgsl"])).toBe(
      `// ---- philox.wgsl ----\n${philox}\n// ---- philox_eval.wgsl ----\n${evalFile}`,
    );
  });
});
