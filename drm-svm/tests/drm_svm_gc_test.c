// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of drm_svm_gc.c: garbage collection of unmapped ranges and
 * teardown of a context (live ranges, pending work, process exit, races).
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define RW (PROT_READ | PROT_WRITE)
#define RD DRM_SVM_ACCESS_READ
#define WR DRM_SVM_ACCESS_WRITE

/* Test that the worker collects unmapped ranges without the driver. */
static void drm_test_svm_gc_worker(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_stats s;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, RD, NULL), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_512K), 0);
	flush_work(&t->svm.gc_work);

	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.ranges_collected, 1);
	KUNIT_EXPECT_EQ(test, s.ranges_removed, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 1);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 0);
	svm_test_fini(t);
}

/*
 * Test drm_svm_garbage_collect() from the driver's fault path, with the
 * worker held off: it removes exactly the unmapped ranges, once.
 */
static void drm_test_svm_gc_explicit(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_range *keep;
	unsigned int n;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, RD, NULL), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, &keep), 0);

	disable_work_sync(&t->svm.gc_work);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_64K), 0);
	mutex_lock(&t->lock);
	n = drm_svm_garbage_collect(&t->svm);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, n, 1);
	mutex_lock(&t->lock);
	n = drm_svm_garbage_collect(&t->svm);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, n, 0);
	enable_work(&t->svm.gc_work);

	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 1);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, keep));
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 1);
	drm_svm_range_put(keep);
	svm_test_fini(t);
}

/*
 * Test drm_svm_fini() with live ranges: ranges with pages are invalidated
 * first, everything is unmapped and freed except a range the driver still
 * references, which goes when that reference is dropped.
 */
static void drm_test_svm_fini_live_ranges(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_range *held, *r;
	unsigned int i;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &held), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, NULL), 0);
	r = svm_test_find_or_insert(t, B + SZ_512K + SZ_1M, B, B + SZ_4M, RD);
	KUNIT_EXPECT_EQ(test, PTR_ERR(r), -ENOENT);
	svm_test_mmap(t, B + SZ_2M, SZ_64K, RW);
	r = svm_test_range(t, B + SZ_2M, RD);	/* no pages */
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	drm_svm_range_put(r);

	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, t->ninv, 2);
	for (i = 0; i < min(t->ninv, 2u); i++)
		KUNIT_EXPECT_EQ(test, t->inv[i].event, DRM_SVM_INVAL_REMOVE);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nalloc), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 2);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(held));
	drm_svm_range_put(held);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 3);
}

/* Test drm_svm_fini() while an unmapped range waits for the collector. */
static void drm_test_svm_fini_pending_gc(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, NULL), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, WR, NULL), 0);
	disable_work_sync(&t->svm.gc_work);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_64K), 0);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 2);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

/*
 * Test process exit: when the last user of the address space goes, the
 * helper gets MMU_NOTIFY_RELEASE, zaps and unmaps everything, further
 * faults fail with -EAGAIN / -EFAULT and teardown still works. The test
 * thread borrows a second address space for this.
 */
static void drm_test_svm_fini_process_exit(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	struct mm_struct *mm1 = current->mm, *mm2;
	struct drm_svm_range *r = NULL;
	int err;

	svm_test_fini(t);
	mm2 = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm2);
	mm2->task_size = TASK_SIZE;
	arch_pick_mmap_layout(mm2, &current->signal->rlim[RLIMIT_STACK]);

	kthread_unuse_mm(mm1);
	kthread_use_mm(mm2);
	err = svm_test_init_svm(t, mm2, 0, svm_test_small_chunks,
				ARRAY_SIZE(svm_test_small_chunks));
	if (!err && vm_mmap(NULL, B, SZ_1M, RW, MAP_PRIVATE | MAP_ANONYMOUS |
			    MAP_FIXED_NOREPLACE, 0) != B)
		err = -ENOMEM;
	if (!err)
		err = svm_test_fault(t, B, WR, &r);
	kthread_unuse_mm(mm2);
	kthread_use_mm(mm1);
	mmput(mm2);
	KUNIT_ASSERT_EQ(test, err, 0);

	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	/* The whole address space goes: the event, clipped to the notifier. */
	svm_test_expect_inv(t, 0, B, B + SZ_512M, DRM_SVM_INVAL_UNMAP, MMU_NOTIFY_RELEASE);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(r));
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, WR), -EAGAIN);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B, RD)), -EFAULT);
	drm_svm_range_put(r);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), atomic_read(&t->nalloc));
}

struct racer {
	struct mm_struct *mm;
	unsigned long cycles;
	unsigned long errors;
};

/* Unmap and map the test window again and again, from another thread. */
static int racer_fn(void *data)
{
	struct racer *rc = data;

	kthread_use_mm(rc->mm);
	while (!kthread_should_stop()) {
		unsigned long addr;

		if (vm_munmap(B, SZ_1M))
			rc->errors++;
		addr = vm_mmap(NULL, B, SZ_1M, RW,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		if (addr != B)
			rc->errors++;
		rc->cycles++;
		/* Leave faults a window to complete in, now and then. */
		usleep_range(2000, 8000);
	}
	kthread_unuse_mm(rc->mm);
	return 0;
}

/*
 * Test faults, garbage collection and finally drm_svm_fini() while
 * another thread keeps unmapping and remapping the memory: every fault
 * either succeeds or fails with a documented errno, nothing stays mapped
 * and every range is freed (lockdep watches the lock order meanwhile).
 */
static void drm_test_svm_fini_racing_unmap(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	struct racer rc = { .mm = current->mm };
	struct task_struct *task;
	unsigned long ok = 0, eagain = 0, enoent = 0, efault = 0, ebusy = 0, i;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_TRUE(test, mmget_not_zero(rc.mm));
	task = kthread_run(racer_fn, &rc, "drm_svm_racer");
	if (IS_ERR(task)) {
		mmput(rc.mm);
		KUNIT_FAIL_AND_ABORT(test, "kthread_run: %ld", PTR_ERR(task));
	}

	for (i = 0; i < 400; i++) {
		unsigned long addr = B + ((unsigned long)get_random_u32_below(SZ_1M >> PAGE_SHIFT)
					  << PAGE_SHIFT);
		int err = svm_test_fault(t, addr, i & 1 ? WR : RD, NULL);

		switch (err) {
		case 0:
			ok++;
			break;
		case -EAGAIN:	/* unmapped while faulting */
			eagain++;
			break;
		case -ENOENT:	/* between munmap and mmap: back off */
			enoent++;
			usleep_range(500, 1000);
			break;
		case -EFAULT:	/* the VMA went during hmm_range_fault() */
			efault++;
			break;
		case -EBUSY:
			ebusy++;
			break;
		default:
			KUNIT_FAIL(test, "fault at %#lx: %d", addr, err);
		}
	}
	svm_test_fini(t);
	kthread_stop(task);
	mmput(rc.mm);

	kunit_info(test, "faults: %lu ok, %lu -EAGAIN, %lu -ENOENT, %lu -EFAULT, %lu -EBUSY; %lu unmap cycles",
		   ok, eagain, enoent, efault, ebusy, rc.cycles);
	KUNIT_EXPECT_GT(test, ok, 0);
	KUNIT_EXPECT_GT(test, rc.cycles, 0);
	KUNIT_EXPECT_EQ(test, rc.errors, 0);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), atomic_read(&t->nalloc));
}

static struct kunit_case drm_svm_gc_tests[] = {
	KUNIT_CASE(drm_test_svm_gc_worker),
	KUNIT_CASE(drm_test_svm_gc_explicit),
	KUNIT_CASE(drm_test_svm_fini_live_ranges),
	KUNIT_CASE(drm_test_svm_fini_pending_gc),
	KUNIT_CASE(drm_test_svm_fini_process_exit),
	KUNIT_CASE(drm_test_svm_fini_racing_unmap),
	{}
};

static struct kunit_suite drm_svm_gc_suite = {
	.name = "drm_svm_gc_fini",
	.test_cases = drm_svm_gc_tests,
};

kunit_test_suite(drm_svm_gc_suite);
