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
 * Tables are allocated by vsvm_pt_reserve() in the fault handler, before
 * the notifier lock is taken, and linked in by vsvm_pt_set(), which writes
 * leaves under the notifier lock held for read (the fault handler is the
 * only writer: it holds the VM lock). vsvm_pt_zap() clears leaves under
 * the notifier lock held for write and frees the tables it leaves empty,
 * so the table memory of a VM follows what it maps. The engine reads the
 * table under the notifier lock held for read, which is what makes a zap a
 * TLB flush: when the invalidate callback returns, no engine access that
 * used the old entries is still running. Tables are freed after an RCU
 * grace period (engine walks also run under rcu_read_lock()), and are
 * charged to the memory cgroup of the process that faulted.
 */

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "vsvm_drv.h"

static u64 *vsvm_pt_table_alloc(struct vsvm_pt *pt)
{
	u64 *table = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

	if (table)
		atomic64_inc(&pt->tables);
	return table;
}

static void vsvm_pt_table_free(struct vsvm_pt *pt, u64 *table)
{
	free_page((unsigned long)table);
	atomic64_dec(&pt->tables);
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
 * @pt: the page table, zeroed
 *
 * Return: 0 or -ENOMEM.
 */
int vsvm_pt_init(struct vsvm_pt *pt)
{
	pt->root = vsvm_pt_table_alloc(pt);
	return pt->root ? 0 : -ENOMEM;
}

static void vsvm_pt_free_level(struct vsvm_pt *pt, u64 *table, int level)
{
	unsigned int i;

	if (level > 0) {
		for (i = 0; i < VSVM_PT_ENTRIES; i++)
			if (vsvm_pt_is_table(table[i]))
				vsvm_pt_free_level(pt, vsvm_pt_next(table[i]),
						   level - 1);
	}
	vsvm_pt_table_free(pt, table);
}

/**
 * vsvm_pt_fini() - free a page table
 * @pt: the page table; nothing may use it any more
 */
void vsvm_pt_fini(struct vsvm_pt *pt)
{
	if (pt->root)
		vsvm_pt_free_level(pt, pt->root, VSVM_PT_LEVELS - 1);
	pt->root = NULL;
	while (pt->nr_spare)
		vsvm_pt_table_free(pt, pt->spare[--pt->nr_spare]);
}

/**
 * vsvm_pt_reserve() - get the tables one range's binding may need
 * @pt: the page table
 *
 * Tops up the spare tables vsvm_pt_set() links in where the walk finds
 * none: enough for one 2 MiB block (three levels). Called with the VM lock
 * held, without the notifier lock (it allocates).
 *
 * Return: 0 or -ENOMEM.
 */
int vsvm_pt_reserve(struct vsvm_pt *pt)
{
	u64 *table;

	while (pt->nr_spare < ARRAY_SIZE(pt->spare)) {
		table = vsvm_pt_table_alloc(pt);
		if (!table)
			return -ENOMEM;
		pt->spare[pt->nr_spare++] = table;
	}
	return 0;
}

/*
 * The next-level table @table[@idx] points to, linked in from the spares
 * if there is none (a live 2 MiB leaf there is replaced: that only drops a
 * mapping, an access through it faults and is replayed). NULL when the
 * spares ran out.
 */
static u64 *vsvm_pt_descend(struct vsvm_pt *pt, u64 *table, unsigned int idx)
{
	u64 entry = READ_ONCE(table[idx]);
	u64 *next;

	if (vsvm_pt_is_table(entry))
		return vsvm_pt_next(entry);
	if (!pt->nr_spare)
		return NULL;
	next = pt->spare[--pt->nr_spare];
	if (entry & VSVM_PTE_VALID)
		atomic64_sub(SZ_2M >> PAGE_SHIFT, &pt->mapped_pages);
	/* Publish the zeroed table only after its contents are visible. */
	smp_store_release(&table[idx], virt_to_phys(next) | VSVM_PTE_VALID);
	return next;
}

static void vsvm_pt_free_rcu(struct rcu_head *head)
{
	__free_page(container_of(head, struct page, rcu_head));
}

/*
 * Free a table no entry points to any more, once no engine walk can be
 * using it (walks run under rcu_read_lock()).
 */
static void vsvm_pt_retire(struct vsvm_pt *pt, u64 *table)
{
	atomic64_dec(&pt->tables);
	call_rcu(&virt_to_page(table)->rcu_head, vsvm_pt_free_rcu);
}

/* A level-0 table a 2 MiB entry replaces: its mappings go with it. */
static void vsvm_pt_retire_leaves(struct vsvm_pt *pt, u64 *table)
{
	unsigned int i;

	for (i = 0; i < VSVM_PT_ENTRIES; i++)
		if (READ_ONCE(table[i]) & VSVM_PTE_VALID)
			atomic64_dec(&pt->mapped_pages);
	vsvm_pt_retire(pt, table);
}

/**
 * vsvm_pt_set() - write a leaf entry
 * @pt: the page table, with spare tables from vsvm_pt_reserve()
 * @va: the address
 * @pte: the entry
 * @huge: map 2 MiB at @va (2 MiB aligned) rather than 4 KiB
 *
 * Links in the tables the walk down to @va lacks, from the spares. Called
 * with the notifier lock held for read and the VM lock held: the fault
 * handler is the only writer, and the zap, which frees tables, holds the
 * notifier lock for write, so tables cannot go away under the walk.
 *
 * Return: 0, or -EAGAIN when the spares ran out (reserve and retry).
 */
int vsvm_pt_set(struct vsvm_pt *pt, unsigned long va, u64 pte, bool huge)
{
	u64 *t = pt->root;
	u64 entry;
	int level;

	for (level = VSVM_PT_LEVELS - 1; level > 1; level--) {
		t = vsvm_pt_descend(pt, t, VSVM_PT_INDEX(va, level));
		if (!t)
			return -EAGAIN;
	}
	if (!huge) {
		t = vsvm_pt_descend(pt, t, VSVM_PT_INDEX(va, 1));
		if (!t)
			return -EAGAIN;
		t += VSVM_PT_INDEX(va, 0);
		if (!(READ_ONCE(*t) & VSVM_PTE_VALID))
			atomic64_inc(&pt->mapped_pages);
		WRITE_ONCE(*t, pte);
		atomic64_inc(&pt->mapped_4k);
		return 0;
	}
	t += VSVM_PT_INDEX(va, 1);
	entry = READ_ONCE(*t);
	if (!(entry & VSVM_PTE_HUGE))
		atomic64_add(SZ_2M >> PAGE_SHIFT, &pt->mapped_pages);
	/* Pairs with the acquire in vsvm_pt_lookup(). */
	smp_store_release(t, pte | VSVM_PTE_HUGE);
	if (vsvm_pt_is_table(entry))
		vsvm_pt_retire_leaves(pt, vsvm_pt_next(entry));
	atomic64_inc(&pt->mapped_2m);
	return 0;
}

/* What to do with one valid leaf entry in an interval walk. */
typedef void (*vsvm_pt_leaf_fn)(struct vsvm_pt *pt, u64 *slot, u64 entry,
				bool huge);

/* An interval walk: what to do with each leaf, and whether to prune. */
struct vsvm_pt_walk {
	vsvm_pt_leaf_fn leaf;
	/* Free the tables the walk leaves empty (the root stays). */
	bool prune;
};

/*
 * Visit every valid leaf that maps part of [@start, @end) in @table, a
 * level-@level table mapping from @base. A 2 MiB leaf the interval only
 * partly covers is visited whole.
 */
static void vsvm_pt_walk_level(struct vsvm_pt *pt, u64 *table, int level,
			       unsigned long base, unsigned long start,
			       unsigned long end, const struct vsvm_pt_walk *w)
{
	unsigned long size = 1UL << VSVM_PT_SHIFT(level);
	unsigned long va;
	u64 entry, *next;

	for (va = max(base, ALIGN_DOWN(start, size)); va < end; va += size) {
		u64 *slot = &table[VSVM_PT_INDEX(va, level)];

		if (va >= base + size * VSVM_PT_ENTRIES)
			break;
		entry = READ_ONCE(*slot);
		if (!(entry & VSVM_PTE_VALID))
			continue;
		if (level == 0 || (entry & VSVM_PTE_HUGE)) {
			w->leaf(pt, slot, entry, level != 0);
			continue;
		}
		next = vsvm_pt_next(entry);
		vsvm_pt_walk_level(pt, next, level - 1, va, max(start, va),
				   min(end, va + size), w);
		if (w->prune && !memchr_inv(next, 0, PAGE_SIZE)) {
			WRITE_ONCE(*slot, 0);
			vsvm_pt_retire(pt, next);
		}
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
 * Zapping part of a 2 MiB entry zaps all of it. Tables left empty are
 * freed, so page-table memory follows what is mapped. Called with the
 * notifier lock held for write: no engine walk and no vsvm_pt_set() runs.
 */
void vsvm_pt_zap(struct vsvm_pt *pt, unsigned long start, unsigned long end)
{
	static const struct vsvm_pt_walk zap = {
		.leaf = vsvm_pt_zap_leaf,
		.prune = true,
	};

	vsvm_pt_walk_level(pt, pt->root, VSVM_PT_LEVELS - 1, 0, start, end, &zap);
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
	static const struct vsvm_pt_walk clear = {
		.leaf = vsvm_pt_clear_atomic_leaf,
	};

	vsvm_pt_walk_level(pt, pt->root, VSVM_PT_LEVELS - 1, 0, start, end,
			   &clear);
}

/**
 * vsvm_pt_lookup_block() - the level-1 entry of a 2 MiB block
 * @pt: the page table
 * @va: an address in the block
 * @table: out, the block's level-0 table, or NULL when the entry is a
 *	2 MiB leaf (or nothing)
 *
 * What a TLB caches to translate every 4 KiB page of the block with one
 * load (see vsvm_mmu.c). Called with the notifier lock held for read,
 * under rcu_read_lock().
 *
 * Return: the entry, 0 when nothing maps the block.
 */
u64 vsvm_pt_lookup_block(struct vsvm_pt *pt, unsigned long va, u64 **table)
{
	u64 *t = pt->root;
	u64 entry = 0;
	int level;

	*table = NULL;
	for (level = VSVM_PT_LEVELS - 1; level >= 1; level--) {
		/* Pairs with the releases publishing tables and entries. */
		entry = smp_load_acquire(&t[VSVM_PT_INDEX(va, level)]);
		if (!(entry & VSVM_PTE_VALID) || (entry & VSVM_PTE_HUGE))
			return level == 1 ? entry : 0;
		t = vsvm_pt_next(entry);
	}
	*table = t;
	return entry;
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
