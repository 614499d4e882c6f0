// A run stopped as it takes a checkpoint, the library-level stand-in for a kill in the resume tests.

class Stop extends Error {}

/**
 * Runs `run` with an `onCheckpoint` that keeps each checkpoint through JSON (as a run directory
 * stores it) and stops the run as it takes checkpoint `k + 1`: the checkpoints kept before that,
 * and the run's result when it ended first.
 */
export function stoppedAtCheckpoint<C, R>(
  k: number,
  run: (onCheckpoint: (cp: C) => void) => R,
): { checkpoints: C[]; result?: R } {
  const checkpoints: C[] = [];
  try {
    const result = run((cp) => {
      if (checkpoints.length === k) throw new Stop();
      checkpoints.push(JSON.parse(JSON.stringify(cp)));
    });
    return { checkpoints, result };
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { checkpoints };
  }
}
