// The two classification heads of every CICY network: h¹¹ ∈ 0…19 and h²¹ ∈ 0…101 (the ranges in
// the list of 7890 CICY threefolds).
export const H11_CLASSES = 20;
export const H21_CLASSES = 102;
