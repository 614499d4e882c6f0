// The C peer of the replica-packed kernel for `pnpm bench` (a baseline, not shipped code):
// multi-spin-coded checkerboard Metropolis for the square-lattice nn Ising model, 64 replicas
// per uint64 (bit b of word w at a site = replica 64w + b), the same scheme as SPEC.md's packed
// kernel: bitwise adders count the aligned neighbours of every replica, lanes with ΔE ≤ 0 flip,
// lanes with ΔE = 4J or 8J draw Bernoulli masks bit-serially against the binary expansions of
// T4 = 2^32·e^(−4β) and T8 = 2^32·e^(−8β), one 64-bit xoshiro256** word per depth level, stopping
// as soon as every lane is decided. Each OpenMP thread owns whole 64-replica words (its own
// xoshiro state), so threads never synchronise inside the sweep loop.
//
// Build: gcc -O3 -march=native -fopenmp msc.c -o msc -lm
// Run:   OMP_NUM_THREADS=2 ./msc L replicas sweeps beta seed [warm]
// From a cold start, runs `warm` untimed sweeps (default 0), then `sweeps` timed ones, and prints
// one line: "flips_per_ns <x> energy_per_site <e> threads <t>" (e: −Σ s_i s_j per site averaged
// over replicas at the end, a sanity check against Kaufman's value).
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
  uint64_t s[4];
} xoshiro;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next(xoshiro *r) {
  uint64_t *s = r->s;
  const uint64_t out = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return out;
}

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint32_t threshold(double dE) {
  if (dE <= 0) return 0xffffffffu;
  double t = floor(4294967296.0 * exp(-dE));
  return t > 4294967294.0 ? 0xfffffffeu : (uint32_t)t;
}

// One colour class of one 64-replica word: sites (x, y) with (x + y) mod 2 == colour.
static void colour(uint64_t *restrict s, int L, int col, uint32_t t4, uint32_t t8, xoshiro *rng) {
  for (int y = 0; y < L; y++) {
    const uint64_t *up = s + (size_t)((y + 1) % L) * L;
    const uint64_t *dn = s + (size_t)((y + L - 1) % L) * L;
    uint64_t *row = s + (size_t)y * L;
    for (int x = (y + col) & 1; x < L; x += 2) {
      const uint64_t c = row[x];
      // Bit set where the neighbour is aligned with the centre (J > 0).
      const uint64_t b0 = ~(c ^ row[x + 1 == L ? 0 : x + 1]);
      const uint64_t b1 = ~(c ^ row[x == 0 ? L - 1 : x - 1]);
      const uint64_t b2 = ~(c ^ up[x]);
      const uint64_t b3 = ~(c ^ dn[x]);
      const uint64_t a01 = b0 & b1, o01 = b0 ^ b1, a23 = b2 & b3, o23 = b2 ^ b3;
      const uint64_t c4 = a01 & a23;                 // 4 aligned: ΔE = 8J
      const uint64_t c3 = (a01 & o23) | (o01 & a23); // 3 aligned: ΔE = 4J
      uint64_t und = c3 | c4, acc = 0;
      // Bit-serial Bernoulli masks, most significant threshold bit first.
      for (int m = 31; m >= 0 && und; m--) {
        const uint64_t u = next(rng);
        const uint64_t tm = (c3 & -(uint64_t)((t4 >> m) & 1)) | (c4 & -(uint64_t)((t8 >> m) & 1));
        acc |= und & tm & ~u;
        und &= ~(u ^ tm);
      }
      row[x] = c ^ (~(c3 | c4) | acc);
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: msc L replicas sweeps beta seed [warm]\n");
    return 2;
  }
  const int L = atoi(argv[1]);
  const int replicas = atoi(argv[2]);
  const int sweeps = atoi(argv[3]);
  const double beta = atof(argv[4]);
  uint64_t seed = strtoull(argv[5], 0, 10);
  const int warm = argc > 6 ? atoi(argv[6]) : 0;
  if (L < 4 || L % 2 || replicas < 64 || replicas % 64 || sweeps < 1 || !(beta > 0)) {
    fprintf(stderr, "msc: need even L >= 4, replicas a multiple of 64, sweeps >= 1, beta > 0\n");
    return 2;
  }
  const int words = replicas / 64;
  const size_t n = (size_t)L * L;
  const uint32_t t4 = threshold(4 * beta), t8 = threshold(8 * beta);
  uint64_t *spins = aligned_alloc(64, words * n * sizeof(uint64_t));
  xoshiro *rngs = malloc(words * sizeof(xoshiro));
  for (size_t i = 0; i < words * n; i++) spins[i] = ~0ULL; // cold start, as the bench's samplers
  for (int w = 0; w < words; w++)
    for (int k = 0; k < 4; k++) rngs[w].s[k] = splitmix(&seed);

  struct timespec t0, t1;
  for (int timed = 0; timed < 2; timed++) {
    const int count = timed ? sweeps : warm;
    if (timed) clock_gettime(CLOCK_MONOTONIC, &t0);
#pragma omp parallel for schedule(static)
    for (int w = 0; w < words; w++) {
      uint64_t *s = spins + (size_t)w * n;
      xoshiro r = rngs[w];
      for (int sw = 0; sw < count; sw++) {
        colour(s, L, 0, t4, t8, &r);
        colour(s, L, 1, t4, t8, &r);
      }
      rngs[w] = r;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  const double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);

  // −Σ_<ij> s_i s_j / N averaged over replicas: count anti-aligned right/up bonds per lane.
  double anti = 0;
  for (int w = 0; w < words; w++) {
    const uint64_t *s = spins + (size_t)w * n;
    for (int y = 0; y < L; y++)
      for (int x = 0; x < L; x++) {
        const uint64_t c = s[(size_t)y * L + x];
        anti += __builtin_popcountll(c ^ s[(size_t)y * L + (x + 1) % L]);
        anti += __builtin_popcountll(c ^ s[(size_t)((y + 1) % L) * L + x]);
      }
  }
  const double bonds = 2.0 * n * replicas;
  const double e = -(bonds - 2 * anti) / ((double)n * replicas);
  printf("flips_per_ns %.4f energy_per_site %.5f threads %d\n", (double)replicas * n * sweeps / ns, e,
         omp_get_max_threads());
  free(spins);
  free(rngs);
  return 0;
}
