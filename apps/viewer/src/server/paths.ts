// Which file a request may read: only one inside a fixed directory, after symlinks are
// resolved. A path that leaves it (`..`, an absolute path, a symlink pointing out) is refused
// before anything is opened.
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** A request for a path the viewer does not serve; `status` is the HTTP status to answer. */
export class ViewerPathError extends Error {
  readonly status: 400 | 403 | 404;
  constructor(status: 400 | 403 | 404, message: string) {
    super(message);
    this.name = "ViewerPathError";
    this.status = status;
  }
}

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
};

/**
 * The real path of `rel` (a path relative to `root`, already URL-decoded) when it exists and
 * lies inside `root` (itself a real path) with every symlink resolved; otherwise a
 * {@link ViewerPathError}: 403 for a path that leaves `root`, 404 for one that does not exist.
 */
export function resolveInside(root: string, rel: string): string {
  if (rel.includes("\0")) throw new ViewerPathError(400, "a path must not contain NUL");
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel))
    throw new ViewerPathError(403, `${rel}: only paths relative to the runs directory are served`);
  const p = resolve(root, rel);
  if (!inside(root, p)) throw new ViewerPathError(403, `${rel}: outside the runs directory`);
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    throw new ViewerPathError(404, `${rel}: not found`);
  }
  if (!inside(root, real)) throw new ViewerPathError(403, `${rel}: leads outside the runs directory`);
  return real;
}
