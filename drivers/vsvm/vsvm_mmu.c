// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm GPU MMU
 *
 * How the engine reaches memory: every access of a command translates its
 * GPU virtual address through the VM's GPU page table (vsvm_pt.c) under
 * the drm_svm notifier lock held for read, and touches the page through
 * its kernel mapping only while it holds that lock. A miss, or a leaf
 * without the permission the access needs, is reported to the caller as
 * %VSVM_MISS with a &struct vsvm_miss, which the engine turns into a
 * replayable fault (vsvm_fault.c) before it replays the command.
 *
 * Addresses outside the VM window, and so above the page table's reach,
 * never translate: they fault like unmapped memory, and the fault handler
 * refuses them.
 *
 * A slice of accesses (vsvm_mmu_lock() to vsvm_mmu_unlock()) keeps a
 * one-entry TLB of the last 2 MiB block it translated: the block's 2 MiB
 * leaf or its level-0 table, so that streaming through 4 KiB pages costs
 * one load per page instead of a four-level walk. The TLB lives only as
 * long as the notifier lock is held, which is what makes it coherent: no
 * entry it holds can be zapped meanwhile.
 *
 * Permissions: any valid leaf allows READ; WRITE needs %VSVM_PTE_WRITE;
 * ATOMIC needs %VSVM_PTE_WRITE and, for system memory, %VSVM_PTE_ATOMIC
 * (a device-exclusive page), while a VRAM leaf allows it as it is.
 */

#include <linux/highmem.h>
#include <linux/minmax.h>

#include "vsvm_cmd.h"

static bool vsvm_pte_allows(u64 pte, u32 access)
{
	if (!(pte & VSVM_PTE_VALID))
		return false;
	if (access == DRM_VSVM_ACCESS_READ)
		return true;
	/* Atomics on system memory need a device-exclusive page. */
	if (access == DRM_VSVM_ACCESS_ATOMIC &&
	    !(pte & (VSVM_PTE_ATOMIC | VSVM_PTE_VRAM)))
		return false;
	return pte & VSVM_PTE_WRITE;
}

/*
 * The leaf mapping @va: from the TLB when it holds @va's 2 MiB block, else
 * from a walk, which then fills it. Sets *@shift to the leaf's size.
 */
static u64 vsvm_mmu_leaf(struct vsvm_vm *vm, struct vsvm_mmu_tlb *tlb,
			 unsigned long va, unsigned int *shift)
{
	unsigned long block = va >> VSVM_PT_SHIFT(1);

	if (tlb->block != block) {
		tlb->leaf = vsvm_pt_lookup_block(&vm->pt, va, &tlb->table);
		tlb->block = block;
	}
	if (!tlb->table) {
		*shift = VSVM_PT_SHIFT(1);
		return tlb->leaf;
	}
	*shift = PAGE_SHIFT;
	return READ_ONCE(tlb->table[VSVM_PT_INDEX(va, 0)]);
}

/**
 * vsvm_mmu_translate() - translate a GPU address
 * @vm: the VM, locked with vsvm_mmu_lock()
 * @tlb: the translations cached since vsvm_mmu_lock()
 * @va: the address
 * @access: DRM_VSVM_ACCESS_*
 * @offset: out, offset of @va in the returned page
 * @span: out if not NULL, how many bytes from @va on the kernel reaches
 *	contiguously through the page's mapping: up to the end of a 2 MiB
 *	system-memory leaf (the direct map is contiguous without highmem),
 *	else to the end of the page
 *
 * Return: the page holding @va, or NULL for a miss.
 */
struct page *vsvm_mmu_translate(struct vsvm_vm *vm, struct vsvm_mmu_tlb *tlb,
				unsigned long va, u32 access,
				unsigned int *offset, unsigned long *span)
{
	unsigned long in_leaf;
	unsigned int shift;
	u64 pte;

	lockdep_assert_held_read(&vm->svm.notifier_lock);
	if (va < vm->svm.start || va >= vm->svm.end)
		return NULL;
	pte = vsvm_mmu_leaf(vm, tlb, va, &shift);
	if (!vsvm_pte_allows(pte, access))
		return NULL;
	in_leaf = va & ((1UL << shift) - 1);
	*offset = offset_in_page(va);
	if (span)
		*span = PAGE_SIZE - *offset;
	/* A VRAM entry holds an offset into the device's VRAM. */
	if (pte & VSVM_PTE_VRAM)
		return vsvm_vram_page(vm->vdev, (pte & VSVM_PTE_ADDR) +
				      (in_leaf & PAGE_MASK));
	if (span && !IS_ENABLED(CONFIG_HIGHMEM))
		*span = (1UL << shift) - in_leaf;
	return pfn_to_page(PHYS_PFN((pte & VSVM_PTE_ADDR) + (in_leaf & PAGE_MASK)));
}

/**
 * vsvm_mmu_lock() - begin a slice of engine accesses
 * @vm: the VM
 * @tlb: the TLB for the slice, emptied
 *
 * Takes the notifier lock for read, so no invalidation can take a page the
 * slice uses, and enters an RCU read section, so that a level-0 table the
 * TLB holds stays readable after a 2 MiB entry replaced it (its entries
 * still map the same pages). Nothing may sleep until vsvm_mmu_unlock().
 */
void vsvm_mmu_lock(struct vsvm_vm *vm, struct vsvm_mmu_tlb *tlb)
	__acquires(RCU)
{
	drm_svm_notifier_lock(&vm->svm);
	rcu_read_lock();
	tlb->block = ULONG_MAX;
	tlb->table = NULL;
}

/**
 * vsvm_mmu_unlock() - end a slice begun with vsvm_mmu_lock()
 * @vm: the VM
 * @tlb: the slice's TLB, invalid from now on
 */
void vsvm_mmu_unlock(struct vsvm_vm *vm, struct vsvm_mmu_tlb *tlb)
	__releases(RCU)
{
	tlb->block = ULONG_MAX;
	rcu_read_unlock();
	drm_svm_notifier_unlock(&vm->svm);
}

/**
 * vsvm_mmu_map() - map the page holding a GPU address for the engine
 * @vm: the VM
 * @va: the address
 * @access: DRM_VSVM_ACCESS_*
 * @kaddr: out, the kernel address of @va, valid to the end of its page
 * @miss: filled on a miss
 *
 * Takes the notifier lock for read; vsvm_mmu_unmap() drops it. On a miss
 * the lock is not held.
 *
 * Return: 0 or %VSVM_MISS.
 */
int vsvm_mmu_map(struct vsvm_vm *vm, unsigned long va, u32 access,
		 void **kaddr, struct vsvm_miss *miss)
{
	struct vsvm_mmu_tlb tlb;
	unsigned int offset;
	struct page *page;

	/* The notifier lock alone keeps the page mapped; RCU is for the walk. */
	vsvm_mmu_lock(vm, &tlb);
	page = vsvm_mmu_translate(vm, &tlb, va, access, &offset, NULL);
	rcu_read_unlock();
	if (!page) {
		drm_svm_notifier_unlock(&vm->svm);
		miss->addr = va;
		miss->access = access;
		return VSVM_MISS;
	}
	*kaddr = vsvm_mmu_kmap(page, offset);
	return 0;
}

/**
 * vsvm_mmu_unmap() - end an access begun with vsvm_mmu_map()
 * @vm: the VM
 * @kaddr: the address vsvm_mmu_map() gave
 */
void vsvm_mmu_unmap(struct vsvm_vm *vm, void *kaddr)
{
	vsvm_mmu_kunmap(kaddr);
	drm_svm_notifier_unlock(&vm->svm);
}

/**
 * vsvm_mmu_rw() - copy between GPU memory and a kernel buffer
 * @vm: the VM
 * @va: GPU address
 * @buf: the kernel buffer
 * @len: bytes
 * @write: copy @buf to @va rather than @va to @buf
 * @miss: filled on a miss
 *
 * Page by page; a miss part-way leaves the pages before it copied, which
 * a replay copies again.
 *
 * Return: 0 or %VSVM_MISS.
 */
int vsvm_mmu_rw(struct vsvm_vm *vm, unsigned long va, void *buf, size_t len,
		bool write, struct vsvm_miss *miss)
{
	u32 access = write ? DRM_VSVM_ACCESS_WRITE : DRM_VSVM_ACCESS_READ;
	void *kaddr;
	size_t n;
	int err;

	while (len) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(va));
		err = vsvm_mmu_map(vm, va, access, &kaddr, miss);
		if (err)
			return err;
		if (write)
			memcpy(kaddr, buf, n);
		else
			memcpy(buf, kaddr, n);
		vsvm_mmu_unmap(vm, kaddr);
		va += n;
		buf += n;
		len -= n;
	}
	return 0;
}
