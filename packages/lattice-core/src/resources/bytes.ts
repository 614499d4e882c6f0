// Sizes in words: "1.5 GB" out, "4G" in.

/** "1.5 GB", "640 MB", … (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toPrecision(3)} ${units[u]}`;
}

/**
 * Parses "4G", "512M", "1.5GB", "2000000" (bytes) into whole bytes; null when it is not a size or
 * is below one byte ("0.4" would otherwise round to a limit of 0 that refuses every run).
 */
export function parseBytes(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return null;
  const scale = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[
    m[2].toUpperCase() as "" | "K" | "M" | "G" | "T"
  ];
  const v = Number(m[1]) * scale;
  return Number.isFinite(v) && v >= 1 ? Math.floor(v) : null;
}
