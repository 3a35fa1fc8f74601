/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __DRM_SVM_TEST_UTIL_H__
#define __DRM_SVM_TEST_UTIL_H__

#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include <drm/drm_svm.h>

struct file;
struct kunit;
struct mm_struct;
struct page;

/* Where the tests map user memory: 1 GiB aligned, far from anything else. */
#define SVM_TEST_BASE		0x200000000000UL
/* The context's GPU VA window: [SVM_TEST_BASE, + SVM_TEST_WINDOW). */
#define SVM_TEST_WINDOW		SZ_1G
#define SVM_TEST_MAX_INV	32

/* One recorded call of the invalidate callback. */
struct svm_test_inv {
	unsigned long start;
	unsigned long end;
	enum drm_svm_inval_event event;
	int mmu_event;	/* enum mmu_notifier_event, -1 without one */
};

/* A mock driver VM: the context, the driver lock and what it saw. */
struct svm_test {
	struct kunit *test;
	struct device *dev;
	struct drm_device *drm;
	/* The driver lock, held around the fault path. */
	struct mutex lock;
	struct drm_svm svm;
	struct drm_svm_ops ops;
	bool live;
	unsigned int ninv;
	struct svm_test_inv inv[SVM_TEST_MAX_INV];
	atomic_t nalloc;
	atomic_t nfree;
	/* For the race-point stub. */
	unsigned int race_calls;
	unsigned int race_zaps;
};

/* A driver range embedding the helper's. */
struct svm_test_range {
	struct drm_svm_range base;
	u32 magic;
};

#define SVM_TEST_RANGE_MAGIC	0x5356d00d

struct svm_test *svm_test_create(struct kunit *test, unsigned long notifier_size,
				 const unsigned long *chunks, unsigned int num);
int svm_test_init_svm(struct svm_test *t, struct mm_struct *mm,
		      unsigned long notifier_size, const unsigned long *chunks,
		      unsigned int num);
void svm_test_fini(struct svm_test *t);

unsigned long svm_test_mmap(struct svm_test *t, unsigned long addr,
			    unsigned long len, unsigned long prot);
unsigned long svm_test_mmap_file(struct svm_test *t, struct file *file,
				 unsigned long addr, unsigned long len,
				 unsigned long prot, unsigned long flags);
void svm_test_fill(struct svm_test *t, unsigned long addr, unsigned long len,
		   u8 seed);
bool svm_test_check(struct svm_test *t, unsigned long addr, unsigned long len,
		    u8 seed);
void svm_test_zap(struct svm_test *t, unsigned long addr, unsigned long len);

struct drm_svm_range *svm_test_range(struct svm_test *t, unsigned long addr,
				     unsigned int access);
int svm_test_fault(struct svm_test *t, unsigned long addr, unsigned int access,
		   struct drm_svm_range **rangep);
int svm_test_get_pages(struct svm_test *t, struct drm_svm_range *range,
		       unsigned int access);
bool svm_test_valid(struct svm_test *t, struct drm_svm_range *range);

void svm_test_reinit(struct svm_test *t, void (*tweak)(struct drm_svm_config *cfg));
int svm_test_fault_at(struct svm_test *t, unsigned long addr,
		      unsigned int access, struct drm_svm_range **rangep);

bool svm_test_dma_direct(struct svm_test *t);
struct page *svm_test_entry_page(struct svm_test *t,
				 const struct drm_svm_addr *a);
struct page *svm_test_cpu_page(struct svm_test *t, unsigned long addr);
u64 svm_test_stat_mapped(struct svm_test *t);
unsigned int svm_test_count_notifiers(struct svm_test *t);

/* Shared by the suites of drm_svm_{range,pages,notifier,gc}_test.c. */

/* Ranges of up to 512 KiB over VMAs smaller than 2 MiB: never THP. */
extern const unsigned long svm_test_small_chunks[3];
/* A context with svm_test_small_chunks. */
struct svm_test *svm_test_create_small(struct kunit *test);
struct drm_svm_range *svm_test_find_or_insert(struct svm_test *t,
					      unsigned long addr,
					      unsigned long gstart,
					      unsigned long gend,
					      unsigned int access);
/* Expects @range to be [@start, @start + @size). */
void svm_test_expect_range(struct kunit *test, struct drm_svm_range *range,
			   unsigned long start, unsigned long size);
/* Expects every entry of @range to map the page the CPU maps, if checkable. */
void svm_test_expect_entries_match_cpu(struct svm_test *t,
				       struct drm_svm_range *range);
/* Expects invalidate call @idx to have been for [@start, @end). */
void svm_test_expect_inv(struct svm_test *t, unsigned int idx,
			 unsigned long start, unsigned long end,
			 enum drm_svm_inval_event event, int mmu_event);
/* A kunit_add_action() callback that drops a file reference. */
void svm_test_fput_action(void *file);

#endif /* __DRM_SVM_TEST_UTIL_H__ */
