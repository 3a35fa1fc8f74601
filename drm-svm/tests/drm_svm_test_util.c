// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * A mock driver for the drm_svm KUnit suites: a DRM device that can DMA,
 * a context over the test thread's address space, a driver lock and an
 * invalidate callback that records what it is asked to zap.
 */

#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kunit/test.h>

#include <drm/drm_device.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

static struct svm_test *to_svm_test(struct drm_svm *svm)
{
	return container_of(svm, struct svm_test, svm);
}

static struct drm_svm_range *svm_test_range_alloc(struct drm_svm *svm)
{
	struct svm_test_range *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->magic = SVM_TEST_RANGE_MAGIC;
	atomic_inc(&to_svm_test(svm)->nalloc);
	return &r->base;
}

static void svm_test_range_free(struct drm_svm_range *range)
{
	struct svm_test_range *r = container_of(range, struct svm_test_range, base);
	struct svm_test *t = to_svm_test(range->svm);

	KUNIT_EXPECT_EQ(t->test, r->magic, SVM_TEST_RANGE_MAGIC);
	r->magic = 0;
	atomic_inc(&t->nfree);
	kfree(r);
}

static void svm_test_invalidate(struct drm_svm *svm,
				const struct drm_svm_invalidation *inv)
{
	struct svm_test *t = to_svm_test(svm);
	struct svm_test_inv *rec;

	lockdep_assert_held_write(&svm->notifier_lock);

	if (t->ninv < SVM_TEST_MAX_INV) {
		rec = &t->inv[t->ninv];
		rec->start = inv->start;
		rec->end = inv->end;
		rec->event = inv->event;
		rec->mmu_event = inv->mmu_range ? inv->mmu_range->event : -1;
	}
	t->ninv++;
}

static void svm_test_fini_action(void *data)
{
	svm_test_fini(data);
}

/* Map one page to give the test thread an address space. */
static void svm_test_attach_mm(struct kunit *test)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, SVM_TEST_BASE - SZ_1G, PAGE_SIZE,
			     PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			     MAP_FIXED_NOREPLACE, 0);
	KUNIT_ASSERT_EQ(test, addr, SVM_TEST_BASE - SZ_1G);
	KUNIT_ASSERT_NOT_NULL(test, current->mm);
}

/* (Re)initialise the context of @t over @mm. */
int svm_test_init_svm(struct svm_test *t, struct mm_struct *mm,
		      unsigned long notifier_size, const unsigned long *chunks,
		      unsigned int num)
{
	struct drm_svm_config cfg = {
		.name = "drm_svm_test",
		.drm = t->drm,
		.mm = mm,
		.start = SVM_TEST_BASE,
		.size = SVM_TEST_WINDOW,
		.notifier_size = notifier_size,
		.chunk_sizes = chunks,
		.num_chunks = num,
		.ops = &t->ops,
	};
	int err;

	err = drm_svm_init(&t->svm, &cfg);
	if (err)
		return err;
	drm_svm_driver_set_lock(&t->svm, &t->lock);
	t->live = true;
	return 0;
}

struct svm_test *svm_test_create(struct kunit *test, unsigned long notifier_size,
				 const unsigned long *chunks, unsigned int num)
{
	struct svm_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	mutex_init(&t->lock);
	t->ops.range_alloc = svm_test_range_alloc;
	t->ops.range_free = svm_test_range_free;
	t->ops.invalidate = svm_test_invalidate;

	t->dev = drm_kunit_helper_alloc_device(test);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->dev);
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(t->dev, DMA_BIT_MASK(64)), 0);
	t->drm = __drm_kunit_helper_alloc_drm_device(test, t->dev,
						     sizeof(*t->drm), 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->drm);

	svm_test_attach_mm(test);
	KUNIT_ASSERT_EQ(test, svm_test_init_svm(t, current->mm, notifier_size,
						chunks, num), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, svm_test_fini_action, t), 0);
	return t;
}

void svm_test_fini(struct svm_test *t)
{
	if (!t->live)
		return;
	t->live = false;
	drm_svm_fini(&t->svm);
}

unsigned long svm_test_mmap_file(struct svm_test *t, struct file *file,
				 unsigned long addr, unsigned long len,
				 unsigned long prot, unsigned long flags)
{
	unsigned long ret;

	ret = vm_mmap(file, addr, len, prot, flags | MAP_FIXED_NOREPLACE, 0);
	KUNIT_ASSERT_EQ(t->test, ret, addr);
	return ret;
}

unsigned long svm_test_mmap(struct svm_test *t, unsigned long addr,
			    unsigned long len, unsigned long prot)
{
	return svm_test_mmap_file(t, NULL, addr, len, prot,
				  MAP_PRIVATE | MAP_ANONYMOUS);
}

static u8 svm_test_byte(unsigned long addr, u8 seed)
{
	return (addr >> PAGE_SHIFT) * 7 + seed;
}

/* Write one recognisable byte at the start of every page. */
void svm_test_fill(struct svm_test *t, unsigned long addr, unsigned long len,
		   u8 seed)
{
	unsigned long a;

	for (a = addr; a < addr + len; a += PAGE_SIZE) {
		u8 v = svm_test_byte(a, seed);

		KUNIT_ASSERT_EQ(t->test, copy_to_user((void __user *)a, &v, 1), 0);
	}
}

bool svm_test_check(struct svm_test *t, unsigned long addr, unsigned long len,
		    u8 seed)
{
	unsigned long a;

	for (a = addr; a < addr + len; a += PAGE_SIZE) {
		u8 v;

		if (copy_from_user(&v, (void __user *)a, 1))
			return false;
		if (v != svm_test_byte(a, seed))
			return false;
	}
	return true;
}

/* madvise(MADV_DONTNEED) as modules can do it: zap the page tables. */
void svm_test_zap(struct svm_test *t, unsigned long addr, unsigned long len)
{
	struct vm_area_struct *vma;

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, addr);
	if (vma)
		zap_page_range_single(vma, addr, len, NULL);
	mmap_read_unlock(current->mm);
	KUNIT_ASSERT_NOT_NULL(t->test, vma);
}

struct drm_svm_range *svm_test_range(struct svm_test *t, unsigned long addr,
				     unsigned int access)
{
	struct drm_svm_ctx ctx = { .access = access };
	struct drm_svm_range *range;

	mutex_lock(&t->lock);
	range = drm_svm_range_find_or_insert(&t->svm, addr, t->svm.start,
					     t->svm.end, &ctx);
	mutex_unlock(&t->lock);
	return range;
}

int svm_test_get_pages(struct svm_test *t, struct drm_svm_range *range,
		       unsigned int access)
{
	struct drm_svm_ctx ctx = { .access = access };
	int err;

	mutex_lock(&t->lock);
	err = drm_svm_range_get_pages(&t->svm, range, &ctx);
	mutex_unlock(&t->lock);
	return err;
}

/* The driver fault path: find or insert the range, get its pages. */
int svm_test_fault(struct svm_test *t, unsigned long addr, unsigned int access,
		   struct drm_svm_range **rangep)
{
	struct drm_svm_range *range;
	int err;

	range = svm_test_range(t, addr, access);
	if (IS_ERR(range))
		return PTR_ERR(range);
	err = svm_test_get_pages(t, range, access);
	if (rangep && !err)
		*rangep = range;
	else
		drm_svm_range_put(range);
	return err;
}

bool svm_test_valid(struct svm_test *t, struct drm_svm_range *range)
{
	bool valid;

	drm_svm_notifier_lock(&t->svm);
	valid = drm_svm_range_pages_valid(&t->svm, range);
	drm_svm_notifier_unlock(&t->svm);
	return valid;
}

/* Whether DMA addresses are physical addresses (no IOMMU), to check them. */
bool svm_test_dma_direct(struct svm_test *t)
{
	return !get_dma_ops(t->dev);
}

struct page *svm_test_entry_page(struct svm_test *t, const struct drm_svm_addr *a)
{
	return pfn_to_page(PHYS_PFN(dma_to_phys(t->dev, a->addr)));
}

/* The page the CPU maps at @addr (read access, no fault for the zero page). */
struct page *svm_test_cpu_page(struct svm_test *t, unsigned long addr)
{
	struct page *page;

	if (get_user_pages_fast(addr, 1, 0, &page) != 1)
		return NULL;
	put_page(page);
	return page;
}

u64 svm_test_stat_mapped(struct svm_test *t)
{
	struct drm_svm_stats s;

	drm_svm_stats_read(&t->svm, &s);
	return s.mapped_pages;
}

unsigned int svm_test_count_notifiers(struct svm_test *t)
{
	struct interval_tree_node *node;
	unsigned int count = 0;

	mutex_lock(&t->svm.lock);
	for (node = interval_tree_iter_first(&t->svm.notifiers, 0, ULONG_MAX);
	     node; node = interval_tree_iter_next(node, 0, ULONG_MAX))
		count++;
	mutex_unlock(&t->svm.lock);
	return count;
}

/* Re-create the context of @t, its configuration changed by @tweak. */
void svm_test_reinit(struct svm_test *t, void (*tweak)(struct drm_svm_config *cfg))
{
	struct drm_svm_config cfg = {
		.name = "drm_svm_test",
		.drm = t->drm,
		.mm = current->mm,
		.start = SVM_TEST_BASE,
		.size = SVM_TEST_WINDOW,
		.ops = &t->ops,
	};

	tweak(&cfg);
	svm_test_fini(t);
	KUNIT_ASSERT_EQ(t->test, drm_svm_init(&t->svm, &cfg), 0);
	drm_svm_driver_set_lock(&t->svm, &t->lock);
	t->live = true;
}

/* The driver fault path for a fault at @addr (&drm_svm_ctx.fault_addr). */
int svm_test_fault_at(struct svm_test *t, unsigned long addr,
		      unsigned int access, struct drm_svm_range **rangep)
{
	struct drm_svm_ctx ctx = { .fault_addr = addr, .access = access };
	struct drm_svm_range *range;
	int err;

	range = svm_test_range(t, addr, access);
	if (IS_ERR(range))
		return PTR_ERR(range);
	mutex_lock(&t->lock);
	err = drm_svm_range_get_pages(&t->svm, range, &ctx);
	mutex_unlock(&t->lock);
	if (rangep && !err)
		*rangep = range;
	else
		drm_svm_range_put(range);
	return err;
}

/* Ranges of up to 512 KiB over VMAs smaller than 2 MiB: never THP. */
const unsigned long svm_test_small_chunks[3] = { SZ_512K, SZ_64K, SZ_4K };

struct svm_test *svm_test_create_small(struct kunit *test)
{
	return svm_test_create(test, 0, svm_test_small_chunks,
			       ARRAY_SIZE(svm_test_small_chunks));
}

struct drm_svm_range *svm_test_find_or_insert(struct svm_test *t,
					      unsigned long addr,
					      unsigned long gstart,
					      unsigned long gend,
					      unsigned int access)
{
	struct drm_svm_ctx ctx = { .access = access };
	struct drm_svm_range *range;

	mutex_lock(&t->lock);
	range = drm_svm_range_find_or_insert(&t->svm, addr, gstart, gend, &ctx);
	mutex_unlock(&t->lock);
	return range;
}

void svm_test_expect_range(struct kunit *test, struct drm_svm_range *range,
			   unsigned long start, unsigned long size)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, range);
	KUNIT_EXPECT_EQ(test, drm_svm_range_start(range), start);
	KUNIT_EXPECT_EQ(test, drm_svm_range_size(range), size);
}

void svm_test_expect_entries_match_cpu(struct svm_test *t,
				       struct drm_svm_range *range)
{
	unsigned long i, start = drm_svm_range_start(range);

	if (!svm_test_dma_direct(t))
		return;
	for (i = 0; i < drm_svm_range_npages(range); i++) {
		struct page *cpu = svm_test_cpu_page(t, start + (i << PAGE_SHIFT));

		KUNIT_EXPECT_TRUE(t->test, range->addrs[i].valid);
		KUNIT_EXPECT_PTR_EQ(t->test, svm_test_entry_page(t, &range->addrs[i]),
				    cpu);
	}
}

void svm_test_expect_inv(struct svm_test *t, unsigned int idx,
			 unsigned long start, unsigned long end,
			 enum drm_svm_inval_event event, int mmu_event)
{
	struct kunit *test = t->test;

	KUNIT_ASSERT_LT(test, idx, t->ninv);
	KUNIT_EXPECT_EQ(test, t->inv[idx].start, start);
	KUNIT_EXPECT_EQ(test, t->inv[idx].end, end);
	KUNIT_EXPECT_EQ(test, t->inv[idx].event, event);
	KUNIT_EXPECT_EQ(test, t->inv[idx].mmu_event, mmu_event);
}

void svm_test_fput_action(void *file)
{
	fput(file);
}

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for the DRM SVM helpers");
MODULE_LICENSE("GPL");
