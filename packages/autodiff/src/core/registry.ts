// The registry of primitives. A module of its own with no runtime imports: op modules call
// definePrimitive while the modules around core/bind.ts are still being evaluated (they import
// each other in a cycle), and this one is always evaluated before any of them.
import type { Primitive } from "./bind.js";

const REGISTRY = new Map<string, Primitive<never>>();

/**
 * Registers a primitive under its (unique) name and returns it. Every primitive of the package
 * goes through here, so its value and all its rules (jvp, vjp, batch) sit in one object, and
 * `primitives()` lets a test check that no rule is missing.
 */
export function definePrimitive<P>(prim: Primitive<P>): Primitive<P> {
  if (REGISTRY.has(prim.name)) throw new Error(`definePrimitive: "${prim.name}" is defined twice`);
  REGISTRY.set(prim.name, prim as unknown as Primitive<never>);
  return prim;
}

/** Every primitive defined so far (those of the modules loaded), by name. */
export function primitives(): ReadonlyMap<string, Primitive<never>> {
  return REGISTRY;
}
