// The k smallest entries of a distance array, by quickselect (O(n)) on a copy and a sort of the k
// survivors — the neighbour searches' inner loop, which a full sort made O(n log n) per point.

/** Indices of the k smallest values of d (ascending; ties broken by index), k ≤ d.length. */
export function kSmallest(d: Float64Array, k: number): Int32Array {
  const n = d.length;
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b] || a - b);
  const t = Float64Array.from(d);
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = t[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (t[i] < pivot) i++;
      while (t[j] > pivot) j--;
      if (i <= j) {
        const s = t[i];
        t[i] = t[j];
        t[j] = s;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  const thr = t[target];
  const out = new Int32Array(k);
  let m = 0;
  for (let i = 0; i < n && m < k; i++) if (d[i] < thr) out[m++] = i;
  for (let i = 0; i < n && m < k; i++) if (d[i] === thr) out[m++] = i;
  return out.sort((a, b) => d[a] - d[b] || a - b);
}
