// The page's side of the JSON API: a failed request becomes an Error carrying the server's
// one-line reason, which the page shows instead of going blank.
export type { ArrayData, RunDetail, RunList, SweepData } from "../server/api.js";

/** GETs a JSON API path; throws with the server's `error` text on a non-2xx answer. */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${path}: ${res.status} ${res.statusText} (not JSON)`);
  }
  if (!res.ok) {
    const why = (body as { error?: string } | null)?.error ?? res.statusText;
    throw new Error(`${res.status}: ${why}`);
  }
  return body as T;
}

/** Query-string form of a value. */
export const q = encodeURIComponent;
