// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm fixed commands
 *
 * The commands with fixed function (everything but DISPATCH): their EXEC
 * checks and exec functions, the rows of the table in vsvm_cmd.c. Each
 * reaches memory only through the GPU MMU helpers (vsvm_mmu.c), keeps its
 * progress in &struct vsvm_cmd_run so a replay after a fault goes on where
 * the miss stopped it, and yields at least every %VSVM_PAGES_PER_SLICE
 * pages, %VSVM_ATOMIC_BATCH atomics or %VSVM_CHASE_BATCH nodes.
 *
 * The engine is the CPU, so its atomics are real atomic instructions on
 * the page: compare-and-exchange loops, atomic with respect to CPU atomics
 * on the same memory.
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>

#include <drm/drm_svm_atomic.h>

#include "vsvm_cmd.h"

/* Pages a FILL or COPY touches per slice (and notifier-lock hold). */
#define VSVM_PAGES_PER_SLICE	512
/* Atomic operations per slice (and notifier-lock hold). */
#define VSVM_ATOMIC_BATCH	4096
/* Nodes a pointer chase visits per slice. */
#define VSVM_CHASE_BATCH	1024
/* Nodes a pointer chase visits at most when its size is 0. */
#define VSVM_CHASE_MAX		BIT(20)
/* WAIT_VALUE's own timeout when the command gives none. */
#define VSVM_WAIT_DEFAULT_NS	NSEC_PER_SEC
/* In POINTER_CHASE's progress: the walk is over, only the result is left. */
#define VSVM_CHASE_DONE		BIT_ULL(63)

static u32 vsvm_cmd_width(const struct drm_vsvm_cmd *cmd)
{
	return cmd->flags & DRM_VSVM_CMD_64BIT ? 8 : 4;
}

/* Whether [@addr, @addr + @size) wraps around the address space. */
static bool vsvm_cmd_wraps(u64 addr, u64 size)
{
	u64 end;

	return check_add_overflow(addr, size, &end);
}

int vsvm_cmd_nop(struct vsvm_cmd_run *run)
{
	return 0;
}

/* One piece of a FILL or COPY, @n bytes the kernel reaches contiguously. */
typedef void (*vsvm_cmd_piece_fn)(void *dst, const void *src, size_t n,
				  const struct drm_vsvm_cmd *cmd);

/*
 * Translate the next piece of a FILL (@copy false) or COPY at
 * &vsvm_cmd_run.progress. Return: its length, or 0 on a miss, with
 * &vsvm_cmd_run.miss filled.
 */
static size_t vsvm_cmd_piece(struct vsvm_cmd_run *run,
			     struct vsvm_mmu_tlb *tlb, bool copy,
			     void **dst, const void **src)
{
	const struct drm_vsvm_cmd *cmd = run->cmd;
	unsigned long dva = cmd->dst + run->progress;
	unsigned long sva = cmd->src + run->progress;
	unsigned long dspan, sspan = ULONG_MAX;
	unsigned int doff, soff;
	struct page *page;

	if (copy) {
		page = vsvm_mmu_translate(run->vm, &tlb[1], sva,
					  DRM_VSVM_ACCESS_READ, &soff, &sspan);
		if (!page) {
			run->miss = (struct vsvm_miss){ sva, DRM_VSVM_ACCESS_READ };
			return 0;
		}
		*src = vsvm_mmu_kmap(page, soff);
	}
	page = vsvm_mmu_translate(run->vm, &tlb[0], dva, DRM_VSVM_ACCESS_WRITE,
				  &doff, &dspan);
	if (!page) {
		if (copy)
			vsvm_mmu_kunmap((void *)*src);
		run->miss = (struct vsvm_miss){ dva, DRM_VSVM_ACCESS_WRITE };
		return 0;
	}
	*dst = vsvm_mmu_kmap(page, doff);
	return min3(cmd->size - run->progress, (u64)dspan, (u64)sspan);
}

/*
 * The loop FILL and COPY share: translate, map and process the command's
 * bytes piece by piece, a slice of pages per notifier-lock hold.
 */
static int vsvm_cmd_stream(struct vsvm_cmd_run *run, bool copy,
			   vsvm_cmd_piece_fn fn)
{
	const struct drm_vsvm_cmd *cmd = run->cmd;
	/* One TLB per stream: destination and source. */
	struct vsvm_mmu_tlb tlb[2];
	const void *src = NULL;
	unsigned long pages;
	void *dst;
	size_t n;
	int err;

	while (run->progress < cmd->size) {
		vsvm_mmu_lock(run->vm, &tlb[0]);
		tlb[1] = tlb[0];
		for (pages = 0; pages < VSVM_PAGES_PER_SLICE &&
		     run->progress < cmd->size; pages += DIV_ROUND_UP(n, PAGE_SIZE)) {
			n = vsvm_cmd_piece(run, tlb, copy, &dst, &src);
			if (!n) {
				vsvm_mmu_unlock(run->vm, &tlb[0]);
				return VSVM_MISS;
			}
			fn(dst, src, n, cmd);
			vsvm_mmu_kunmap(dst);
			if (copy)
				vsvm_mmu_kunmap((void *)src);
			run->progress += n;
		}
		vsvm_mmu_unlock(run->vm, &tlb[0]);
		err = vsvm_cmd_yield(run);
		if (err)
			return err;
	}
	return 0;
}

int vsvm_cmd_fill_check(const struct drm_vsvm_cmd *cmd)
{
	if (!IS_ALIGNED(cmd->dst | cmd->size, 4) || cmd->value > U32_MAX ||
	    vsvm_cmd_wraps(cmd->dst, cmd->size))
		return -EINVAL;
	return 0;
}

static void vsvm_cmd_fill_piece(void *dst, const void *src, size_t n,
				const struct drm_vsvm_cmd *cmd)
{
	memset32(dst, (u32)cmd->value, n / 4);
}

int vsvm_cmd_fill(struct vsvm_cmd_run *run)
{
	return vsvm_cmd_stream(run, false, vsvm_cmd_fill_piece);
}

int vsvm_cmd_copy_check(const struct drm_vsvm_cmd *cmd)
{
	if (vsvm_cmd_wraps(cmd->dst, cmd->size) ||
	    vsvm_cmd_wraps(cmd->src, cmd->size))
		return -EINVAL;
	return 0;
}

/*
 * Whole pages go through copy_page(), the architecture's page copy: on
 * x86 memmove() is "rep movsb" wherever the CPU claims fast strings, which
 * an emulated CPU (QEMU TCG) runs a byte at a time, four times slower than
 * copy_page()'s "rep movsq" or register loop. A piece is one page or a
 * contiguous run of them (a 2 MiB leaf); pieces that overlap (a COPY
 * within one huge page) keep memmove().
 */
static void vsvm_cmd_copy_piece(void *dst, const void *src, size_t n,
				const struct drm_vsvm_cmd *cmd)
{
	if (PAGE_ALIGNED(dst) && PAGE_ALIGNED(src) && PAGE_ALIGNED(n) &&
	    (dst + n <= src || src + n <= dst)) {
		for (; n; n -= PAGE_SIZE, dst += PAGE_SIZE, src += PAGE_SIZE)
			copy_page(dst, (void *)src);
		return;
	}
	memmove(dst, src, n);
}

int vsvm_cmd_copy(struct vsvm_cmd_run *run)
{
	return vsvm_cmd_stream(run, true, vsvm_cmd_copy_piece);
}

int vsvm_cmd_write_value_check(const struct drm_vsvm_cmd *cmd)
{
	u32 width = vsvm_cmd_width(cmd);

	if (!IS_ALIGNED(cmd->dst, width) || (width == 4 && cmd->value > U32_MAX))
		return -EINVAL;
	return 0;
}

/* Store @value, as wide as @cmd says, at @dst. */
static int vsvm_cmd_store(struct vsvm_cmd_run *run, u64 dst, u64 value)
{
	u32 v32 = value;

	if (vsvm_cmd_width(run->cmd) == 8)
		return vsvm_mmu_rw(run->vm, dst, &value, 8, true, &run->miss);
	return vsvm_mmu_rw(run->vm, dst, &v32, 4, true, &run->miss);
}

int vsvm_cmd_write_value(struct vsvm_cmd_run *run)
{
	return vsvm_cmd_store(run, run->cmd->dst, run->cmd->value);
}

int vsvm_cmd_wait_value_check(const struct drm_vsvm_cmd *cmd)
{
	if (!IS_ALIGNED(cmd->src, vsvm_cmd_width(cmd)) ||
	    FIELD_GET(DRM_VSVM_CMD_WAIT_OP_MASK, cmd->flags) > DRM_VSVM_WAIT_LT)
		return -EINVAL;
	return 0;
}

static bool vsvm_wait_met(const struct drm_vsvm_cmd *cmd, u64 v)
{
	u64 mask = cmd->value2 ? cmd->value2 : U64_MAX;
	u64 want = cmd->value;

	if (vsvm_cmd_width(cmd) == 4) {
		mask &= U32_MAX;
		want &= U32_MAX;
	}
	v &= mask;
	switch (FIELD_GET(DRM_VSVM_CMD_WAIT_OP_MASK, cmd->flags)) {
	case DRM_VSVM_WAIT_EQ:
		return v == want;
	case DRM_VSVM_WAIT_NEQ:
		return v != want;
	case DRM_VSVM_WAIT_GTE:
		return v >= want;
	default:
		return v < want;
	}
}

/* scratch[0]: the command's own deadline, kept across fault replays. */
int vsvm_cmd_wait_value(struct vsvm_cmd_run *run)
{
	const struct drm_vsvm_cmd *cmd = run->cmd;
	u64 v;
	int err;

	if (!run->scratch[0])
		run->scratch[0] = vsvm_deadline_after(cmd->timeout_ns ?:
						      VSVM_WAIT_DEFAULT_NS);
	for (;;) {
		v = 0;
		err = vsvm_mmu_rw(run->vm, cmd->src, &v, vsvm_cmd_width(cmd),
				  false, &run->miss);
		if (err)
			return err;
		if (vsvm_wait_met(cmd, v))
			return 0;
		if (ktime_get_ns() >= run->scratch[0])
			return -ETIMEDOUT;
		err = vsvm_cmd_yield(run);
		if (err)
			return err;
		usleep_range(20, 50);
	}
}

int vsvm_cmd_atomic_check(const struct drm_vsvm_cmd *cmd)
{
	u32 op = FIELD_GET(DRM_VSVM_CMD_ATOMIC_OP_MASK, cmd->flags);
	u32 width = vsvm_cmd_width(cmd);

	if (!IS_ALIGNED(cmd->dst | cmd->src, width) || op > DRM_VSVM_ATOMIC_OR ||
	    cmd->size > DRM_VSVM_MAX_COUNT)
		return -EINVAL;
	if (width == 4 && (cmd->value > U32_MAX || cmd->value2 > U32_MAX))
		return -EINVAL;
	if (op != DRM_VSVM_ATOMIC_CMPXCHG && cmd->value2)
		return -EINVAL;
	return 0;
}

/* The value @op stores over @old; false when CMPXCHG does not store. */
static bool vsvm_atomic_new(unsigned int op, u64 old, u64 v, u64 v2,
			    u64 *new)
{
	switch (op) {
	case DRM_VSVM_ATOMIC_ADD:
		*new = old + v;
		break;
	case DRM_VSVM_ATOMIC_INC:
		*new = old + 1;
		break;
	case DRM_VSVM_ATOMIC_XCHG:
		*new = v;
		break;
	case DRM_VSVM_ATOMIC_CMPXCHG:
		if (old != v)
			return false;
		*new = v2;
		break;
	case DRM_VSVM_ATOMIC_MIN:
		*new = min(old, v);
		break;
	case DRM_VSVM_ATOMIC_MAX:
		*new = max(old, v);
		break;
	case DRM_VSVM_ATOMIC_AND:
		*new = old & v;
		break;
	default:
		*new = old | v;
		break;
	}
	return true;
}

/*
 * One atomic operation on the 32- or 64-bit value at @p, with a real
 * compare-and-exchange, so it is atomic against CPU atomics on the page.
 * Return: the value found before.
 */
static u64 vsvm_atomic(void *p, u32 width, unsigned int op, u64 v, u64 v2)
{
	u64 old, new, prev;

	old = width == 8 ? READ_ONCE(*(u64 *)p) : READ_ONCE(*(u32 *)p);
	for (;;) {
		if (!vsvm_atomic_new(op, old, v, v2, &new))
			return old;
		if (width == 8)
			prev = cmpxchg((u64 *)p, old, new);
		else
			prev = cmpxchg((u32 *)p, (u32)old, (u32)new);
		if (prev == old)
			return old;
		old = prev;
	}
}

/*
 * progress: operations done; scratch[1]: the value found before the last
 * one, stored at src once they are all done.
 */
int vsvm_cmd_atomic(struct vsvm_cmd_run *run)
{
	const struct drm_vsvm_cmd *cmd = run->cmd;
	unsigned int op = FIELD_GET(DRM_VSVM_CMD_ATOMIC_OP_MASK, cmd->flags);
	u64 count = cmd->size ? cmd->size : 1;
	unsigned int batch;
	void *kaddr;
	int err;

	while (run->progress < count) {
		err = vsvm_mmu_map(run->vm, cmd->dst, DRM_VSVM_ACCESS_ATOMIC,
				   &kaddr, &run->miss);
		if (err)
			return err;
		for (batch = 0; batch < VSVM_ATOMIC_BATCH && run->progress < count;
		     batch++, run->progress++)
			run->scratch[1] = vsvm_atomic(kaddr, vsvm_cmd_width(cmd), op,
						      cmd->value, cmd->value2);
		vsvm_mmu_unmap(run->vm, kaddr);
		/* Ends the hold of the atomic grant: the CPU may take it back. */
		drm_svm_atomic_progress(&run->vm->svm);
		err = vsvm_cmd_yield(run);
		if (err)
			return err;
	}
	if (!cmd->src)
		return 0;
	return vsvm_cmd_store(run, cmd->src, run->scratch[1]);
}

int vsvm_cmd_pointer_chase_check(const struct drm_vsvm_cmd *cmd)
{
	if (!IS_ALIGNED(cmd->dst | cmd->src, 8) || cmd->size > DRM_VSVM_MAX_COUNT)
		return -EINVAL;
	return 0;
}

/* One step of a pointer chase; the last one sets %VSVM_CHASE_DONE. */
static int vsvm_chase_step(struct vsvm_cmd_run *run, u64 max)
{
	struct drm_vsvm_chase_node node;
	int err;

	if (!run->scratch[0] || run->progress >= max) {
		run->progress |= VSVM_CHASE_DONE;
		return 0;
	}
	if (!IS_ALIGNED(run->scratch[0], 8))
		return -EINVAL;
	err = vsvm_mmu_rw(run->vm, run->scratch[0], &node, sizeof(node), false,
			  &run->miss);
	if (err)
		return err;
	run->scratch[1] += node.value;
	run->scratch[0] = node.next;
	run->progress++;
	return 0;
}

/*
 * progress: nodes visited, with VSVM_CHASE_DONE once the walk is over;
 * scratch[0]: next node; scratch[1]: running sum.
 */
int vsvm_cmd_pointer_chase(struct vsvm_cmd_run *run)
{
	const struct drm_vsvm_cmd *cmd = run->cmd;
	u64 max = cmd->size ? cmd->size : VSVM_CHASE_MAX;
	u64 result[2];
	int err;

	if (!run->progress)
		run->scratch[0] = cmd->src;
	while (!(run->progress & VSVM_CHASE_DONE)) {
		err = vsvm_chase_step(run, max);
		if (err)
			return err;
		if (!(run->progress % VSVM_CHASE_BATCH)) {
			err = vsvm_cmd_yield(run);
			if (err)
				return err;
		}
	}
	result[0] = run->scratch[1];
	result[1] = run->progress & ~VSVM_CHASE_DONE;
	return vsvm_mmu_rw(run->vm, cmd->dst, result, sizeof(result), true,
			   &run->miss);
}

int vsvm_cmd_timestamp_check(const struct drm_vsvm_cmd *cmd)
{
	return IS_ALIGNED(cmd->dst, 8) ? 0 : -EINVAL;
}

/* scratch[0]: the time, taken once so that a replay stores the same. */
int vsvm_cmd_timestamp(struct vsvm_cmd_run *run)
{
	if (!run->scratch[0])
		run->scratch[0] = ktime_get_ns();
	return vsvm_mmu_rw(run->vm, run->cmd->dst, &run->scratch[0], 8, true,
			   &run->miss);
}
