// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit test of a munmap racing with the insertion of a new range
 * (drm_svm_range.c): a worker unmaps the memory while the fault is between
 * choosing the range's chunk and inserting the range.
 */

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define RW (PROT_READ | PROT_WRITE)
/* How long the race point gives the worker to unmap. */
#define RACE_WAIT_MS	200

struct insert_race {
	struct work_struct work;
	struct completion done;
	struct mm_struct *mm;
	unsigned long addr;
	unsigned long len;
	int err;
	bool queued;
	unsigned long early;
};

static void insert_race_munmap(struct work_struct *work)
{
	struct insert_race *race = container_of(work, struct insert_race, work);

	kthread_use_mm(race->mm);
	race->err = vm_munmap(race->addr, race->len);
	kthread_unuse_mm(race->mm);
	complete(&race->done);
}

/* Between chunk selection and insertion: unmap, give it time to finish. */
static void insert_race_point(struct drm_svm *svm, unsigned long addr)
{
	struct kunit *test = kunit_get_current_test();
	struct insert_race *race = test->priv;

	kunit_deactivate_static_stub(test, drm_svm_kunit_insert_point);
	race->queued = true;
	queue_work(system_unbound_wq, &race->work);
	/* The munmap waits for the mmap_lock the insertion holds. */
	race->early = wait_for_completion_timeout(&race->done,
						  msecs_to_jiffies(RACE_WAIT_MS));
}

/*
 * Test that a munmap racing with the insertion of a new range never leaves
 * a live range over the hole: it waits for the insertion and marks the
 * range unmapped, so the fault retries (-EAGAIN) and then finds no VMA.
 */
static void drm_test_svm_insert_munmap_race(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct insert_race race = {
		.mm = current->mm,
		.addr = B,
		.len = SZ_64K,
	};
	struct drm_svm_range *r;

	INIT_WORK_ONSTACK(&race.work, insert_race_munmap);
	init_completion(&race.done);
	test->priv = &race;
	svm_test_mmap(t, B, SZ_64K, RW);

	kunit_activate_static_stub(test, drm_svm_kunit_insert_point,
				   insert_race_point);
	r = svm_test_range(t, B, DRM_SVM_ACCESS_WRITE);
	/* The stub deactivates itself when it is reached. */
	if (!race.queued)
		kunit_deactivate_static_stub(test, drm_svm_kunit_insert_point);
	if (race.queued && !race.early &&
	    !wait_for_completion_timeout(&race.done, 10 * HZ))
		KUNIT_FAIL(test, "munmap did not finish after the insertion");
	flush_work(&race.work);
	destroy_work_on_stack(&race.work);

	KUNIT_ASSERT_TRUE_MSG(test, race.queued,
			      "no insertion point reached: %d",
			      PTR_ERR_OR_ZERO(r));
	KUNIT_ASSERT_EQ_MSG(test, race.early, 0,
			    "munmap finished while the insertion held the mmap_lock");
	KUNIT_ASSERT_EQ(test, race.err, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(r));
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, DRM_SVM_ACCESS_WRITE), -EAGAIN);
	drm_svm_range_put(r);

	KUNIT_EXPECT_EQ(test, svm_test_fault(t, B, DRM_SVM_ACCESS_READ, NULL), -ENOENT);
	mutex_lock(&t->lock);
	drm_svm_garbage_collect(&t->svm);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_NULL(test, drm_svm_range_find(&t->svm, B, B + SZ_64K));
}

static struct kunit_case drm_svm_insert_tests[] = {
	KUNIT_CASE(drm_test_svm_insert_munmap_race),
	{}
};

static struct kunit_suite drm_svm_insert_suite = {
	.name = "drm_svm_insert",
	.test_cases = drm_svm_insert_tests,
};

kunit_test_suite(drm_svm_insert_suite);
