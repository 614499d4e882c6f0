import { PhysmlInputError, parseOptions } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { analyseNoScale, parseKahler } from "./index.js";
import { generatorsOptionsSchema, noscaleOptionsSchema, parseInterval, parseParameters } from "./options.js";

describe("symmetry option parsers", () => {
  it("parameters name=number, intervals lo:hi", () => {
    expect(parseParameters("xi=0.01, a=2")).toEqual({ xi: 0.01, a: 2 });
    expect(parseParameters("")).toEqual({});
    for (const bad of ["xi", "xi=", "xi=a", "1x=2", "a=1=2", "a=0x10"])
      expect(parseParameters(bad), bad).toBeNull();
    expect(parseInterval("-1:1")).toEqual([-1, 1]);
    for (const bad of ["2:1", "1:1", "1", "a:b", "1:2:3", ":1"]) expect(parseInterval(bad), bad).toBeNull();
  });

  it("noscale: defaults, parsed parameters and ranges; a bad interval names its field", () => {
    expect(parseOptions(noscaleOptionsSchema, { kahler: "-3*log(T + conj(T))" })).toEqual({
      kahler: "-3*log(T + conj(T))",
      param: {},
      points: 64,
      re: [0.5, 2],
      im: [-1, 1],
      seed: 1,
    });
    expect(() => parseOptions(noscaleOptionsSchema, { kahler: "x", re: "2:1" })).toThrow(
      /re: expected lo:hi with finite lo < hi/,
    );
    // An empty range has no points to draw: the sampler refuses it, so the option does first,
    // naming its own field rather than the sampler's.
    const K = parseKahler("-3*log(T + conj(T))", {});
    expect(() => analyseNoScale(K, { points: 4, re: [1, 1], im: [-1, 1], seed: 1 })).toThrow(
      PhysmlInputError,
    );
    expect(() => parseOptions(noscaleOptionsSchema, { kahler: "x", im: "0:0" })).toThrow(
      /^im: expected lo:hi with finite lo < hi, got 0:0/,
    );
  });

  it("generators: a points file needs labels, a built-in group takes none", () => {
    const err = (input: object) => {
      try {
        parseOptions(generatorsOptionsSchema, input);
      } catch (e) {
        return e as PhysmlInputError;
      }
      return null;
    };
    expect(err({ group: "so3" })).toBeNull();
    expect(err({ group: "pts.npy" })?.field).toBe("labels");
    expect(err({ group: "so3", labels: "l.npy" })?.allowed).toBe("only with --group <points.npy>");
    expect(err({ group: "so5" })?.field).toBe("group");
  });
});
