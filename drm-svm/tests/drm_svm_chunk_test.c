// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of the pure parts of drm_svm: chunk selection at the edges
 * of the VMA, the notifier, the GPU VA window and neighbouring ranges, and
 * the validation of drm_svm_init() arguments.
 */

#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>

#include <kunit/device.h>
#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE

static const unsigned long default_chunks[] = { SZ_2M, SZ_64K, SZ_4K };

struct chunk_case {
	const char *name;
	unsigned long addr;
	unsigned long lo;
	unsigned long hi;
	unsigned long expect;
};

static const struct chunk_case chunk_cases[] = {
	{ "all-fit", B + SZ_1M, B, B + SZ_4M, SZ_2M },
	{ "vma-starts-mid-2M", B + SZ_1M + SZ_8K, B + SZ_1M, B + SZ_4M, SZ_64K },
	{ "vma-starts-mid-64K", B + SZ_1M + SZ_8K, B + SZ_1M + SZ_4K, B + SZ_4M, SZ_4K },
	{ "vma-ends-mid-2M", B + SZ_1M, B, B + SZ_1M + SZ_64K, SZ_64K },
	{ "vma-ends-at-64K", B + SZ_64K - SZ_4K, B, B + SZ_64K, SZ_64K },
	{ "vma-ends-mid-64K", B + SZ_64K + SZ_4K, B, B + SZ_64K + SZ_8K, SZ_4K },
	{ "notifier-end", B + SZ_1M - SZ_4K, B, B + SZ_1M, SZ_64K },
	{ "gpuva-start-unaligned", B + SZ_4K, B + SZ_4K, B + SZ_4M, SZ_4K },
	{ "gpuva-end-unaligned", B + SZ_2M + SZ_64K, B, B + SZ_2M + SZ_64K + SZ_4K, SZ_4K },
	{ "gap-between-ranges-64K", B + SZ_64K + SZ_4K, B + SZ_64K, B + SZ_128K, SZ_64K },
	{ "gap-one-page", B + SZ_64K, B + SZ_64K, B + SZ_64K + SZ_4K, SZ_4K },
	{ "exact-2M-hole", B + SZ_2M - SZ_4K, B, B + SZ_2M, SZ_2M },
	{ "addr-below-lo", B, B + SZ_4K, B + SZ_4M, 0 },
	{ "addr-at-hi", B + SZ_4M, B, B + SZ_4M, 0 },
	{ "empty-bounds", B, B, B, 0 },
	{ "top-of-address-space", ULONG_MAX - SZ_8K + 1, 0, ULONG_MAX - SZ_4K + 1, SZ_4K },
};

static void chunk_case_desc(const struct chunk_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chunk, chunk_cases, chunk_case_desc);

/*
 * Test that the chunk picked is the largest aligned one inside the bounds,
 * falling back to smaller ones at every kind of edge, and none outside.
 */
static void drm_test_svm_chunk_select(struct kunit *test)
{
	const struct chunk_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, drm_svm_chunk_select(default_chunks,
						   ARRAY_SIZE(default_chunks),
						   c->addr, c->lo, c->hi),
			c->expect);
}

/* Test that a single-entry list (pages only) always gives one page. */
static void drm_test_svm_chunk_select_pages_only(struct kunit *test)
{
	static const unsigned long pages[] = { SZ_4K };

	KUNIT_EXPECT_EQ(test, drm_svm_chunk_select(pages, 1, B + SZ_1M, B, B + SZ_4M),
			SZ_4K);
	KUNIT_EXPECT_EQ(test, drm_svm_chunk_select(pages, 1, B - 1, B, B + SZ_4M), 0);
}

static struct kunit_case drm_svm_chunk_tests[] = {
	KUNIT_CASE_PARAM(drm_test_svm_chunk_select, chunk_gen_params),
	KUNIT_CASE(drm_test_svm_chunk_select_pages_only),
	{}
};

static struct kunit_suite drm_svm_chunk_suite = {
	.name = "drm_svm_chunk",
	.test_cases = drm_svm_chunk_tests,
};

static void init_invalidate(struct drm_svm *svm,
			    const struct drm_svm_invalidation *inv)
{
}

static const struct drm_svm_ops init_ops = {
	.invalidate = init_invalidate,
};

static const struct drm_svm_ops init_ops_no_invalidate = {};

static const unsigned long chunks_ascending[] = { SZ_4K, SZ_64K, SZ_2M };
static const unsigned long chunks_no_page[] = { SZ_2M, SZ_64K };
static const unsigned long chunks_zero[] = { SZ_2M, 0, SZ_4K };
static const unsigned long chunks_dup[] = { SZ_64K, SZ_64K, SZ_4K };
static const unsigned long chunks_npot[] = { SZ_2M, 3 * SZ_64K, SZ_4K };
static const unsigned long chunks_big[] = { SZ_1G, SZ_2M, SZ_4K };
static const unsigned long chunks_many[] = {
	SZ_1G, SZ_256M, SZ_64M, SZ_16M, SZ_4M, SZ_1M, SZ_256K, SZ_64K, SZ_4K
};

struct init_case {
	const char *name;
	unsigned long start;
	unsigned long size;
	unsigned long notifier_size;
	const unsigned long *chunks;
	unsigned int num;
	const struct drm_svm_ops *ops;
	bool no_dev;
	int expect;
};

#define INIT_OK(n, ...) { .name = n, .start = B, .size = SZ_1G, .ops = &init_ops, __VA_ARGS__ }

static const struct init_case init_cases[] = {
	INIT_OK("defaults", .expect = 0),
	INIT_OK("own-chunks", .chunks = chunks_many + 4, .num = 5, .expect = 0),
	INIT_OK("chunks-ascending", .chunks = chunks_ascending, .num = 3, .expect = -EINVAL),
	INIT_OK("chunks-not-ending-at-page", .chunks = chunks_no_page, .num = 2, .expect = -EINVAL),
	INIT_OK("chunk-zero", .chunks = chunks_zero, .num = 3, .expect = -EINVAL),
	INIT_OK("chunks-not-strictly-descending", .chunks = chunks_dup, .num = 3,
		.expect = -EINVAL),
	INIT_OK("chunk-not-power-of-two", .chunks = chunks_npot, .num = 3, .expect = -EINVAL),
	INIT_OK("chunk-larger-than-notifier", .chunks = chunks_big, .num = 3, .expect = -EINVAL),
	INIT_OK("too-many-chunks", .chunks = chunks_many, .num = 9, .expect = -EINVAL),
	INIT_OK("no-chunks", .chunks = chunks_many, .num = 0, .expect = -EINVAL),
	INIT_OK("count-without-list", .num = 3, .expect = -EINVAL),
	INIT_OK("notifier-not-power-of-two", .notifier_size = 3 * SZ_1M, .expect = -EINVAL),
	INIT_OK("notifier-smaller-than-chunk", .notifier_size = SZ_1M, .expect = -EINVAL),
	{ .name = "zero-size", .start = B, .size = 0, .ops = &init_ops, .expect = -EINVAL },
	{ .name = "unaligned-start", .start = B + 1, .size = SZ_1G, .ops = &init_ops,
	  .expect = -EINVAL },
	{ .name = "unaligned-size", .start = B, .size = SZ_1G + 1, .ops = &init_ops,
	  .expect = -EINVAL },
	{ .name = "wrapping-window", .start = ULONG_MAX - SZ_1G + 1, .size = SZ_2G,
	  .ops = &init_ops, .expect = -EINVAL },
	{ .name = "no-ops", .start = B, .size = SZ_1G, .expect = -EINVAL },
	{ .name = "no-invalidate", .start = B, .size = SZ_1G,
	  .ops = &init_ops_no_invalidate, .expect = -EINVAL },
	{ .name = "no-device", .start = B, .size = SZ_1G, .ops = &init_ops,
	  .no_dev = true, .expect = -EINVAL },
};

static void init_case_desc(const struct init_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(init, init_cases, init_case_desc);

/*
 * Test that drm_svm_init() accepts good arguments (applying the defaults)
 * and rejects each kind of bad one with -EINVAL, without a warning.
 */
static void drm_test_svm_init_config(struct kunit *test)
{
	const struct init_case *c = test->param_value;
	struct drm_svm_config cfg = {
		.name = c->name,
		.start = c->start,
		.size = c->size,
		.notifier_size = c->notifier_size,
		.chunk_sizes = c->chunks,
		.num_chunks = c->num,
		.ops = c->ops,
	};
	struct device *dev = kunit_device_register(test, "drm_svm_init_test");
	struct drm_svm *svm;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_NE(test, kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
					    MAP_PRIVATE | MAP_ANONYMOUS, 0), 0);
	cfg.mm = current->mm;
	if (!c->no_dev)
		cfg.dma_dev = dev;
	svm = kunit_kzalloc(test, sizeof(*svm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, svm);

	KUNIT_ASSERT_EQ(test, drm_svm_init(svm, &cfg), c->expect);
	if (c->expect)
		return;

	KUNIT_EXPECT_PTR_EQ(test, svm->dev, dev);
	KUNIT_EXPECT_EQ(test, svm->end, c->start + c->size);
	if (!c->chunks) {
		KUNIT_EXPECT_EQ(test, svm->notifier_size, SZ_512M);
		KUNIT_EXPECT_EQ(test, svm->num_chunks, 3);
		KUNIT_EXPECT_EQ(test, svm->chunk_sizes[0], SZ_2M);
		KUNIT_EXPECT_EQ(test, svm->chunk_sizes[1], SZ_64K);
		KUNIT_EXPECT_EQ(test, svm->chunk_sizes[2], SZ_4K);
	} else {
		KUNIT_EXPECT_EQ(test, svm->num_chunks, c->num);
		KUNIT_EXPECT_EQ(test, svm->chunk_sizes[c->num - 1], PAGE_SIZE);
	}
	drm_svm_fini(svm);
}

static struct kunit_case drm_svm_init_tests[] = {
	KUNIT_CASE_PARAM(drm_test_svm_init_config, init_gen_params),
	{}
};

static struct kunit_suite drm_svm_init_suite = {
	.name = "drm_svm_init",
	.test_cases = drm_svm_init_tests,
};

kunit_test_suites(&drm_svm_chunk_suite, &drm_svm_init_suite);
