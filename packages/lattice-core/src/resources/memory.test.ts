// Memory limits: sizes in words against powers of 1024, the default limit against a free memory
// and a cgroup limit set by the test (node:os and process.constrainedMemory stubbed), and the
// refusal against the byte length of the typed arrays a run would allocate.
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { parseOptions, unwrapOption } from "../options/schema.js";
import { refusal, refusalMessage } from "../testing/refusal.js";
import { formatBytes, parseBytes } from "./bytes.js";
import { defaultMemoryLimit, maxMemoryOption, memoryLimit, refuseAboveMemoryLimit } from "./memory.js";

const os = vi.hoisted(() => ({ free: 10_000 }));
vi.mock("node:os", async (original) => ({
  ...(await original<typeof import("node:os")>()),
  freemem: () => os.free,
}));

const constrained = Object.getOwnPropertyDescriptor(process, "constrainedMemory");
function setConstrained(value: unknown): void {
  Object.defineProperty(process, "constrainedMemory", { value, configurable: true, writable: true });
}
afterEach(() => {
  if (constrained) Object.defineProperty(process, "constrainedMemory", constrained);
  os.free = 10_000;
});

describe("formatBytes", () => {
  it("divides by 1024 while the value is at least 1024, up to PB; 3 digits below 100, none from 100", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1.00 KB");
    expect(formatBytes(1536)).toBe("1.50 KB");
    expect(formatBytes(99 * 1024)).toBe("99.0 KB");
    expect(formatBytes(100 * 1024)).toBe("100 KB");
    expect(formatBytes(1024 ** 2 - 1)).toBe("1024 KB");
    expect(formatBytes(1024 ** 2)).toBe("1.00 MB");
    expect(formatBytes(4 * 1024 ** 3)).toBe("4.00 GB");
    expect(formatBytes(1.5 * 1024 ** 4)).toBe("1.50 TB");
    expect(formatBytes(1024 ** 5)).toBe("1.00 PB");
    expect(formatBytes(2 * 1024 ** 6)).toBe("2048 PB");
  });
});

describe("parseBytes", () => {
  it("reads integers and decimals with K, M, G, T (any case, optional B or iB, spaces around)", () => {
    expect(parseBytes("2000000")).toBe(2_000_000);
    expect(parseBytes("4G")).toBe(4 * 2 ** 30);
    expect(parseBytes("512M")).toBe(512 * 2 ** 20);
    expect(parseBytes("1.5GB")).toBe(1.5 * 2 ** 30);
    expect(parseBytes("  8k ")).toBe(8192);
    expect(parseBytes("2KiB")).toBe(2048);
    expect(parseBytes("3 mb")).toBe(3 * 2 ** 20);
    expect(parseBytes("1t")).toBe(2 ** 40);
    expect(parseBytes("7B")).toBe(7);
    expect(parseBytes("1.5")).toBe(1);
    expect(parseBytes("0.5K")).toBe(512);
    expect(parseBytes("1.25K")).toBe(1280);
  });

  it("gives null for anything else, for sizes below one byte and for sizes beyond a double", () => {
    for (const text of [
      "0.4",
      "0.999B",
      "",
      "G",
      "-1",
      "1e3",
      ".5",
      "5.",
      "4X",
      "4GG",
      "x4G",
      "4Gx",
      "4 G B",
      "0",
      "0.0G",
      "9".repeat(400),
    ]) {
      expect(parseBytes(text)).toBeNull();
    }
  });
});

describe("the default limit", () => {
  it("is 80% of the free memory, or of a smaller cgroup limit, rounded down", () => {
    os.free = 10_001;
    setConstrained(() => 0);
    expect(defaultMemoryLimit()).toBe(8000);
    setConstrained(() => 5_000);
    expect(defaultMemoryLimit()).toBe(4000);
    setConstrained(() => 10_001);
    expect(defaultMemoryLimit()).toBe(8000);
    setConstrained(() => -5);
    expect(defaultMemoryLimit()).toBe(8000);
    setConstrained(() => 20_000);
    expect(defaultMemoryLimit()).toBe(8000);
    setConstrained(() => undefined);
    expect(defaultMemoryLimit()).toBe(8000);
    setConstrained(undefined);
    expect(defaultMemoryLimit()).toBe(8000);
    expect(memoryLimit(undefined)).toBe(8000);
    expect(memoryLimit("1K")).toBe(1024);
  });
});

describe("refuseAboveMemoryLimit", () => {
  it("passes an estimate equal to the limit and refuses one byte more, naming field, sizes and advice", () => {
    // The run would allocate 128 doubles: 1024 bytes.
    const doubles = new Float64Array(128).byteLength;
    expect(refuseAboveMemoryLimit(doubles, "1K", { field: "points", received: 128 })).toBe(1024);
    const e = refusal(() =>
      refuseAboveMemoryLimit(doubles + new Int8Array(1).byteLength, "1K", {
        field: "points",
        received: 129,
        what: "129 points",
        parts: "128 doubles and 1 byte",
        advice: "lower --points",
      }),
    );
    expect([e.field, e.received]).toEqual(["points", 129]);
    expect(e.message).toBe(
      "points: expected a run that fits in the memory limit of 1.00 KB (--max-memory): 129 points needs ≈ 1.00 KB " +
        "(128 doubles and 1 byte); lower --points, got 129",
    );
    setConstrained(() => 0);
    os.free = 1000;
    expect(refuseAboveMemoryLimit(800, undefined, { field: "L", received: 8 })).toBe(800);
    expect(
      refusalMessage(() =>
        refuseAboveMemoryLimit(new Float32Array(201).byteLength, undefined, { field: "L", received: 8 }),
      ),
    ).toBe(
      "L: expected a run that fits in the memory limit of 800 B (80% of the free memory; --max-memory): this one needs ≈ 804 B, got 8",
    );
  });
});

describe("the --max-memory option", () => {
  const schema = z.object({ maxMemory: maxMemoryOption }).strict();

  it("accepts sizes, may be absent, and refuses anything else with its allowed words", () => {
    expect(parseOptions(schema, { maxMemory: "4G" })).toEqual({ maxMemory: "4G" });
    expect(parseOptions(schema, {})).toEqual({});
    expect(refusalMessage(() => parseOptions(schema, { maxMemory: "4X" }))).toBe(
      "maxMemory: expected a size such as 4G, 512M or 1000000 (bytes), got 4X",
    );
    expect(refusalMessage(() => parseOptions(schema, { maxMemory: "0" }))).toBe(
      "maxMemory: expected a size such as 4G, 512M or 1000000 (bytes), got 0",
    );
    const { meta } = unwrapOption(maxMemoryOption);
    expect(meta.flag).toBe("max-memory");
    expect(meta.defaultText).toBe("80% of the free memory");
    expect(meta.description ?? "").not.toBe("");
  });
});
