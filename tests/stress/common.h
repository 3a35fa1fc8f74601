/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * Shared helpers of the stress and fuzz programs (vsvm_stress.c,
 * vsvm_fuzz.c): a seedable PRNG, time, option parsing of the common
 * options and small memory helpers. Header-only: each .c file is its own
 * program.
 */
#ifndef VSVM_STRESS_COMMON_H
#define VSVM_STRESS_COMMON_H

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vsvm.h>

#define NSEC_PER_SEC 1000000000ll
#define NSEC_PER_MSEC 1000000ll
#define SZ_4K 0x1000ul
#define SZ_2M 0x200000ul
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Generous: the guest is emulated (TCG). A submission that has not
 * completed after this long is reported as a hang.
 */
#define GPU_TIMEOUT_NS (60 * NSEC_PER_SEC)

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* splitmix64: seeds the per-thread generators from one seed. */
static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* xorshift64*: one generator per thread, never 0. */
struct rng {
	uint64_t s;
};

static inline void rng_init(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);

	r->s = splitmix64(&x) | 1;
}

static inline uint64_t rnd64(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n) (n > 0). */
static inline uint64_t rnd_below(struct rng *r, uint64_t n)
{
	return rnd64(r) % n;
}

/* Uniform in [lo, hi]. */
static inline uint64_t rnd_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rnd_below(r, hi - lo + 1);
}

/* True with probability pct/100. */
static inline bool rnd_pct(struct rng *r, unsigned int pct)
{
	return rnd_below(r, 100) < pct;
}

static inline void rnd_bytes(struct rng *r, void *p, size_t n)
{
	uint8_t *b = p;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(i & 7))
			v = rnd64(r);
		b[i] = v;
		v >>= 8;
	}
}

/* A seed from the clock and the pid, when none is given. */
static inline uint64_t default_seed(void)
{
	uint64_t x = now_ns() ^ ((uint64_t)getpid() << 32);

	return splitmix64(&x);
}

/* Offset of the first byte where a and b differ, or -1. */
static inline long first_diff(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	if (!memcmp(a, b, n))
		return -1;
	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

/* Parse a number (decimal or 0x hex) or exit with a usage error. */
static inline uint64_t parse_u64(const char *prog, const char *opt,
				 const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "%s: bad number for %s: '%s'\n", prog, opt, s);
		exit(2);
	}
	return v;
}

/* Seconds (may have a fraction) or exit with a usage error. */
static inline double parse_secs(const char *prog, const char *opt,
				const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || !*s || *end || v < 0) {
		fprintf(stderr, "%s: bad duration for %s: '%s'\n", prog, opt, s);
		exit(2);
	}
	return v;
}

/* The environment's duration override, or @dflt. */
static inline double env_secs(const char *prog, const char *var, double dflt)
{
	const char *s = getenv(var);

	return s && *s ? parse_secs(prog, var, s) : dflt;
}

#endif /* VSVM_STRESS_COMMON_H */
