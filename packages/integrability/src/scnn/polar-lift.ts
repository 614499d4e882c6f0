// The cotangent lift of polar coordinates of a plane: the general T's polar start. It is canonical
// exactly, so the paper's general T can start from it with 𝓛_Poisson at rounding; about the
// plane's origin its angle's momentum is the plane's angular momentum L.
import {
  add,
  concat,
  div,
  matmul,
  mul,
  neg,
  slice,
  sqrt,
  square,
  sub,
  type Tensor,
  tensor,
  zeros,
} from "@physml/autodiff";

/**
 * The affine frame u = A(r − c) of the plane (A invertible, row-major), whose polar coordinates
 * are lifted instead of r's: about another centre and with elliptic level curves.
 */
export interface PlaneFrame {
  readonly centre: readonly [number, number];
  readonly A: readonly (readonly number[])[];
}

/** u = A(r − c) and p_u = A^{−T} p, rows [B, 2] (the cotangent lift of the affine map). */
function inFrame(r: Tensor, p: Tensor, frame: PlaneFrame | undefined): [Tensor, Tensor] {
  if (frame === undefined) return [r, p];
  const [[a, b], [c, d]] = frame.A;
  const det = a * d - b * c;
  // row forms: u = (r − c) Aᵀ, p_u = p A^{−1}
  const At = tensor([
    [a, c],
    [b, d],
  ]);
  const Ainv = tensor([
    [d / det, -b / det],
    [-c / det, a / det],
  ]);
  return [matmul(sub(r, tensor([[...frame.centre]])), At), matmul(p, Ainv)];
}

/**
 * The lift of polar coordinates of the last configuration plane of states y ([B, 2n], n = k + 2,
 * layout (q₁…q_n, p₁…p_n)): the first k pairs pass unchanged, and the plane's pair (r, p) becomes
 * angle, |u|, u_x p_{u,y} − u_y p_{u,x} and û·p_u ([B, 2n]), with u = r and p_u = p (then the
 * third momentum is L = r_x p_y − r_y p_x) or those of `frame`. The angle is multivalued, so its
 * slot holds r_x: a caller that reads the angle only through its gradient
 * ({@link polarAngleGradient}) gets a canonical map.
 */
export function polarLift(y: Tensor, k: number, frame?: PlaneFrame): Tensor {
  const B = y.shape[0];
  const n = k + 2;
  const [u, pu] = inFrame(slice(y, [0, k], [B, n]), slice(y, [0, n + k], [B, 2 * n]), frame);
  const col = (t: Tensor, j: number) => slice(t, [0, j], [B, j + 1]);
  const [ux, uy, px, py] = [col(u, 0), col(u, 1), col(pu, 0), col(pu, 1)];
  const radius = sqrt(add(square(ux), square(uy)));
  const angularMomentum = sub(mul(ux, py), mul(uy, px));
  const radialMomentum = div(add(mul(ux, px), mul(uy, py)), radius);
  const fixedQ = slice(y, [0, 0], [B, k + 1]);
  const fixedP = k > 0 ? [slice(y, [0, n], [B, n + k])] : [];
  return concat([fixedQ, radius, ...fixedP, angularMomentum, radialMomentum], 1);
}

/**
 * ∇θ of the plane's angle θ = atan2(u_y, u_x) with respect to y ([B, 2n], the layout of
 * {@link polarLift}): Aᵀ(−u_y, u_x)/|u|² at the plane's coordinates (u = r, A = I without a
 * frame), 0 elsewhere. It is single-valued and closed, the row of the angle's gradient that makes
 * the lift canonical.
 */
export function polarAngleGradient(y: Tensor, k: number, frame?: PlaneFrame): Tensor {
  const B = y.shape[0];
  const n = k + 2;
  const [u] = inFrame(slice(y, [0, k], [B, n]), slice(y, [0, n + k], [B, 2 * n]), frame);
  const ux = slice(u, [0, 0], [B, 1]);
  const uy = slice(u, [0, 1], [B, 2]);
  const u2 = add(square(ux), square(uy));
  const inU = concat([div(neg(uy), u2), div(ux, u2)], 1);
  const inR = frame === undefined ? inU : matmul(inU, tensor(frame.A.map((row) => [...row])));
  const parts = [inR, zeros([B, 2 * n - k - 2])];
  return concat(k > 0 ? [zeros([B, k]), ...parts] : parts, 1);
}
