// Result keys of integrability runs renamed since runs were first written (old → current), read
// by the command's own --resume and by the runs readers.

/**
 * Result keys renamed since runs were first written (old → current): the held-out curvature
 * residual is `laxResidual`, as in `lax` and `connection`.
 */
export const KDV_RENAMED_FIELDS: Readonly<Record<string, string>> = { residual: "laxResidual" };

/**
 * Result keys renamed since runs were first written (old → current): `formulas` (the cyclic
 * momenta's fits) is `momentumFormulas`, the package's name, since `formulas` in `lax`, `kdv` and
 * `connection` is the object of a Lax matrix's entry formulas.
 */
export const SCNN_RENAMED_FIELDS: Readonly<Record<string, string>> = { formulas: "momentumFormulas" };
