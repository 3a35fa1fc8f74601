// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm GPU page table
 *
 * Each VM has a software page table shaped like a real GPU MMU's: four
 * levels of 512 64-bit entries, 4 KiB leaves at level 0 and 2 MiB leaves
 * (%VSVM_PTE_HUGE) at level 1. A leaf holds the DMA address of a system
 * page (or a VRAM offset with %VSVM_PTE_VRAM) and the valid, writable and
 * atomic bits. The engine walks it for every access.
 *
 * Tables are allocated by vsvm_pt_prepare() in the fault handler, before
 * the notifier lock is taken, and freed when the VM goes, except a level-0
 * table that a 2 MiB entry replaces: engine walks run under
 * rcu_read_lock(), and that table is freed after a grace period. Leaves are
 * written with vsvm_pt_set() under the notifier lock held for read (the
 * fault handler is the only writer: it holds the VM lock) and cleared with
 * vsvm_pt_zap() under the notifier lock held for write. The engine reads
 * them under the notifier lock held for read, which is what makes a zap a
 * TLB flush: when the invalidate callback returns, no engine access that
 * used the old entries is still running.
 */

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include "vsvm_drv.h"

#define VSVM_PT_ENTRIES		512
#define VSVM_PT_INDEX(va, l)	(((va) >> VSVM_PT_SHIFT(l)) & (VSVM_PT_ENTRIES - 1))

static u64 *vsvm_pt_table_alloc(void)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL);
}

static u64 *vsvm_pt_next(u64 entry)
{
	return phys_to_virt(entry & VSVM_PTE_ADDR);
}

static bool vsvm_pt_is_table(u64 entry)
{
	return (entry & VSVM_PTE_VALID) && !(entry & VSVM_PTE_HUGE);
}

/**
 * vsvm_pt_init() - allocate the root of a page table
 * @pt: the page table
 *
 * Return: 0 or -ENOMEM.
 */
int vsvm_pt_init(struct vsvm_pt *pt)
{
	pt->root = vsvm_pt_table_alloc();
	return pt->root ? 0 : -ENOMEM;
}

static void vsvm_pt_free_level(u64 *table, int level)
{
	unsigned int i;

	if (level > 0) {
		for (i = 0; i < VSVM_PT_ENTRIES; i++)
			if (vsvm_pt_is_table(table[i]))
				vsvm_pt_free_level(vsvm_pt_next(table[i]),
						   level - 1);
	}
	free_page((unsigned long)table);
}

/**
 * vsvm_pt_fini() - free a page table
 * @pt: the page table; nothing may use it any more
 */
void vsvm_pt_fini(struct vsvm_pt *pt)
{
	if (pt->root)
		vsvm_pt_free_level(pt->root, VSVM_PT_LEVELS - 1);
	pt->root = NULL;
}

/* Make sure @table[@idx] points to a next-level table. */
static int vsvm_pt_ensure_table(struct vsvm_pt *pt, u64 *table,
				unsigned int idx)
{
	u64 entry = READ_ONCE(table[idx]);
	u64 *next;

	if (vsvm_pt_is_table(entry))
		return 0;
	next = vsvm_pt_table_alloc();
	if (!next)
		return -ENOMEM;
	/*
	 * Replacing a live 2 MiB leaf only drops a mapping: an access through
	 * it faults and is replayed. It does not happen in practice, as a
	 * block is re-faulted with small pages only after it was zapped.
	 */
	if (entry & VSVM_PTE_VALID)
		atomic64_sub(SZ_2M >> PAGE_SHIFT, &pt->mapped_pages);
	/* Publish the zeroed table only after its contents are visible. */
	smp_store_release(&table[idx], virt_to_phys(next) | VSVM_PTE_VALID);
	return 0;
}

/**
 * vsvm_pt_prepare() - allocate the tables a 2 MiB block needs
 * @pt: the page table
 * @va: any address in the block
 * @huge: the block will be mapped with one 2 MiB entry
 *
 * Allocates the tables down to level 1, and the level-0 table unless
 * @huge. Called with the VM lock held, without the notifier lock.
 *
 * Return: 0 or -ENOMEM.
 */
int vsvm_pt_prepare(struct vsvm_pt *pt, unsigned long va, bool huge)
{
	u64 *t = pt->root;
	int level, err;

	for (level = VSVM_PT_LEVELS - 1; level >= (huge ? 2 : 1); level--) {
		err = vsvm_pt_ensure_table(pt, t, VSVM_PT_INDEX(va, level));
		if (err)
			return err;
		t = vsvm_pt_next(READ_ONCE(t[VSVM_PT_INDEX(va, level)]));
	}
	return 0;
}

static void vsvm_pt_free_rcu(struct rcu_head *head)
{
	__free_page(container_of(head, struct page, rcu_head));
}

/*
 * Free a level-0 table a 2 MiB entry replaces, once no engine walk can be
 * using it (walks run under rcu_read_lock()).
 */
static void vsvm_pt_retire(struct vsvm_pt *pt, u64 *table)
{
	unsigned int i;

	for (i = 0; i < VSVM_PT_ENTRIES; i++)
		if (READ_ONCE(table[i]) & VSVM_PTE_VALID)
			atomic64_dec(&pt->mapped_pages);
	call_rcu(&virt_to_page(table)->rcu_head, vsvm_pt_free_rcu);
}

/**
 * vsvm_pt_set() - write a leaf entry
 * @pt: the page table, prepared for @va with the same @huge
 * @va: the address
 * @pte: the entry
 * @huge: map 2 MiB at @va (2 MiB aligned) rather than 4 KiB
 *
 * Called with the notifier lock held for read and the VM lock held.
 *
 * Return: 0, or -EAGAIN when the block was not prepared for small pages
 * (the caller prepares it and retries).
 */
int vsvm_pt_set(struct vsvm_pt *pt, unsigned long va, u64 pte, bool huge)
{
	u64 *t = pt->root;
	u64 entry;
	int level;

	for (level = VSVM_PT_LEVELS - 1; level > 1; level--)
		t = vsvm_pt_next(READ_ONCE(t[VSVM_PT_INDEX(va, level)]));
	t += VSVM_PT_INDEX(va, 1);
	entry = READ_ONCE(*t);
	if (!huge) {
		if (!vsvm_pt_is_table(entry))
			return -EAGAIN;
		t = vsvm_pt_next(entry) + VSVM_PT_INDEX(va, 0);
		if (!(READ_ONCE(*t) & VSVM_PTE_VALID))
			atomic64_inc(&pt->mapped_pages);
		WRITE_ONCE(*t, pte);
		atomic64_inc(&pt->mapped_4k);
		return 0;
	}
	if (!(entry & VSVM_PTE_HUGE))
		atomic64_add(SZ_2M >> PAGE_SHIFT, &pt->mapped_pages);
	/* Pairs with the acquire in vsvm_pt_lookup(). */
	smp_store_release(t, pte | VSVM_PTE_HUGE);
	if (vsvm_pt_is_table(entry))
		vsvm_pt_retire(pt, vsvm_pt_next(entry));
	atomic64_inc(&pt->mapped_2m);
	return 0;
}

/* What to do with one valid leaf entry in an interval walk. */
typedef void (*vsvm_pt_leaf_fn)(struct vsvm_pt *pt, u64 *slot, u64 entry,
				bool huge);

/*
 * Visit every valid leaf that maps part of [@start, @end) in @table, a
 * level-@level table mapping from @base. A 2 MiB leaf the interval only
 * partly covers is visited whole.
 */
static void vsvm_pt_walk_level(struct vsvm_pt *pt, u64 *table, int level,
			       unsigned long base, unsigned long start,
			       unsigned long end, vsvm_pt_leaf_fn fn)
{
	unsigned long size = 1UL << VSVM_PT_SHIFT(level);
	unsigned long va;
	u64 entry;

	for (va = max(base, ALIGN_DOWN(start, size)); va < end; va += size) {
		u64 *slot = &table[VSVM_PT_INDEX(va, level)];

		if (va >= base + size * VSVM_PT_ENTRIES)
			break;
		entry = READ_ONCE(*slot);
		if (!(entry & VSVM_PTE_VALID))
			continue;
		if (level == 0 || (entry & VSVM_PTE_HUGE))
			fn(pt, slot, entry, level != 0);
		else
			vsvm_pt_walk_level(pt, vsvm_pt_next(entry), level - 1, va,
					   max(start, va), min(end, va + size),
					   fn);
	}
}

static void vsvm_pt_zap_leaf(struct vsvm_pt *pt, u64 *slot, u64 entry,
			     bool huge)
{
	WRITE_ONCE(*slot, 0);
	atomic64_sub(huge ? SZ_2M >> PAGE_SHIFT : 1, &pt->mapped_pages);
}

/**
 * vsvm_pt_zap() - clear every leaf in an interval
 * @pt: the page table
 * @start: start of the interval
 * @end: end of the interval, exclusive
 *
 * Zapping part of a 2 MiB entry zaps all of it. Called with the notifier
 * lock held for write.
 */
void vsvm_pt_zap(struct vsvm_pt *pt, unsigned long start, unsigned long end)
{
	vsvm_pt_walk_level(pt, pt->root, VSVM_PT_LEVELS - 1, 0, start, end,
			   vsvm_pt_zap_leaf);
}

static void vsvm_pt_clear_atomic_leaf(struct vsvm_pt *pt, u64 *slot,
				      u64 entry, bool huge)
{
	if (entry & VSVM_PTE_ATOMIC)
		WRITE_ONCE(*slot, entry & ~VSVM_PTE_ATOMIC);
}

/**
 * vsvm_pt_clear_atomic() - drop the atomic permission in an interval
 * @pt: the page table
 * @start: start of the interval
 * @end: end of the interval, exclusive
 *
 * Clears %VSVM_PTE_ATOMIC of every leaf in the interval; the leaves stay
 * valid. Called with the notifier lock held for write, so no engine
 * access that used the atomic permission is still running.
 */
void vsvm_pt_clear_atomic(struct vsvm_pt *pt, unsigned long start,
			  unsigned long end)
{
	vsvm_pt_walk_level(pt, pt->root, VSVM_PT_LEVELS - 1, 0, start, end,
			   vsvm_pt_clear_atomic_leaf);
}

/**
 * vsvm_pt_lookup() - translate an address
 * @pt: the page table
 * @va: the address
 * @shift: out, log2 of the size the leaf maps
 *
 * Called with the notifier lock held for read, under rcu_read_lock().
 *
 * Return: the leaf entry, 0 when nothing is mapped.
 */
u64 vsvm_pt_lookup(struct vsvm_pt *pt, unsigned long va, unsigned int *shift)
{
	u64 *t = pt->root;
	u64 entry;
	int level;

	for (level = VSVM_PT_LEVELS - 1; level >= 0; level--) {
		/* Pairs with the releases publishing tables and entries. */
		entry = smp_load_acquire(&t[VSVM_PT_INDEX(va, level)]);
		if (!(entry & VSVM_PTE_VALID))
			return 0;
		if (level == 0 || (entry & VSVM_PTE_HUGE)) {
			*shift = VSVM_PT_SHIFT(level);
			return entry;
		}
		t = vsvm_pt_next(entry);
	}
	return 0;
}

static void vsvm_pt_dump_level(struct seq_file *m, u64 *table, int level,
			       unsigned long base)
{
	unsigned int i;

	for (i = 0; i < VSVM_PT_ENTRIES; i++) {
		unsigned long va = base + ((unsigned long)i << VSVM_PT_SHIFT(level));
		u64 entry = READ_ONCE(table[i]);

		if (!(entry & VSVM_PTE_VALID))
			continue;
		if (level > 0 && !(entry & VSVM_PTE_HUGE)) {
			vsvm_pt_dump_level(m, vsvm_pt_next(entry), level - 1, va);
			continue;
		}
		seq_printf(m, "%016lx %s %012llx %c%c%c\n", va,
			   level ? "2M" : "4K", entry & VSVM_PTE_ADDR,
			   entry & VSVM_PTE_WRITE ? 'w' : '-',
			   entry & VSVM_PTE_ATOMIC ? 'a' : '-',
			   entry & VSVM_PTE_VRAM ? 'v' : 's');
	}
}

/**
 * vsvm_pt_dump() - print every leaf entry
 * @pt: the page table
 * @m: where to print; one line per leaf: address, size, target, flags
 *
 * Called with the notifier lock held for read.
 */
void vsvm_pt_dump(struct vsvm_pt *pt, struct seq_file *m)
{
	vsvm_pt_dump_level(m, pt->root, VSVM_PT_LEVELS - 1, 0);
}
