// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * Helpers of the shader-core KUnit suites (see vsvm_test_util.h).
 */

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <kunit/test.h>

#include "vsvm_test_util.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* An image: header, segment table, then each segment's contents. */
void *vsvm_test_image(struct kunit *test, const struct vsvm_test_seg *segs,
		      unsigned int n, size_t *size)
{
	struct drm_vsvm_program_segment *s;
	struct drm_vsvm_program_header *h;
	size_t off = sizeof(*h) + n * sizeof(*s);
	unsigned int i;
	u8 *img;

	*size = off;
	for (i = 0; i < n; i++)
		*size += segs[i].size;
	img = kunit_kzalloc(test, *size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, img);
	h = (void *)img;
	s = (void *)(h + 1);
	h->magic = DRM_VSVM_PROGRAM_MAGIC;
	h->version = DRM_VSVM_PROGRAM_VERSION;
	h->num_segments = n;
	for (i = 0; i < n; i++) {
		s[i].vaddr = segs[i].vaddr;
		s[i].offset = off;
		s[i].file_size = segs[i].size;
		s[i].mem_size = segs[i].mem_size ? segs[i].mem_size : segs[i].size;
		s[i].flags = segs[i].flags;
		memcpy(img + off, segs[i].data, segs[i].size);
		off += segs[i].size;
	}
	return img;
}

static void vsvm_test_put(void *prog)
{
	vsvm_program_put(prog);
}

/* A program of one text segment at TEXT_VA; freed with the test. */
struct vsvm_program *vsvm_test_program(struct kunit *test, const u32 *text,
				       unsigned int n)
{
	struct vsvm_test_seg seg = {
		.vaddr = TEXT_VA, .data = text, .size = n * 4,
		.flags = DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_X,
	};
	struct vsvm_program *prog;
	u64 err = 0;
	size_t size;
	void *img;

	img = vsvm_test_image(test, &seg, 1, &size);
	prog = vsvm_program_create(img, size, &err);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(prog), "image rejected at %llu", err);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vsvm_test_put,
							prog), 0);
	return prog;
}

static void *vsvm_test_translate(void *priv, u64 va, u32 access, u32 *perms)
{
	struct vsvm_test_mem *m = priv;
	u64 i = (va - VSVM_TEST_VA) >> PAGE_SHIFT;

	if (i >= VSVM_TEST_PAGES || (m->absent & BIT(i)) ||
	    !(m->perms[i] & BIT(access)))
		return NULL;
	*perms = m->perms[i];
	return m->buf + i * PAGE_SIZE;
}

/* Fake memory: every page readable, writable and atomic, none absent. */
struct vsvm_test_mem *vsvm_test_mem(struct kunit *test)
{
	struct vsvm_test_mem *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->buf = kunit_kzalloc(test, VSVM_TEST_PAGES * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	for (i = 0; i < VSVM_TEST_PAGES; i++)
		m->perms[i] = VSVM_PERM_READ | VSVM_PERM_WRITE | VSVM_PERM_ATOMIC;
	m->mem.translate = vsvm_test_translate;
	m->mem.priv = m;
	return m;
}

/*
 * Run a dispatch to its end in slices of @slice instructions, servicing
 * misses on absent pages (other misses end it with -EFAULT, as the fault
 * handler would). Return: its status; *@exc and *@retired (may be NULL).
 */
int vsvm_test_dispatch(struct kunit *test, struct vsvm_program *prog,
		       struct drm_vsvm_dispatch *d, struct vsvm_test_mem *m,
		       u64 slice, struct vsvm_shader_exc *exc, u64 *retired)
{
	struct vsvm_shader_run *run;
	u64 page;
	int ret;

	ret = vsvm_shader_check_dispatch(d, prog);
	if (ret)
		return ret;
	run = vsvm_shader_run_create(prog, d);
	KUNIT_ASSERT_FALSE(test, IS_ERR(run));
	do {
		ret = vsvm_shader_run_slice(run, &m->mem, slice);
		if (ret != VSVM_HART_MISS)
			continue;
		page = (run->x.exc.addr - VSVM_TEST_VA) >> PAGE_SHIFT;
		if (page >= VSVM_TEST_PAGES || !(m->absent & BIT(page))) {
			ret = -EFAULT;
			break;
		}
		m->absent &= ~BIT(page);
		m->misses++;
	} while (ret == -EAGAIN || ret == VSVM_HART_MISS);
	if (exc)
		*exc = run->x.exc;
	if (retired)
		*retired = run->retired;
	vsvm_shader_run_destroy(run);
	return ret;
}

/* One work-item, a0 = VSVM_TEST_VA. */
int vsvm_test_run1(struct kunit *test, struct vsvm_program *prog,
		   struct vsvm_test_mem *m, struct vsvm_shader_exc *exc)
{
	struct drm_vsvm_dispatch d = {
		.work_dim = 1, .entry = TEXT_VA, .kernarg = VSVM_TEST_VA,
		.global_size = { 1, 1, 1 }, .local_size = { 1, 1, 1 },
	};

	return vsvm_test_dispatch(test, prog, &d, m, 1000000, exc, NULL);
}
