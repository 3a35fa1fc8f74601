// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm memory placement
 *
 * Memory policy is kept by drm_svm's attribute tree (drm_svm_attr.h), set
 * per virtual address interval with the ADVISE ioctl: preferred location,
 * migrate-on-fault or map-in-place, GPU access, migration granularity and
 * atomics policy. Nothing moves when an attribute is set; the GPU fault
 * handler reads the attributes at the fault address and, when they name
 * this device's VRAM and allow migration, migrates the chunk around the
 * fault (the fault's drm_svm range, or the granule the GRANULARITY
 * attribute asks for) before getting the pages, so the range is mapped
 * from VRAM. PREFETCH migrates an interval to VRAM or back to system
 * memory right away, chunk by chunk (2 MiB or the granularity), each
 * chunk with its own VRAM allocation.
 */

#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

#include <drm/drm_file.h>

#include "vsvm_drv.h"

static struct vsvm_vm *vsvm_advise_vm(struct drm_file *file)
{
	struct vsvm_file *vf = file->driver_priv;

	/* Pairs with the release in vsvm_ioctl_vm_init(). */
	return smp_load_acquire(&vf->vm);
}

/**
 * vsvm_wants_vram() - whether a GPU fault should migrate to this device
 * @vm: the VM
 * @attrs: the attributes at the fault address
 *
 * Return: true if the device has VRAM, the preferred location is this
 * device and the migration policy is migrate-on-fault.
 */
bool vsvm_wants_vram(struct vsvm_vm *vm, const struct drm_svm_attrs *attrs)
{
	return vm->vdev->vram.size && attrs->migrate == DRM_SVM_MIGRATE_ON_FAULT &&
	       (attrs->preferred_loc == DRM_SVM_LOC_DEVICE ||
		attrs->preferred_loc == DRM_SVM_LOC_DEVICE_N(vm->vdev->index));
}

static unsigned long vsvm_chunk_size(struct vsvm_vm *vm, unsigned long addr)
{
	struct drm_svm_attrs attrs;

	drm_svm_attr_get(&vm->svm, addr, &attrs);
	return attrs.granularity_shift ? 1UL << attrs.granularity_shift : SZ_2M;
}

/**
 * vsvm_migrate_to_vram() - migrate an interval into the device's VRAM
 * @vm: the VM; its lock is held
 * @start: start (page aligned)
 * @end: end, exclusive (page aligned)
 * @migrated: out, pages migrated
 *
 * Migrates VMA by VMA, in chunks aligned to the granularity at each
 * chunk (2 MiB by default), each into its own VRAM allocation. Holes and
 * VMAs that are not private anonymous memory (which 6.12 cannot migrate
 * to device-private pages) are skipped, without allocating VRAM. Stops at
 * the first error; what was migrated stays migrated.
 *
 * Return: 0, -ENODEV without VRAM, -ENOSPC when VRAM cannot hold a
 * chunk, -EINTR on a signal, or an error of drm_svm_migrate_to_devmem().
 */
int vsvm_migrate_to_vram(struct vsvm_vm *vm, unsigned long start,
			 unsigned long end, unsigned long *migrated)
{
	struct mm_struct *mm = vm->svm.mm;
	unsigned long addr = start;
	int err = 0;

	lockdep_assert_held(&vm->lock);
	*migrated = 0;

	while (addr < end && !err) {
		struct vm_area_struct *vma;
		unsigned long s, vend;

		mmap_read_lock(mm);
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end) {
			mmap_read_unlock(mm);
			break;
		}
		s = max(addr, vma->vm_start);
		vend = min(end, vma->vm_end);
		/* Only private anonymous memory can become device-private. */
		if (!vma_is_anonymous(vma))
			s = vend;
		mmap_read_unlock(mm);

		while (s < vend && !err) {
			unsigned long e = min(ALIGN(s + 1, vsvm_chunk_size(vm, s)), vend);
			struct vsvm_vram_bo *bo;
			unsigned long n = 0;

			bo = vsvm_vram_bo_create(vm->vdev, (e - s) >> PAGE_SHIFT);
			if (IS_ERR(bo))
				return PTR_ERR(bo);
			err = drm_svm_migrate_to_devmem(&vm->svm, &bo->base, s, e,
							0, &n);
			vsvm_vram_bo_done(bo, n);
			*migrated += n;
			s = e;
			if (!err && signal_pending(current))
				err = -EINTR;
		}
		addr = vend;
	}
	return err;
}

/**
 * vsvm_gpu_access_at() - the GPU access attribute at an address
 * @vm: the VM
 * @va: the address
 * @end: out, end of the interval with the same attributes (ULONG_MAX for
 *	the top of the address space)
 *
 * Return: &enum drm_svm_attr_access.
 */
u32 vsvm_gpu_access_at(struct vsvm_vm *vm, unsigned long va,
		       unsigned long *end)
{
	struct drm_svm_attrs attrs;

	drm_svm_attr_lookup(&vm->svm, va, &attrs, NULL, end);
	if (!*end)
		*end = ULONG_MAX;
	return attrs.access;
}

/**
 * vsvm_access_uniform() - whether one GPU entry may map an interval
 * @svm: the VM's context
 * @va: start of the interval
 * @size: its size
 *
 * Return: true if the attributes are the same over [@va, @va + @size).
 */
bool vsvm_access_uniform(struct drm_svm *svm, unsigned long va,
			 unsigned long size)
{
	struct drm_svm_attrs attrs;
	unsigned long s, e;

	drm_svm_attr_lookup(svm, va, &attrs, &s, &e);
	return s <= va && (!e || e - va >= size);
}

/**
 * vsvm_fault_migrate() - migrate the chunk of a GPU fault to VRAM
 * @vm: the VM, its lock held
 * @range: the range of the fault
 * @addr: the fault address
 * @attrs: the attributes at @addr
 *
 * Migrates @range, or the granule of @addr inside it when the
 * GRANULARITY attribute is smaller, unless the range is mapped from VRAM
 * already. Failures are not errors: the fault then maps the pages where
 * they are.
 */
void vsvm_fault_migrate(struct vsvm_vm *vm, struct drm_svm_range *range,
			unsigned long addr, const struct drm_svm_attrs *attrs)
{
	unsigned long s = drm_svm_range_start(range);
	unsigned long e = drm_svm_range_end(range);
	unsigned long i, n;
	bool in_vram;

	drm_svm_notifier_lock(&vm->svm);
	in_vram = drm_svm_range_pages_valid(&vm->svm, range);
	for (i = 0; in_vram && i < drm_svm_range_npages(range); i++)
		in_vram = range->addrs[i].device;
	drm_svm_notifier_unlock(&vm->svm);
	if (in_vram)
		return;

	if (attrs->granularity_shift &&
	    (1UL << attrs->granularity_shift) < e - s) {
		s = max(s, ALIGN_DOWN(addr, 1UL << attrs->granularity_shift));
		e = min(e, s + (1UL << attrs->granularity_shift));
	}
	vsvm_migrate_to_vram(vm, s, e, &n);
}

/* Whether [start, end) is covered by VMAs without a hole. */
static bool vsvm_range_mapped(struct mm_struct *mm, unsigned long start,
			      unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	bool ok = true;

	mmap_read_lock(mm);
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			ok = false;
			break;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ok;
}

/* Common checks of an interval: -EINVAL or 0. */
static int vsvm_check_interval(struct vsvm_vm *vm, u64 start, u64 size)
{
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(size) || !size ||
	    start + size < start || start < vm->svm.start ||
	    start + size > vm->svm.end)
		return -EINVAL;
	return 0;
}

static bool vsvm_loc_valid(u64 loc)
{
	if (loc <= DRM_VSVM_LOC_DEVICE)
		return true;
	return loc >= DRM_VSVM_LOC_DEVICE_N(0) &&
	       loc < DRM_VSVM_LOC_DEVICE_N(VSVM_MAX_DEVICES) &&
	       vsvm_device_exists(loc - DRM_VSVM_LOC_DEVICE_N(0));
}

/* uAPI attribute -> drm_svm attribute; -EINVAL for a bad value. */
static int vsvm_attr_from_user(u32 attr, u64 value, struct drm_svm_attrs *a)
{
	memset(a, 0, sizeof(*a));
	if (value > U32_MAX)
		return -EINVAL;
	switch (attr) {
	case DRM_VSVM_ATTR_PREFERRED_LOC:
		if (!vsvm_loc_valid(value))
			return -EINVAL;
		/* The uAPI values are drm_svm's. */
		a->preferred_loc = value;
		break;
	case DRM_VSVM_ATTR_MIGRATE:
		a->migrate = value;
		break;
	case DRM_VSVM_ATTR_ACCESS:
		a->access = value;
		break;
	case DRM_VSVM_ATTR_GRANULARITY:
		a->granularity_shift = value;
		break;
	case DRM_VSVM_ATTR_ATOMIC:
		a->atomic = value;
		break;
	default:
		return -EINVAL;
	}
	return drm_svm_attr_check(BIT(attr), a);
}

static u64 vsvm_attr_to_user(u32 attr, const struct drm_svm_attrs *a)
{
	switch (attr) {
	case DRM_VSVM_ATTR_PREFERRED_LOC:
		return a->preferred_loc;
	case DRM_VSVM_ATTR_MIGRATE:
		return a->migrate;
	case DRM_VSVM_ATTR_ACCESS:
		return a->access;
	case DRM_VSVM_ATTR_GRANULARITY:
		return a->granularity_shift;
	default:
		return a->atomic;
	}
}

int vsvm_ioctl_advise(struct drm_device *drm, void *data,
		      struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_advise_vm(file);
	struct drm_vsvm_advise *args = data;
	struct drm_svm_range *range;
	struct drm_svm_attrs attrs;
	int err;

	if (!vm || (args->flags & ~DRM_VSVM_ADVISE_GET) ||
	    args->attr > DRM_VSVM_ATTR_ATOMIC)
		return -EINVAL;
	if (current->mm != vm->svm.mm)
		return -EPERM;

	if (args->flags & DRM_VSVM_ADVISE_GET) {
		if (!PAGE_ALIGNED(args->start) || !PAGE_ALIGNED(args->size) ||
		    args->start < vm->svm.start || args->start >= vm->svm.end)
			return -EINVAL;
		drm_svm_attr_get(&vm->svm, args->start, &attrs);
		args->value = vsvm_attr_to_user(args->attr, &attrs);
		return 0;
	}

	err = vsvm_check_interval(vm, args->start, args->size);
	if (!err)
		err = vsvm_attr_from_user(args->attr, args->value, &attrs);
	if (err)
		return err;
	if (!vsvm_range_mapped(vm->svm.mm, args->start, args->start + args->size))
		return -EFAULT;

	mutex_lock(&vm->lock);
	err = drm_svm_attr_set(&vm->svm, args->start, args->start + args->size,
			       BIT(args->attr), &attrs);
	/* Mappings made under the old access policy go. */
	if (!err && args->attr == DRM_VSVM_ATTR_ACCESS) {
		drm_svm_for_each_range(range, &vm->svm, args->start,
				       args->start + args->size)
			drm_svm_range_unmap_pages(&vm->svm, range);
	}
	mutex_unlock(&vm->lock);
	return err;
}

int vsvm_ioctl_prefetch(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_advise_vm(file);
	struct drm_vsvm_prefetch *args = data;
	struct vsvm_device *vdev = to_vsvm_device(drm);
	unsigned long migrated = 0;
	bool to_vram;
	int err;

	if (!vm || args->flags)
		return -EINVAL;
	err = vsvm_check_interval(vm, args->start, args->size);
	if (err)
		return err;
	if (args->loc == DRM_VSVM_LOC_SYSTEM)
		to_vram = false;
	else if (args->loc == DRM_VSVM_LOC_DEVICE ||
		 args->loc == DRM_VSVM_LOC_DEVICE_N(vdev->index))
		to_vram = true;
	else
		return -EINVAL;
	if (current->mm != vm->svm.mm)
		return -EPERM;
	if (to_vram && !vdev->vram.size)
		return -ENODEV;
	if (to_vram && args->size > vdev->vram.size)
		return -ENOSPC;
	if (!vsvm_range_mapped(vm->svm.mm, args->start, args->start + args->size))
		return -EFAULT;

	if (to_vram) {
		mutex_lock(&vm->lock);
		err = vsvm_migrate_to_vram(vm, args->start,
					   args->start + args->size, &migrated);
		mutex_unlock(&vm->lock);
	} else if (vdev->vram.size) {
		err = drm_svm_migrate_to_ram(&vm->svm, args->start,
					     args->start + args->size, &migrated);
	}
	args->migrated = migrated;
	return err;
}
