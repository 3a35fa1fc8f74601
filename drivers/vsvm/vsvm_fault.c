// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm replayable faults
 *
 * When the engine misses in the GPU page table, or the entry lacks the
 * permission the access needs, it posts an entry (address, access,
 * channel) to the VM's fault buffer and stalls that channel. The fault
 * handler (run by the stalled channel's worker when no other drain is
 * running, else by a work item after it) drains the buffer in one batch, sorts it by
 * address, services each page once for the strongest access asked for
 * (find_or_insert, get_pages, page-table commit under the notifier lock,
 * retried while drm_svm says the pages changed under it), and wakes the
 * stalled channels, which replay the access. An ATOMIC fault on system
 * memory also needs the page device-exclusive, or in VRAM (vsvm_atomic.c).
 * A fault that cannot be serviced (no VMA, PROT_NONE, write to read-only,
 * outside the window) fails the channel's current submission with
 * -EFAULT; an atomic the VA range's atomic policy refuses, with -EPERM.
 */

#include <linux/ktime.h>
#include <linux/sort.h>

#include "vsvm_drv.h"

/* Attempts at one fault while the pages keep changing under it. */
#define VSVM_FAULT_TRIES	16

/**
 * vsvm_fault_post() - post a fault and kick the fault handler
 * @ch: the channel that stalls on it
 * @addr: faulting address
 * @access: DRM_VSVM_ACCESS_*
 *
 * The channel must have set its &vsvm_channel.fault_state to pending. A
 * channel has at most one fault posted, so the buffer cannot overflow.
 * The caller then kicks the handler with vsvm_fault_kick().
 */
void vsvm_fault_post(struct vsvm_channel *ch, unsigned long addr, u32 access)
{
	struct vsvm_vm *vm = ch->vm;

	spin_lock(&vm->fault_lock);
	vm->faults[vm->nr_faults++] = (struct vsvm_fault) {
		.addr = addr,
		.access = access,
		.channel = ch->index,
	};
	spin_unlock(&vm->fault_lock);
	atomic64_inc(&vm->gpu_faults);
}

static unsigned int vsvm_svm_access(u32 access)
{
	switch (access) {
	case DRM_VSVM_ACCESS_WRITE:
		return DRM_SVM_ACCESS_WRITE;
	case DRM_VSVM_ACCESS_ATOMIC:
		return DRM_SVM_ACCESS_WRITE | DRM_SVM_ACCESS_ATOMIC;
	default:
		return DRM_SVM_ACCESS_READ;
	}
}

/* Whether the 2 MiB block at page @i of @range can take one entry. */
static bool vsvm_block_huge(struct drm_svm_range *range, unsigned long i)
{
	unsigned long va = drm_svm_range_start(range) + (i << PAGE_SHIFT);
	const struct drm_svm_addr *a = &range->addrs[i];

	return IS_ALIGNED(va, SZ_2M) &&
	       i + (SZ_2M >> PAGE_SHIFT) <= drm_svm_range_npages(range) &&
	       a->valid && a->order >= PMD_SHIFT - PAGE_SHIFT &&
	       vsvm_access_uniform(range->svm, va, SZ_2M);
}

static u64 vsvm_pte(const struct drm_svm_addr *a)
{
	u64 pte = (a->addr & VSVM_PTE_ADDR) | VSVM_PTE_VALID;

	if (a->writable)
		pte |= VSVM_PTE_WRITE;
	if (a->device)
		pte |= VSVM_PTE_VRAM;
	if (a->atomic)
		pte |= VSVM_PTE_ATOMIC;
	return pte;
}

static int vsvm_bind_prepare(struct vsvm_vm *vm, struct drm_svm_range *range,
			     unsigned long first, unsigned long npages)
{
	unsigned long i, step;
	int err;

	for (i = first; i < npages; i += step) {
		unsigned long va = drm_svm_range_start(range) + (i << PAGE_SHIFT);
		bool huge = vsvm_block_huge(range, i);

		err = vsvm_pt_prepare(&vm->pt, va, huge);
		if (err)
			return err;
		step = (ALIGN(va + 1, SZ_2M) - va) >> PAGE_SHIFT;
	}
	return 0;
}

/*
 * Commit the range's pages [@first, @npages) to the GPU page table (an
 * ATOMIC fault commits only its window: the rest of the range is mapped
 * already, or faults on its own). The tables were allocated beforehand;
 * the addresses are read under the notifier lock once drm_svm said they
 * are still valid.
 */
static int vsvm_bind_range(struct vsvm_vm *vm, struct drm_svm_range *range,
			   unsigned long first, unsigned long npages)
{
	unsigned long start = drm_svm_range_start(range);
	unsigned long i, acc_end = 0;
	u32 acc = DRM_SVM_ATTR_ACCESS_RW;
	int err;

	/* Whole huge pieces, so that a 2M entry is never cut. */
	first = ALIGN_DOWN(first, 1UL << range->addrs[first].order);
	npages = ALIGN(npages, 1UL << range->addrs[npages - 1].order);
	err = vsvm_bind_prepare(vm, range, first, npages);
	if (err)
		return err;

	drm_svm_notifier_lock(&vm->svm);
	if (!drm_svm_range_pages_valid(&vm->svm, range)) {
		err = -EAGAIN;
		goto out_unlock;
	}
	for (i = first; i < npages; ) {
		const struct drm_svm_addr *a = &range->addrs[i];
		bool huge = vsvm_block_huge(range, i);

		unsigned long va = start + (i << PAGE_SHIFT);

		/* The ACCESS attribute: no entry, or no write permission. */
		if (va >= acc_end)
			acc = vsvm_gpu_access_at(vm, va, &acc_end);
		if (a->valid && acc != DRM_SVM_ATTR_ACCESS_NONE) {
			u64 pte = vsvm_pte(a);

			if (acc == DRM_SVM_ATTR_ACCESS_RO)
				pte &= ~(VSVM_PTE_WRITE | VSVM_PTE_ATOMIC);
			err = vsvm_pt_set(&vm->pt, va, pte, huge);
			if (err)
				goto out_unlock;
		}
		i += huge ? SZ_2M >> PAGE_SHIFT : 1;
	}
out_unlock:
	drm_svm_notifier_unlock(&vm->svm);
	return err;
}

/* Add the time since @since to @sum; return the time now. */
static u64 vsvm_fault_time(atomic64_t *sum, u64 since)
{
	u64 now = ktime_get_ns();

	atomic64_add(now - since, sum);
	return now;
}

/**
 * vsvm_fault_service() - make an address accessible to the GPU
 * @vm: the VM
 * @addr: the address
 * @access: DRM_VSVM_ACCESS_*
 *
 * Return: 0, or the negative errno drm_svm gave (-EFAULT, -ENOENT,
 * -EPERM, -EINVAL, -EBUSY, -ENOMEM, -EOPNOTSUPP), or -EACCES for an
 * atomic the policy refuses: the fault cannot be serviced.
 */
int vsvm_fault_service(struct vsvm_vm *vm, unsigned long addr, u32 access)
{
	struct drm_svm_ctx ctx = { .access = vsvm_svm_access(access) };
	unsigned long first, last;
	struct drm_svm_range *range;
	u64 t, start = ktime_get_ns();
	struct drm_svm_attrs attrs;
	int tries, err = -EBUSY;

	/* The ACCESS attribute refuses what the CPU mapping may allow. */
	drm_svm_attr_get(&vm->svm, addr, &attrs);
	if (attrs.access == DRM_SVM_ATTR_ACCESS_NONE ||
	    (attrs.access == DRM_SVM_ATTR_ACCESS_RO &&
	     access != DRM_VSVM_ACCESS_READ))
		return -EPERM;

	mutex_lock(&vm->lock);
	for (tries = 0; tries < VSVM_FAULT_TRIES; tries++) {
		drm_svm_garbage_collect(&vm->svm);
		range = drm_svm_range_find_or_insert(&vm->svm, addr,
						     vm->svm.start,
						     vm->svm.end, &ctx);
		if (IS_ERR(range)) {
			err = PTR_ERR(range);
			break;
		}
		/* Once: a chunk that cannot move is mapped where it is. */
		if (!tries && vsvm_wants_vram(vm, &attrs))
			vsvm_fault_migrate(vm, range, addr, &attrs);
		first = 0;
		last = drm_svm_range_npages(range);
		t = ktime_get_ns();
		err = drm_svm_range_get_pages(&vm->svm, range, &ctx);
		t = vsvm_fault_time(&vm->vdev->time_get_pages_ns, t);
		/* An atomic commits only its window [first, last). */
		if (!err && access == DRM_VSVM_ACCESS_ATOMIC)
			err = vsvm_atomic_fault(vm, range, addr, &ctx, &first,
						&last);
		if (!err)
			err = vsvm_bind_range(vm, range, first, last);
		vsvm_fault_time(&vm->vdev->time_bind_ns, t);
		drm_svm_range_put(range);
		if (err != -EAGAIN)
			break;
	}
	mutex_unlock(&vm->lock);
	vsvm_fault_time(&vm->vdev->time_service_ns, start);
	return err == -EAGAIN ? -EBUSY : err;
}

static int vsvm_fault_cmp(const void *a, const void *b)
{
	const struct vsvm_fault *fa = a, *fb = b;

	if ((fa->addr >> PAGE_SHIFT) != (fb->addr >> PAGE_SHIFT))
		return (fa->addr >> PAGE_SHIFT) < (fb->addr >> PAGE_SHIFT) ? -1 : 1;
	/* Strongest access first, so the others can reuse its result. */
	return fb->access - fa->access;
}

static void vsvm_fault_done(struct vsvm_vm *vm, u32 channel, int err)
{
	struct vsvm_channel *ch = &vm->channels[channel];

	ch->fault_error = err;
	/* Publishes fault_error to vsvm_channel_stall(). */
	smp_store_release(&ch->fault_state, VSVM_FAULT_DONE);
	wake_up(&ch->fault_wq);
}

/* Drain the fault buffer once: service every entry, wake its channel. */
static void vsvm_fault_drain(struct vsvm_vm *vm)
{
	struct vsvm_fault batch[VSVM_FAULT_RING];
	unsigned int n, i;
	int err = 0;

	lockdep_assert_held(&vm->fault_drain_lock);
	spin_lock(&vm->fault_lock);
	n = vm->nr_faults;
	memcpy(batch, vm->faults, n * sizeof(batch[0]));
	vm->nr_faults = 0;
	spin_unlock(&vm->fault_lock);

	sort(batch, n, sizeof(batch[0]), vsvm_fault_cmp, NULL);
	for (i = 0; i < n; i++) {
		const struct vsvm_fault *f = &batch[i];
		bool same = i && !err &&
			    (batch[i - 1].addr >> PAGE_SHIFT) == (f->addr >> PAGE_SHIFT);

		/* A duplicate is served by the stronger access before it. */
		if (!same)
			err = READ_ONCE(vm->closing) ? -ECANCELED :
			      vsvm_fault_service(vm, f->addr, f->access);
		vsvm_fault_done(vm, f->channel, err);
	}
}

/**
 * vsvm_fault_kick() - get the fault buffer drained
 * @vm: the VM, with at least one fault posted
 *
 * A stalled channel drains the buffer itself when no drain is running,
 * which spares two context switches per fault; otherwise the fault work
 * item drains it after the running drain.
 */
void vsvm_fault_kick(struct vsvm_vm *vm)
{
	if (mutex_trylock(&vm->fault_drain_lock)) {
		vsvm_fault_drain(vm);
		mutex_unlock(&vm->fault_drain_lock);
	} else {
		queue_work(vm->vdev->fault_wq, &vm->fault_work);
	}
}

/**
 * vsvm_fault_work() - the fault handler work item
 * @work: &vsvm_vm.fault_work
 */
void vsvm_fault_work(struct work_struct *work)
{
	struct vsvm_vm *vm = container_of(work, struct vsvm_vm, fault_work);

	mutex_lock(&vm->fault_drain_lock);
	vsvm_fault_drain(vm);
	mutex_unlock(&vm->fault_drain_lock);
}
