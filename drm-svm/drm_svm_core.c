// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_svm.h>

#include "drm_svm_internal.h"

/**
 * DOC: Overview
 *
 * The drm_svm helpers let a DRM driver mirror a process address space on
 * its GPU (shared virtual memory, SVM): the GPU uses CPU virtual addresses
 * and faults pages in on demand, through hmm_range_fault() and MMU
 * notifiers, instead of the application binding buffer objects.
 *
 * Key components:
 *
 * - Context (&struct drm_svm): one per GPU VM, bound to one &mm_struct and
 *   one GPU VA window. Embedded in the driver's VM, set up by
 *   drm_svm_init() and torn down by drm_svm_fini().
 *
 * - Notifiers: &mmu_interval_notifier over windows of
 *   &drm_svm_config.notifier_size (512 MiB by default), aligned to that
 *   size. A notifier is inserted on the first GPU fault in its window and
 *   removed with its last range.
 *
 * - Ranges (&struct drm_svm_range): the unit of GPU faulting. On a fault
 *   drm_svm_range_find_or_insert() returns the range holding the address
 *   or creates one of the largest chunk size (2 MiB, 64 KiB, 4 KiB by
 *   default) that is aligned, lies inside the CPU VMA, the notifier window
 *   and the GPU VA window, and overlaps no other range. Ranges are
 *   reference counted and may be embedded in a driver structure.
 *
 * - Pages: drm_svm_range_get_pages() faults the range in with
 *   hmm_range_fault() for the access the GPU asked for, DMA-maps system
 *   pages (huge pages in one piece) and asks the driver for the address
 *   of its own device pages. The result is &drm_svm_range.addrs, valid as
 *   long as drm_svm_range_pages_valid() says so under the notifier lock.
 *
 * - Invalidation: when the CPU page tables change, the helper's notifier
 *   callback calls &drm_svm_ops.invalidate for the affected interval, then
 *   unmaps the pages. Unmapped ranges are garbage collected by the helper.
 *
 * What the driver provides:
 *
 * - a GPU fault handler following the example below;
 * - &drm_svm_ops.invalidate, which zaps GPU page-table entries;
 * - optionally &drm_svm_ops.range_alloc / &drm_svm_ops.range_free to embed
 *   ranges, and &drm_svm_ops.device_map for device memory.
 *
 * Races are retried, not locked out: whenever the CPU invalidates a range
 * between drm_svm_range_get_pages() and the GPU page-table commit,
 * drm_svm_range_pages_valid() returns false and the driver retries.
 */

/**
 * DOC: Locking
 *
 * Locks, outermost first:
 *
 * 1. The driver lock, e.g. the VM lock, held by the driver around its
 *    fault handler and around drm_svm_range_find_or_insert(),
 *    drm_svm_range_get_pages(), drm_svm_range_remove() and
 *    drm_svm_garbage_collect(). Register it with drm_svm_driver_set_lock()
 *    and those functions assert it with lockdep.
 * 2. &drm_svm.lock, internal: serialises changes of the notifier and range
 *    trees. Also taken by the garbage collection worker and drm_svm_fini().
 * 3. &mm_struct.mmap_lock, taken for read around VMA lookups and
 *    hmm_range_fault(); the core MM takes it for write when the first
 *    notifier of an address space is inserted.
 * 4. &drm_svm.notifier_lock, a reader/writer semaphore: the MMU notifier
 *    callback takes it for write, the driver takes it for read around its
 *    GPU page-table commit (drm_svm_notifier_lock()). It protects the
 *    range trees and every range's pages.
 *
 * The MMU notifier callback runs with mmap_lock held or from memory
 * reclaim and takes only the notifier lock, so nothing may allocate
 * memory that can recurse into reclaim while holding the notifier lock;
 * drm_svm_init() teaches lockdep both orders (reclaim -> notifier lock,
 * &drm_svm.lock -> mmap_lock -> notifier lock) so a violation is reported
 * the first time the code path runs, not when the race hits.
 *
 * &drm_svm_ops.invalidate is called with the notifier lock held for write.
 * It must not take the driver lock or &drm_svm.lock, nor call back into
 * the helpers.
 */

/**
 * DOC: Example
 *
 * A GPU fault handler. vm->lock is the driver lock, registered with
 * drm_svm_driver_set_lock(); driver_bind() writes GPU page-table entries
 * from &drm_svm_range.addrs.
 *
 * .. code-block:: c
 *
 *	int driver_gpu_fault(struct driver_vm *vm, u64 addr, bool write)
 *	{
 *		struct drm_svm_ctx ctx = {
 *			.access = write ? DRM_SVM_ACCESS_WRITE : DRM_SVM_ACCESS_READ,
 *		};
 *		struct drm_svm_range *range;
 *		int err;
 *
 *		down_write(&vm->lock);
 *	retry:
 *		drm_svm_garbage_collect(&vm->svm);
 *		range = drm_svm_range_find_or_insert(&vm->svm, addr, vm->va_start,
 *						     vm->va_end, &ctx);
 *		if (IS_ERR(range)) {
 *			err = PTR_ERR(range);
 *			goto out_unlock;
 *		}
 *
 *		err = drm_svm_range_get_pages(&vm->svm, range, &ctx);
 *		if (err == -EAGAIN) {		// unmapped meanwhile
 *			drm_svm_range_put(range);
 *			goto retry;
 *		}
 *		if (err)
 *			goto out_put;
 *
 *		drm_svm_notifier_lock(&vm->svm);
 *		if (!drm_svm_range_pages_valid(&vm->svm, range)) {
 *			drm_svm_notifier_unlock(&vm->svm);
 *			drm_svm_range_put(range);
 *			goto retry;		// invalidated meanwhile
 *		}
 *		driver_bind(vm, range);		// no allocation in here
 *		drm_svm_notifier_unlock(&vm->svm);
 *
 *	out_put:
 *		drm_svm_range_put(range);
 *	out_unlock:
 *		up_write(&vm->lock);
 *		return err;
 *	}
 *
 * And the invalidation callback:
 *
 * .. code-block:: c
 *
 *	static void driver_invalidate(struct drm_svm *svm,
 *				      const struct drm_svm_invalidation *inv)
 *	{
 *		struct driver_vm *vm = container_of(svm, struct driver_vm, svm);
 *
 *		driver_zap_ptes(vm, inv->start, inv->end);
 *		driver_flush_tlb_and_wait(vm);
 *	}
 */

static const unsigned long drm_svm_default_chunks[] = { SZ_2M, SZ_64K, SZ_4K };

static int drm_svm_check_chunks(const unsigned long *chunks, unsigned int num,
				unsigned long notifier_size)
{
	unsigned int i;

	if (!num || num > DRM_SVM_MAX_CHUNKS)
		return -EINVAL;
	if (chunks[0] > notifier_size || chunks[num - 1] != PAGE_SIZE)
		return -EINVAL;
	for (i = 0; i < num; i++) {
		if (!is_power_of_2(chunks[i]))
			return -EINVAL;
		if (i && chunks[i] >= chunks[i - 1])
			return -EINVAL;
	}
	return 0;
}

static int drm_svm_check_config(const struct drm_svm_config *cfg)
{
	const unsigned long *chunks = cfg->chunk_sizes;
	unsigned long nsize = cfg->notifier_size ?: DRM_SVM_DEFAULT_NOTIFIER_SIZE;
	unsigned int num = cfg->num_chunks;

	if (!cfg->mm || !cfg->ops || !cfg->ops->invalidate)
		return -EINVAL;
	if (!cfg->dma_dev && !cfg->drm)
		return -EINVAL;
	if (!cfg->size || !PAGE_ALIGNED(cfg->start) || !PAGE_ALIGNED(cfg->size))
		return -EINVAL;
	if (cfg->start + cfg->size - 1 < cfg->start)
		return -EINVAL;
	if (!is_power_of_2(nsize) || nsize < PAGE_SIZE)
		return -EINVAL;
	if (!chunks) {
		if (num)
			return -EINVAL;
		chunks = drm_svm_default_chunks;
		num = ARRAY_SIZE(drm_svm_default_chunks);
	}
	return drm_svm_check_chunks(chunks, num, nsize);
}

/*
 * Teach lockdep the lock order once, so that an inversion shows up in
 * every test run rather than only when two paths actually race.
 */
static void drm_svm_prime_lockdep(struct drm_svm *svm)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;

	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&svm->notifier_lock);
	fs_reclaim_release(GFP_KERNEL);

	mutex_lock(&svm->lock);
	mmap_read_lock(svm->mm);
	might_lock(&svm->notifier_lock);
	mmap_read_unlock(svm->mm);
	mutex_unlock(&svm->lock);
}

/**
 * drm_svm_init() - initialise an SVM context
 * @svm: the context, usually embedded in the driver's VM
 * @config: the arguments, see &struct drm_svm_config
 *
 * Binds @svm to @config->mm (taking an mmgrab() reference) and to the GPU
 * VA window [@config->start, @config->start + @config->size). Nothing is
 * mapped and no notifier is registered until the first GPU fault. Must
 * not be called with the mmap_lock of @config->mm held.
 *
 * Return: 0 on success, -EINVAL if the configuration is invalid: missing
 * mm, ops, &drm_svm_ops.invalidate or device; a window that is empty,
 * unaligned or wraps; a notifier size that is not a power of two; a chunk
 * list that is empty, longer than %DRM_SVM_MAX_CHUNKS, not strictly
 * descending powers of two, not ending at PAGE_SIZE or larger than the
 * notifier size.
 */
int drm_svm_init(struct drm_svm *svm, const struct drm_svm_config *config)
{
	int err;

	err = drm_svm_check_config(config);
	if (err)
		return err;

	memset(svm, 0, sizeof(*svm));
	svm->name = config->name ?: "drm_svm";
	svm->drm = config->drm;
	svm->dev = config->dma_dev ?: config->drm->dev;
	svm->mm = config->mm;
	svm->start = config->start;
	svm->end = config->start + config->size;
	svm->notifier_size = config->notifier_size ?: DRM_SVM_DEFAULT_NOTIFIER_SIZE;
	if (config->chunk_sizes) {
		svm->num_chunks = config->num_chunks;
		memcpy(svm->chunk_sizes, config->chunk_sizes,
		       config->num_chunks * sizeof(*config->chunk_sizes));
	} else {
		svm->num_chunks = ARRAY_SIZE(drm_svm_default_chunks);
		memcpy(svm->chunk_sizes, drm_svm_default_chunks,
		       sizeof(drm_svm_default_chunks));
	}
	svm->device_private_owner = config->device_private_owner;
	svm->ops = config->ops;
	svm->atomic_max_pages = config->atomic_max_pages ?:
				DRM_SVM_ATOMIC_MAX_PAGES_DEFAULT;
	svm->zero_dma = dma_map_page(svm->dev, ZERO_PAGE(0), 0, PAGE_SIZE,
				     DMA_TO_DEVICE);
	if (dma_mapping_error(svm->dev, svm->zero_dma))
		return -ENOMEM;

	init_rwsem(&svm->notifier_lock);
	mutex_init(&svm->lock);
	svm->notifiers = RB_ROOT_CACHED;
	drm_svm_gc_init(svm);
	drm_svm_attr_init(svm, config->attr_max_intervals);

	mmgrab(svm->mm);
	drm_svm_prime_lockdep(svm);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_svm_init);

static struct drm_svm_range *drm_svm_first_range(struct drm_svm *svm)
{
	struct interval_tree_node *node;
	struct drm_svm_notifier *notifier;

	lockdep_assert_held(&svm->lock);

	node = interval_tree_iter_first(&svm->notifiers, 0, ULONG_MAX);
	if (!node)
		return NULL;
	notifier = container_of(node, struct drm_svm_notifier, itree);
	/* A linked notifier always holds at least one range. */
	return drm_svm_range_first_in(notifier, 0, ULONG_MAX);
}

/**
 * drm_svm_fini() - tear down an SVM context
 * @svm: the context
 *
 * Removes every range and notifier; ranges that still have pages are
 * invalidated first (&drm_svm_ops.invalidate with %DRM_SVM_INVAL_REMOVE),
 * so the driver's callbacks must keep working until this returns. Waits
 * for MMU notifier callbacks in flight and for the garbage collector, and
 * drops the context's mm reference. Faults the driver still has in
 * flight on other threads fail with -EAGAIN at their next helper call;
 * the driver must not start new ones, and must drop its own range
 * references before freeing @svm. Last, the pages still device-exclusive
 * for GPU atomics are taken back (see DOC: Atomics), if the address space
 * still exists.
 *
 * Context: Process context; sleeps. Not with the mmap_lock of the
 * context's mm held.
 */
void drm_svm_fini(struct drm_svm *svm)
{
	struct drm_svm_range *range;

	mutex_lock(&svm->lock);
	svm->closed = 1;
	while ((range = drm_svm_first_range(svm)))
		drm_svm_range_remove_locked(svm, range);
	mutex_unlock(&svm->lock);

	drm_svm_gc_fini(svm);
	/* No notifier is left: what a plugged-in part undoes goes unseen. */
	if (svm->hooks)
		svm->hooks->fini(svm);
	drm_svm_attr_fini(svm);
	dma_unmap_page(svm->dev, svm->zero_dma, PAGE_SIZE, DMA_TO_DEVICE);
	mmdrop(svm->mm);
	mutex_destroy(&svm->lock);
}
EXPORT_SYMBOL_GPL(drm_svm_fini);

MODULE_DESCRIPTION("DRM shared virtual memory helpers");
MODULE_LICENSE("GPL");
