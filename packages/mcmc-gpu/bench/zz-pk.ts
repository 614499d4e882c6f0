import { squareLattice } from "@physml/lattice-core";
import { createCpuBackend } from "../src/index.ts";
import { baselineSweeps } from "./baseline.ts";

const L = 256;
const cpu = (f: () => void) => {
  const a = process.cpuUsage();
  f();
  const b = process.cpuUsage(a);
  return (b.user + b.system) * 1000;
};
for (const kernel of ["packed", "int"] as const) {
  const chains = kernel === "packed" ? 64 : 4;
  const b = await createCpuBackend(
    {
      lattice: squareLattice(L),
      chains,
      seed: 1,
      kernel,
      colours: 2,
      couplings: Array(chains).fill({ nn: 0.44, plaquette: 0, nnn: 0, field: 0 }),
      init: "cold",
    },
    { threads: 1 },
  );
  for (let rep = 0; rep < 3; rep++) {
    const sw = kernel === "packed" ? 20 : 10;
    const ns = cpu(() => {
      void b.sweep(sw);
    });
    console.log(kernel, ((chains * L * L * sw) / ns).toFixed(3), "flips per cpu-ns");
  }
}
for (let rep = 0; rep < 2; rep++) {
  const ns = cpu(() => baselineSweeps(L, 0.44, 20, 1));
  console.log("baseline", ((L * L * 20) / ns).toFixed(3));
}
