// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm VRAM
 *
 * Each device has ``vram_size_mb`` MiB of "VRAM" (module parameter,
 * default 256, 0 for none), registered as device-private pages with
 * drm_svm_devmem_init(): the CPU sees migrated memory as device-private
 * swap entries, the GPU maps it with %VSVM_PTE_VRAM entries whose address
 * is an offset into VRAM. The memory behind an offset is a host page the
 * driver allocates the first time the offset is used, and keeps until
 * the device goes.
 *
 * VRAM is managed with the DRM buddy allocator. Released VRAM stops
 * counting as used at once, and is cleared by the VRAM's clear work item
 * (unless allocations are waiting for space) before it goes back to the
 * allocator marked cleared, so migrating untouched memory, which must read
 * as zeros, needs no clearing on the fault path, and STATS never waits for
 * clearing. An allocation
 * (&struct vsvm_vram_bo) is made for one migration, one chunk of a range;
 * it is freed when its last device page is freed (munmap, migration back,
 * exit) through &drm_svm_devmem_ops.alloc_release. Allocations holding
 * data sit on an LRU list; when the buddy allocator is out of space the
 * least recently migrated allocation is evicted to system memory
 * (drm_svm_devmem_evict()) and the allocation retried. An allocation
 * being migrated into is not on the LRU, so it is never evicted under its
 * own migration; each retry evicts one allocation, and one call evicts at
 * most %VSVM_VRAM_EVICT_FACTOR times its own size, so it never sweeps
 * every other process's VRAM; then the caller maps the memory where it is.
 *
 * Locking: &vsvm_vram.lock (a mutex) protects the buddy allocator and the
 * LRU; it is never held while migrating or evicting, and the
 * migrate_to_ram path does not take it (the copy callbacks only touch the
 * backing pages).
 */

#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <drm/drm_buddy.h>
#include <drm/drm_print.h>

#include "vsvm_drv.h"
#include "vsvm_trace.h"

/*
 * How much one VRAM allocation may evict before it gives up: twice its own
 * size (evictions of busy pages free less than they cover).
 */
#define VSVM_VRAM_EVICT_FACTOR	2

static unsigned int vram_size_mb = 256;
module_param(vram_size_mb, uint, 0444);
MODULE_PARM_DESC(vram_size_mb,
		 "VRAM per device in MiB, rounded up to 2 MiB (default 256, 0: none)");

static struct vsvm_vram *to_vsvm_vram(struct drm_svm_devmem *dm)
{
	return container_of(dm, struct vsvm_vram, dm);
}

static struct vsvm_vram_bo *to_vsvm_vram_bo(struct drm_svm_devmem_alloc *alloc)
{
	return container_of(alloc, struct vsvm_vram_bo, base);
}

/*
 * The host page behind VRAM page @idx, allocated (zeroed) on first use;
 * *@fresh tells whether it was.
 */
static struct page *vsvm_vram_backing_get(struct vsvm_vram *vram,
					  unsigned long idx, bool *fresh)
{
	struct page *page = READ_ONCE(vram->backing[idx]);

	*fresh = false;
	if (page)
		return page;
	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO | __GFP_NOFAIL);
	if (cmpxchg(&vram->backing[idx], NULL, page)) {
		__free_page(page);
		return READ_ONCE(vram->backing[idx]);
	}
	*fresh = true;
	return page;
}

/**
 * vsvm_vram_page() - the host page backing a VRAM offset
 * @vdev: the device
 * @offset: byte offset into VRAM, from a %VSVM_PTE_VRAM entry
 *
 * Return: the page, or NULL for an offset outside VRAM or never used.
 */
struct page *vsvm_vram_page(struct vsvm_device *vdev, u64 offset)
{
	struct vsvm_vram *vram = &vdev->vram;

	if (offset >= vram->size)
		return NULL;
	return READ_ONCE(vram->backing[offset >> PAGE_SHIFT]);
}

static unsigned long vsvm_vram_idx(struct vsvm_vram *vram, struct page *page)
{
	return drm_svm_devmem_page_offset(&vram->dm, page) >> PAGE_SHIFT;
}

/*
 * Clear a page of VRAM (or one it goes back to). Not clear_highpage(): on
 * x86 CPUs that claim fast strings that is "rep stosb", which an emulated
 * CPU (QEMU TCG, where vsvm runs) executes a byte at a time; memset64() is
 * "rep stosq", five times faster there and as fast on hardware.
 */
static void vsvm_vram_clear_page(struct page *page)
{
	u64 *p = kmap_local_page(page);

	memset64(p, 0, PAGE_SIZE / sizeof(*p));
	kunmap_local(p);
}

static int vsvm_vram_copy_to_devmem(struct drm_svm_devmem *dm,
				    struct page **src, struct page **dst,
				    unsigned long npages)
{
	struct vsvm_vram *vram = to_vsvm_vram(dm);
	unsigned long i, n = 0;

	for (i = 0; i < npages; i++) {
		struct vsvm_vram_bo *bo;
		struct page *b;
		bool fresh;

		if (!dst[i])
			continue;
		b = vsvm_vram_backing_get(vram, vsvm_vram_idx(vram, dst[i]),
					  &fresh);
		bo = to_vsvm_vram_bo(drm_svm_devmem_page_alloc(dst[i]));
		if (src[i])
			copy_highpage(b, src[i]);
		else if (!fresh && !bo->cleared)
			vsvm_vram_clear_page(b);
		n++;
	}
	atomic64_add(n, &vram->migrations_to_vram);
	return 0;
}

static int vsvm_vram_copy_to_ram(struct drm_svm_devmem *dm, struct page **src,
				 struct page **dst, unsigned long npages)
{
	struct vsvm_vram *vram = to_vsvm_vram(dm);
	unsigned long i;

	for (i = 0; i < npages; i++) {
		struct page *b;

		if (!src[i] || !dst[i])
			continue;
		b = READ_ONCE(vram->backing[vsvm_vram_idx(vram, src[i])]);
		if (b)
			copy_highpage(dst[i], b);
		else
			vsvm_vram_clear_page(dst[i]);
	}
	return 0;
}

static void vsvm_vram_alloc_pfns(struct drm_svm_devmem_alloc *alloc,
				 unsigned long *pfns)
{
	struct vsvm_vram_bo *bo = to_vsvm_vram_bo(alloc);
	struct vsvm_vram *vram = bo->vram;
	struct gpu_buddy_block *block;
	unsigned long i = 0, j, n;

	list_for_each_entry(block, &bo->blocks, link) {
		n = gpu_buddy_block_size(&vram->buddy, block) >> PAGE_SHIFT;
		for (j = 0; j < n && i < alloc->npages; j++, i++)
			pfns[i] = vram->dm.base_pfn +
				  (gpu_buddy_block_offset(block) >> PAGE_SHIFT) + j;
	}
}

/* Clear the used pages of @bo, as GPU drivers clear VRAM on free. */
static void vsvm_vram_bo_clear(struct vsvm_vram_bo *bo)
{
	struct vsvm_vram *vram = bo->vram;
	struct gpu_buddy_block *block;
	unsigned long i, first, n;

	list_for_each_entry(block, &bo->blocks, link) {
		first = gpu_buddy_block_offset(block) >> PAGE_SHIFT;
		n = gpu_buddy_block_size(&vram->buddy, block) >> PAGE_SHIFT;
		for (i = first; i < first + n; i++)
			if (vram->backing[i])
				vsvm_vram_clear_page(vram->backing[i]);
		cond_resched();
	}
}

/* Give @bo's blocks back to the allocator and free it. */
static void vsvm_vram_bo_free(struct vsvm_vram_bo *bo, unsigned int flags)
{
	struct vsvm_vram *vram = bo->vram;

	mutex_lock(&vram->lock);
	gpu_buddy_free_list(&vram->buddy, &bo->blocks, flags);
	mutex_unlock(&vram->lock);
	kfree(bo);
}

/* Clear released allocations, then give them back as cleared memory. */
static void vsvm_vram_clear_work(struct work_struct *work)
{
	struct vsvm_vram *vram = container_of(work, struct vsvm_vram, clear_work);
	struct vsvm_vram_bo *bo;
	u64 size, start;

	for (;;) {
		mutex_lock(&vram->lock);
		bo = list_first_entry_or_null(&vram->clearing,
					      struct vsvm_vram_bo, lru_link);
		if (bo)
			list_del_init(&bo->lru_link);
		mutex_unlock(&vram->lock);
		if (!bo)
			return;
		size = bo->size;
		/* Under pressure the space is wanted back at once. */
		if (atomic_read(&vram->pressure)) {
			vsvm_vram_bo_free(bo, 0);
		} else {
			start = ktime_get_ns();
			vsvm_vram_bo_clear(bo);
			atomic64_add(ktime_get_ns() - start, &vram->clear_ns);
			vsvm_vram_bo_free(bo, GPU_BUDDY_CLEARED);
		}
		mutex_lock(&vram->lock);
		vram->clearing_bytes -= size;
		mutex_unlock(&vram->lock);
	}
}

/*
 * The last page of @alloc is gone: it no longer counts as used, and its
 * memory is cleared (which makes migrating untouched pages cheap) in the
 * VRAM's clear work, outside drm_svm's release work, so that waiting for
 * releases (vsvm_vram_used()) never waits for clearing.
 */
static void vsvm_vram_alloc_release(struct drm_svm_devmem_alloc *alloc)
{
	struct vsvm_vram_bo *bo = to_vsvm_vram_bo(alloc);
	struct vsvm_vram *vram = bo->vram;

	mutex_lock(&vram->lock);
	if (!list_empty(&bo->lru_link))
		list_del_init(&bo->lru_link);
	vram->used -= bo->size;
	vram->clearing_bytes += bo->size;
	list_add_tail(&bo->lru_link, &vram->clearing);
	mutex_unlock(&vram->lock);
	queue_work(system_unbound_wq, &vram->clear_work);
}

/*
 * Wait until the allocations released so far are back in the allocator.
 * Return: whether any were in flight.
 */
static bool vsvm_vram_flush(struct vsvm_vram *vram)
{
	bool busy = drm_svm_devmem_flush(&vram->dm);

	return flush_work(&vram->clear_work) || busy;
}

static const struct drm_svm_devmem_ops vsvm_vram_devmem_ops = {
	.copy_to_devmem = vsvm_vram_copy_to_devmem,
	.copy_to_ram = vsvm_vram_copy_to_ram,
	.alloc_pfns = vsvm_vram_alloc_pfns,
	.alloc_release = vsvm_vram_alloc_release,
};

/* Take the least recently used allocation off the LRU, referenced. */
static struct vsvm_vram_bo *vsvm_vram_lru_pop(struct vsvm_vram *vram)
{
	struct vsvm_vram_bo *bo, *next;

	lockdep_assert_held(&vram->lock);

	list_for_each_entry_safe(bo, next, &vram->lru, lru_link) {
		list_del_init(&bo->lru_link);
		/* Going away already: its release frees the space. */
		if (drm_svm_devmem_alloc_get_unless_zero(&bo->base))
			return bo;
	}
	return NULL;
}

/*
 * Evict @bo, taken off the LRU with a reference, and drop that reference.
 * Pages that stayed busy keep it on the LRU, for the next eviction.
 */
static int vsvm_vram_evict(struct vsvm_vram *vram, struct vsvm_vram_bo *bo)
{
	int err = drm_svm_devmem_evict(&bo->base);

	trace_vsvm_vram_evict(container_of(vram, struct vsvm_device, vram),
			      bo->size, err);
	atomic64_inc(&vram->evictions);
	if (err && atomic_long_read(&bo->base.used)) {
		mutex_lock(&vram->lock);
		if (list_empty(&bo->lru_link))
			list_add_tail(&bo->lru_link, &vram->lru);
		mutex_unlock(&vram->lock);
	}
	drm_svm_devmem_alloc_put(&bo->base);
	return err;
}

/**
 * vsvm_vram_bo_create() - allocate VRAM for one migration
 * @vdev: the device
 * @npages: number of pages
 *
 * Evicts least recently used allocations while the buddy allocator is
 * out of space, at most %VSVM_VRAM_EVICT_FACTOR times @npages of them.
 * Call without the mmap_lock.
 *
 * Return: the allocation, with one reference, or an ERR_PTR(): -ENODEV
 * without VRAM, -ENOSPC if @npages does not fit (even after the evictions
 * allowed), -ENOMEM.
 */
struct vsvm_vram_bo *vsvm_vram_bo_create(struct vsvm_device *vdev,
					 unsigned long npages)
{
	struct vsvm_vram *vram = &vdev->vram;
	u64 size = (u64)npages << PAGE_SHIFT;
	struct vsvm_vram_bo *bo, *victim;
	u64 evicted = 0;
	bool pressure = false;
	int err;

	if (!vram->size)
		return ERR_PTR(-ENODEV);
	if (!npages || size > vram->size)
		return ERR_PTR(-ENOSPC);

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->vram = vram;
	bo->size = size;
	INIT_LIST_HEAD(&bo->blocks);
	INIT_LIST_HEAD(&bo->lru_link);

	for (;;) {
		mutex_lock(&vram->lock);
		err = gpu_buddy_alloc_blocks(&vram->buddy, 0, vram->size, size,
					     PAGE_SIZE, &bo->blocks,
					     GPU_BUDDY_CLEAR_ALLOCATION);
		if (!err) {
			struct gpu_buddy_block *block;

			vram->used += size;
			mutex_unlock(&vram->lock);
			bo->cleared = true;
			list_for_each_entry(block, &bo->blocks, link)
				bo->cleared &= gpu_buddy_block_is_clear(block);
			break;
		}
		if (!pressure) {
			pressure = true;
			atomic_inc(&vram->pressure);
		}
		victim = err == -ENOSPC &&
			 evicted < VSVM_VRAM_EVICT_FACTOR * size ?
			 vsvm_vram_lru_pop(vram) : NULL;
		mutex_unlock(&vram->lock);
		if (err != -ENOSPC)
			goto err_free;
		if (!victim) {
			/* Releases in flight give space back; else give up. */
			if (!vsvm_vram_flush(vram))
				goto err_free;
			continue;
		}
		evicted += victim->size;
		vsvm_vram_evict(vram, victim);
		vsvm_vram_flush(vram);
	}
	if (pressure)
		atomic_dec(&vram->pressure);
	drm_svm_devmem_alloc_init(&bo->base, &vram->dm, npages);
	return bo;

err_free:
	if (pressure)
		atomic_dec(&vram->pressure);
	kfree(bo);
	return ERR_PTR(err);
}

/**
 * vsvm_vram_bo_done() - end a migration into an allocation
 * @bo: the allocation from vsvm_vram_bo_create()
 * @migrated: pages migrated into it
 *
 * Puts the allocation on the LRU if it holds data, and drops the
 * creator's reference: from now on its pages keep it alive.
 */
void vsvm_vram_bo_done(struct vsvm_vram_bo *bo, unsigned long migrated)
{
	struct vsvm_vram *vram = bo->vram;

	if (migrated) {
		mutex_lock(&vram->lock);
		/* Not if every page went already (its release is queued). */
		if (atomic_long_read(&bo->base.used))
			list_add_tail(&bo->lru_link, &vram->lru);
		mutex_unlock(&vram->lock);
	}
	drm_svm_devmem_alloc_put(&bo->base);
}

/**
 * vsvm_vram_used() - bytes of VRAM allocated now
 * @vdev: the device
 *
 * Waits for drm_svm's allocation releases in flight first, so that
 * memory freed before the call is not counted; not for the clearing of
 * released memory, which happens after it stops counting.
 *
 * Return: the bytes in use.
 */
u64 vsvm_vram_used(struct vsvm_device *vdev)
{
	struct vsvm_vram *vram = &vdev->vram;
	u64 used;

	if (!vram->size)
		return 0;
	drm_svm_devmem_flush(&vram->dm);
	mutex_lock(&vram->lock);
	used = vram->used;
	mutex_unlock(&vram->lock);
	return used;
}

/**
 * vsvm_vram_evict_all() - evict every allocation
 * @vdev: the device
 *
 * Return: 0, or -EBUSY if some pages stayed busy.
 */
int vsvm_vram_evict_all(struct vsvm_device *vdev)
{
	struct vsvm_vram *vram = &vdev->vram;
	struct vsvm_vram_bo *bo;
	int err = 0;

	if (!vram->size)
		return 0;
	for (;;) {
		mutex_lock(&vram->lock);
		bo = vsvm_vram_lru_pop(vram);
		mutex_unlock(&vram->lock);
		if (!bo)
			break;
		if (vsvm_vram_evict(vram, bo))
			err = -EBUSY;
	}
	vsvm_vram_flush(vram);
	return err;
}

/**
 * vsvm_vram_init() - set up a device's VRAM
 * @vdev: the device
 *
 * Return: 0 (also with vram_size_mb=0: no VRAM), or a negative errno.
 */
int vsvm_vram_init(struct vsvm_device *vdev)
{
	struct vsvm_vram *vram = &vdev->vram;
	u64 size = ALIGN((u64)vram_size_mb << 20, SZ_2M);
	int err;

	mutex_init(&vram->lock);
	INIT_LIST_HEAD(&vram->lru);
	INIT_LIST_HEAD(&vram->clearing);
	INIT_WORK(&vram->clear_work, vsvm_vram_clear_work);
	vram->size = 0;
	if (!size)
		return 0;

	vram->backing = kvcalloc(size >> PAGE_SHIFT, sizeof(*vram->backing),
				 GFP_KERNEL);
	if (!vram->backing)
		return -ENOMEM;
	err = gpu_buddy_init(&vram->buddy, size, PAGE_SIZE);
	if (err)
		goto err_free;
	err = drm_svm_devmem_init(&vram->dm, vdev->drm.dev, size, vdev,
				  &vsvm_vram_devmem_ops);
	if (err)
		goto err_buddy;
	vram->size = size;
	return 0;

err_buddy:
	gpu_buddy_fini(&vram->buddy);
err_free:
	kvfree(vram->backing);
	vram->backing = NULL;
	return err;
}

/**
 * vsvm_vram_fini() - tear a device's VRAM down
 * @vdev: the device; no process uses it any more
 */
void vsvm_vram_fini(struct vsvm_device *vdev)
{
	struct vsvm_vram *vram = &vdev->vram;
	unsigned long i;

	if (vram->size) {
		vsvm_vram_evict_all(vdev);
		drm_svm_devmem_fini(&vram->dm);
		/* Releases the fini completed queued their clearing. */
		flush_work(&vram->clear_work);
		gpu_buddy_fini(&vram->buddy);
		for (i = 0; i < vram->size >> PAGE_SHIFT; i++)
			if (vram->backing[i])
				__free_page(vram->backing[i]);
		kvfree(vram->backing);
		vram->size = 0;
	}
	mutex_destroy(&vram->lock);
}

/**
 * vsvm_vram_print() - VRAM state for debugfs
 * @vdev: the device
 * @p: where to print
 */
void vsvm_vram_print(struct vsvm_device *vdev, struct drm_printer *p)
{
	struct vsvm_vram *vram = &vdev->vram;
	struct drm_svm_devmem *dm = &vram->dm;

	drm_printf(p, "vram_size %llu vram_used %llu evictions %lld\n",
		   vram->size, vsvm_vram_used(vdev),
		   atomic64_read(&vram->evictions));
	drm_printf(p, "migrations_to_vram %lld migrations_to_ram %lld\n",
		   atomic64_read(&vram->migrations_to_vram),
		   vram->size ? atomic64_read(&dm->migrated_to_ram) : 0);
	drm_printf(p, "cpu_faults %lld pages_in_use %lld\n",
		   vram->size ? atomic64_read(&dm->cpu_faults) : 0,
		   vram->size ? atomic64_read(&dm->pages_in_use) : 0);
	if (vram->size) {
		mutex_lock(&vram->lock);
		drm_printf(p, "clearing_bytes %llu clear_ns %lld\n",
			   vram->clearing_bytes, atomic64_read(&vram->clear_ns));
		drm_buddy_print(&vram->buddy, p);
		mutex_unlock(&vram->lock);
	}
}
