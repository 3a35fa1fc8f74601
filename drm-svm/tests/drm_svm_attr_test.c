// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of the attribute tree: defaults, set and get over
 * intervals, splitting, merging, clearing and bad input.
 */

#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_attr.h>

#include "drm_svm_test_util.h"

#define A 0x100000000UL

static u32 loc_at(struct drm_svm *svm, unsigned long addr)
{
	struct drm_svm_attrs a;

	drm_svm_attr_get(svm, addr, &a);
	return a.preferred_loc;
}

/* Nothing set: every attribute has its default, everywhere. */
static void drm_test_svm_attr_defaults(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_attrs a, zero = {};
	unsigned long s = 1, e = 1;

	drm_svm_attr_lookup(&t->svm, A, &a, &s, &e);
	KUNIT_EXPECT_MEMEQ(test, &a, &zero, sizeof(a));
	KUNIT_EXPECT_EQ(test, s, 0);
	KUNIT_EXPECT_EQ(test, e, 0);
	svm_test_fini(t);
}

/* Set over an interval; the neighbours keep the defaults. */
static void drm_test_svm_attr_set_get(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_attrs in = { .preferred_loc = DRM_SVM_LOC_DEVICE };
	struct drm_svm_attrs a;
	unsigned long s, e;

	KUNIT_ASSERT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_16K,
					       BIT(DRM_SVM_ATTR_PREFERRED_LOC), &in), 0);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A - 1), DRM_SVM_LOC_NONE);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A), DRM_SVM_LOC_DEVICE);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A + SZ_16K - 1), DRM_SVM_LOC_DEVICE);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A + SZ_16K), DRM_SVM_LOC_NONE);
	drm_svm_attr_lookup(&t->svm, A + SZ_4K, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, s, A);
	KUNIT_EXPECT_EQ(test, e, A + SZ_16K);
	drm_svm_attr_lookup(&t->svm, A + SZ_1M, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, s, A + SZ_16K);
	KUNIT_EXPECT_EQ(test, e, 0);
	svm_test_fini(t);
}

/*
 * A second attribute over part of the interval splits it and keeps the
 * first one everywhere; setting it back merges the pieces.
 */
static void drm_test_svm_attr_split_merge(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_attrs in = {
		.preferred_loc = DRM_SVM_LOC_DEVICE_N(1),
		.granularity_shift = 16,
	};
	struct drm_svm_attrs a;
	unsigned long s, e;

	KUNIT_ASSERT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_1M,
					       BIT(DRM_SVM_ATTR_PREFERRED_LOC), &in), 0);
	KUNIT_ASSERT_EQ(test, drm_svm_attr_set(&t->svm, A + SZ_64K, A + SZ_128K,
					       BIT(DRM_SVM_ATTR_GRANULARITY), &in), 0);
	drm_svm_attr_lookup(&t->svm, A + SZ_64K, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, a.preferred_loc, DRM_SVM_LOC_DEVICE_N(1));
	KUNIT_EXPECT_EQ(test, a.granularity_shift, 16);
	KUNIT_EXPECT_EQ(test, s, A + SZ_64K);
	KUNIT_EXPECT_EQ(test, e, A + SZ_128K);
	drm_svm_attr_lookup(&t->svm, A, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, a.granularity_shift, 0);
	KUNIT_EXPECT_EQ(test, e, A + SZ_64K);
	drm_svm_attr_lookup(&t->svm, A + SZ_512K, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, a.preferred_loc, DRM_SVM_LOC_DEVICE_N(1));
	KUNIT_EXPECT_EQ(test, s, A + SZ_128K);
	KUNIT_EXPECT_EQ(test, e, A + SZ_1M);

	/* Straddling and back to the default: one interval again. */
	in.granularity_shift = 0;
	KUNIT_ASSERT_EQ(test, drm_svm_attr_set(&t->svm, A + SZ_32K, A + SZ_256K,
					       BIT(DRM_SVM_ATTR_GRANULARITY), &in), 0);
	drm_svm_attr_lookup(&t->svm, A + SZ_64K, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, s, A);
	KUNIT_EXPECT_EQ(test, e, A + SZ_1M);

	/* Clearing the middle leaves the ends. */
	drm_svm_attr_clear(&t->svm, A + SZ_4K, A + SZ_1M - SZ_4K);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A), DRM_SVM_LOC_DEVICE_N(1));
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A + SZ_4K), DRM_SVM_LOC_NONE);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A + SZ_1M - SZ_4K), DRM_SVM_LOC_DEVICE_N(1));
	drm_svm_attr_lookup(&t->svm, A + SZ_64K, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, s, A + SZ_4K);
	KUNIT_EXPECT_EQ(test, e, A + SZ_1M - SZ_4K);
	svm_test_fini(t);
}

/* Bad intervals and values change nothing. */
static void drm_test_svm_attr_invalid(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_attrs in = { .preferred_loc = 3 };
	u32 m = BIT(DRM_SVM_ATTR_PREFERRED_LOC);

	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_4K, m, &in), -EINVAL);
	in.preferred_loc = DRM_SVM_LOC_SYSTEM;
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A + 1, A + SZ_4K, m, &in), -EINVAL);
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A, A, m, &in), -EINVAL);
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A + SZ_4K, A, m, &in), -EINVAL);
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_4K, BIT(7), &in), -EINVAL);
	in.migrate = 2;
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_4K,
					       BIT(DRM_SVM_ATTR_MIGRATE), &in), -EINVAL);
	in.granularity_shift = 31;
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_4K,
					       BIT(DRM_SVM_ATTR_GRANULARITY), &in), -EINVAL);
	in.atomic = DRM_SVM_ATOMIC_REFUSE + 1;
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_4K,
					       BIT(DRM_SVM_ATTR_ATOMIC), &in), -EINVAL);
	in.access = DRM_SVM_ATTR_ACCESS_NONE + 1;
	KUNIT_EXPECT_EQ(test, drm_svm_attr_set(&t->svm, A, A + SZ_4K,
					       BIT(DRM_SVM_ATTR_ACCESS), &in), -EINVAL);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A), DRM_SVM_LOC_NONE);
	svm_test_fini(t);
}

static int set_loc(struct svm_test *t, unsigned long start, unsigned long end,
		   u32 loc)
{
	struct drm_svm_attrs in = { .preferred_loc = loc };

	return drm_svm_attr_set(&t->svm, start, end,
				BIT(DRM_SVM_ATTR_PREFERRED_LOC), &in);
}

static void attr_cap_8(struct drm_svm_config *cfg)
{
	cfg->attr_max_intervals = 8;
}

/*
 * The context keeps at most &drm_svm_config.attr_max_intervals intervals:
 * a change that could need more fails with -ENOSPC and changes nothing;
 * changes within existing intervals, and clears, still work.
 */
static void drm_test_svm_attr_cap(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	unsigned int i;

	svm_test_reinit(t, attr_cap_8);
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, set_loc(t, A + 2 * i * SZ_4K,
					      A + (2 * i + 1) * SZ_4K,
					      DRM_SVM_LOC_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, set_loc(t, A + 16 * SZ_4K, A + 17 * SZ_4K,
				      DRM_SVM_LOC_DEVICE), -ENOSPC);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A + 16 * SZ_4K), DRM_SVM_LOC_NONE);
	/* One value over all of them would need a node per gap first. */
	KUNIT_EXPECT_EQ(test, set_loc(t, A, A + 16 * SZ_4K, DRM_SVM_LOC_SYSTEM),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A), DRM_SVM_LOC_DEVICE);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A + SZ_4K), DRM_SVM_LOC_NONE);

	KUNIT_EXPECT_EQ(test, set_loc(t, A, A + SZ_4K, DRM_SVM_LOC_SYSTEM), 0);
	KUNIT_EXPECT_EQ(test, loc_at(&t->svm, A), DRM_SVM_LOC_SYSTEM);
	KUNIT_EXPECT_EQ(test, drm_svm_attr_clear(&t->svm, A + 2 * SZ_4K,
						 A + 3 * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, set_loc(t, A + 16 * SZ_4K, A + 17 * SZ_4K,
				      DRM_SVM_LOC_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, drm_svm_attr_clear(&t->svm, 0, ULONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, set_loc(t, A, A + 16 * SZ_4K, DRM_SVM_LOC_SYSTEM), 0);
	svm_test_fini(t);
}

/*
 * The interval without attributes around an address runs from the end of
 * the interval before to the start of the one after, among many.
 */
static void drm_test_svm_attr_gap(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_attrs a;
	unsigned long s, e, i;

	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_EQ(test, set_loc(t, A + 4 * i * SZ_4K,
					      A + (4 * i + 1) * SZ_4K,
					      DRM_SVM_LOC_DEVICE), 0);
	for (i = 0; i < 63; i++) {
		drm_svm_attr_lookup(&t->svm, A + (4 * i + 2) * SZ_4K, &a, &s, &e);
		KUNIT_EXPECT_EQ(test, a.preferred_loc, DRM_SVM_LOC_NONE);
		KUNIT_EXPECT_EQ(test, s, A + (4 * i + 1) * SZ_4K);
		KUNIT_EXPECT_EQ(test, e, A + (4 * i + 4) * SZ_4K);
	}
	drm_svm_attr_lookup(&t->svm, A - SZ_4K, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, s, 0);
	KUNIT_EXPECT_EQ(test, e, A);
	drm_svm_attr_lookup(&t->svm, A + SZ_1M, &a, &s, &e);
	KUNIT_EXPECT_EQ(test, s, A + (4 * 63 + 1) * SZ_4K);
	KUNIT_EXPECT_EQ(test, e, 0);
	svm_test_fini(t);
}

static struct kunit_case drm_svm_attr_tests[] = {
	KUNIT_CASE(drm_test_svm_attr_defaults),
	KUNIT_CASE(drm_test_svm_attr_set_get),
	KUNIT_CASE(drm_test_svm_attr_split_merge),
	KUNIT_CASE(drm_test_svm_attr_invalid),
	KUNIT_CASE(drm_test_svm_attr_cap),
	KUNIT_CASE(drm_test_svm_attr_gap),
	{}
};

static struct kunit_suite drm_svm_attr_suite = {
	.name = "drm_svm_attr",
	.test_cases = drm_svm_attr_tests,
};

kunit_test_suite(drm_svm_attr_suite);
