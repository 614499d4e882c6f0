// Baseline for the benchmark: a straightforward hand-written MLP (tanh hidden layers, linear
// output) with textbook i-j-k loops over row arrays and manual backpropagation of the MSE loss.
// It is what one writes without a tensor library; it is not used by the package.

export interface NaiveMlp {
  W: number[][][]; // W[l][i][j], in × out
  b: number[][];
}

export function naiveFromParams(
  params: readonly { w: { toArray(): unknown }; b: { toArray(): unknown } }[],
): NaiveMlp {
  return {
    W: params.map((p) => p.w.toArray() as number[][]),
    b: params.map((p) => p.b.toArray() as number[]),
  };
}

/** One forward + backward pass of mean((f(X) − Y)²); returns the loss and fills no state. */
export function naiveStep(
  net: NaiveMlp,
  X: number[][],
  Y: number[],
): { loss: number; gW: number[][][]; gb: number[][] } {
  const L = net.W.length;
  const B = X.length;
  const acts: number[][][] = [X];
  for (let l = 0; l < L; l++) {
    const W = net.W[l];
    const inF = W.length;
    const outF = W[0].length;
    const H = acts[l];
    const Z: number[][] = [];
    for (let i = 0; i < B; i++) {
      const row = new Array<number>(outF);
      for (let j = 0; j < outF; j++) {
        let s = net.b[l][j];
        for (let k = 0; k < inF; k++) s += H[i][k] * W[k][j];
        row[j] = l < L - 1 ? Math.tanh(s) : s;
      }
      Z.push(row);
    }
    acts.push(Z);
  }
  const out = acts[L];
  let loss = 0;
  let dZ: number[][] = out.map((r, i) => {
    const d = r[0] - Y[i];
    loss += d * d;
    return [(2 * d) / B];
  });
  loss /= B;
  const gW: number[][][] = new Array(L);
  const gb: number[][] = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    const W = net.W[l];
    const inF = W.length;
    const outF = W[0].length;
    const H = acts[l];
    gW[l] = [];
    for (let k = 0; k < inF; k++) {
      const row = new Array<number>(outF).fill(0);
      for (let j = 0; j < outF; j++) for (let i = 0; i < B; i++) row[j] += H[i][k] * dZ[i][j];
      gW[l].push(row);
    }
    gb[l] = new Array<number>(outF).fill(0);
    for (let i = 0; i < B; i++) for (let j = 0; j < outF; j++) gb[l][j] += dZ[i][j];
    if (l === 0) break;
    const dH: number[][] = [];
    for (let i = 0; i < B; i++) {
      const row = new Array<number>(inF);
      for (let k = 0; k < inF; k++) {
        let s = 0;
        for (let j = 0; j < outF; j++) s += dZ[i][j] * W[k][j];
        const h = H[i][k];
        row[k] = s * (1 - h * h); // H = tanh(previous pre-activation)
      }
      dH.push(row);
    }
    dZ = dH;
  }
  return { loss, gW, gb };
}
