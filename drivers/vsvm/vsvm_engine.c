// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm engine
 *
 * Each VM has %VSVM_NUM_CHANNELS channels. A channel is a queue of
 * submissions run in order by a work item, the channel's engine. Every
 * memory access of a command translates its address through the GPU page
 * table under the drm_svm notifier lock (read); a miss or a missing
 * permission stalls the channel on a replayable fault (see vsvm_fault.c)
 * and replays the command from where it stopped: commands keep their
 * progress in the submission.
 *
 * The engine is the CPU, so it reaches a page through its kernel mapping.
 * Its atomics are real atomic instructions on that page.
 */

#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <drm/drm_svm_atomic.h>

#include "vsvm_drv.h"

/* Returned by the access helpers on a GPU page-table miss. */
#define VSVM_MISS		1
/* Replays of one access before the submission fails with -EBUSY. */
#define VSVM_MAX_REPLAYS	1000
/* Pages a FILL or COPY touches under one notifier-lock hold. */
#define VSVM_PAGES_PER_LOCK	512
/* Atomic operations done under one notifier-lock hold. */
#define VSVM_ATOMIC_BATCH	4096
/* Nodes a pointer chase visits at most. */
#define VSVM_CHASE_MAX		BIT(20)

#define VSVM_CMD_ATOMIC_OP_MASK	DRM_VSVM_CMD_ATOMIC_OP(0xf)
#define VSVM_CMD_WAIT_OP_MASK	DRM_VSVM_CMD_WAIT_OP(0xf)
#define VSVM_CHASE_DONE		BIT_ULL(63)

/* What an access that missed was, for the fault handler. */
struct vsvm_miss {
	unsigned long addr;
	u32 access;
};

static u32 vsvm_cmd_width(const struct drm_vsvm_cmd *cmd)
{
	return cmd->flags & DRM_VSVM_CMD_64BIT ? 8 : 4;
}

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
 * Translate @va for @access. Called with the notifier lock held for read.
 * Return: the page and the offset in it, or NULL; @span (if not NULL) is
 * how many bytes from @va on the kernel reaches contiguously from that
 * page's mapping: up to the end of a 2 MiB system-memory leaf (the direct
 * map is contiguous without highmem), else to the end of the page.
 */
static struct page *vsvm_translate(struct vsvm_vm *vm, unsigned long va,
				   u32 access, unsigned int *offset,
				   unsigned long *span)
{
	unsigned int shift;
	u64 pte;

	rcu_read_lock();
	pte = vsvm_pt_lookup(&vm->pt, va, &shift);
	rcu_read_unlock();
	if (!vsvm_pte_allows(pte, access))
		return NULL;
	*offset = offset_in_page(va);
	if (span)
		*span = PAGE_SIZE - *offset;
	/* A VRAM entry holds an offset into the device's VRAM. */
	if (pte & VSVM_PTE_VRAM)
		return vsvm_vram_page(vm->vdev, (pte & VSVM_PTE_ADDR) +
				      (va & ((1UL << shift) - 1) & PAGE_MASK));
	if (span && !IS_ENABLED(CONFIG_HIGHMEM))
		*span = (1UL << shift) - (va & ((1UL << shift) - 1));
	return pfn_to_page(PHYS_PFN((pte & VSVM_PTE_ADDR) +
				    (va & ((1UL << shift) - 1) & PAGE_MASK)));
}

/*
 * Map the page holding @va for @access: takes the notifier lock for read,
 * released by vsvm_unmap(). On a miss, fills @miss and returns VSVM_MISS
 * without the lock.
 */
static int vsvm_map(struct vsvm_vm *vm, unsigned long va, u32 access,
		    void **kaddr, struct vsvm_miss *miss)
{
	unsigned int offset;
	struct page *page;

	drm_svm_notifier_lock(&vm->svm);
	page = vsvm_translate(vm, va, access, &offset, NULL);
	if (!page) {
		drm_svm_notifier_unlock(&vm->svm);
		miss->addr = va;
		miss->access = access;
		return VSVM_MISS;
	}
	*kaddr = kmap_local_page(page) + offset;
	return 0;
}

static void vsvm_unmap(struct vsvm_vm *vm, void *kaddr)
{
	kunmap_local(kaddr);
	drm_svm_notifier_unlock(&vm->svm);
}

/* Copy between GPU memory and a kernel buffer, page by page. */
static int vsvm_rw(struct vsvm_vm *vm, unsigned long va, void *buf,
		   size_t len, bool write, struct vsvm_miss *miss)
{
	void *kaddr;
	size_t n;
	int err;

	while (len) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(va));
		err = vsvm_map(vm, va, write ? DRM_VSVM_ACCESS_WRITE :
			       DRM_VSVM_ACCESS_READ, &kaddr, miss);
		if (err)
			return err;
		if (write)
			memcpy(kaddr, buf, n);
		else
			memcpy(buf, kaddr, n);
		vsvm_unmap(vm, kaddr);
		va += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * The engine's kernel mapping of @page at @off, valid for the span
 * vsvm_translate() gave: kmap_local_page() is page_address() without
 * highmem, where spans can cover more than one page.
 */
static void *vsvm_kmap(struct page *page, unsigned int off)
{
	return kmap_local_page(page) + off;
}

static void vsvm_kunmap(void *kaddr)
{
	kunmap_local(kaddr);
}

static int vsvm_op_fill(struct vsvm_vm *vm, struct vsvm_submission *s,
			const struct drm_vsvm_cmd *cmd, struct vsvm_miss *miss)
{
	unsigned long span, pages;
	unsigned int off;
	struct page *page;
	void *kaddr;
	size_t n;

	while (s->progress < cmd->size) {
		drm_svm_notifier_lock(&vm->svm);
		for (pages = 0; pages < VSVM_PAGES_PER_LOCK &&
		     s->progress < cmd->size; pages += DIV_ROUND_UP(n, PAGE_SIZE)) {
			unsigned long va = cmd->dst + s->progress;

			page = vsvm_translate(vm, va, DRM_VSVM_ACCESS_WRITE, &off,
					      &span);
			if (!page) {
				drm_svm_notifier_unlock(&vm->svm);
				miss->addr = va;
				miss->access = DRM_VSVM_ACCESS_WRITE;
				return VSVM_MISS;
			}
			n = min_t(u64, cmd->size - s->progress, span);
			kaddr = vsvm_kmap(page, off);
			memset32(kaddr, (u32)cmd->value, n / 4);
			vsvm_kunmap(kaddr);
			s->progress += n;
		}
		drm_svm_notifier_unlock(&vm->svm);
		cond_resched();
	}
	return 0;
}

static int vsvm_op_copy(struct vsvm_vm *vm, struct vsvm_submission *s,
			const struct drm_vsvm_cmd *cmd, struct vsvm_miss *miss)
{
	unsigned long sspan, dspan, pages;
	unsigned int soff, doff;
	struct page *sp, *dp;
	void *src, *dst;
	size_t n;

	while (s->progress < cmd->size) {
		drm_svm_notifier_lock(&vm->svm);
		for (pages = 0; pages < VSVM_PAGES_PER_LOCK &&
		     s->progress < cmd->size; pages += DIV_ROUND_UP(n, PAGE_SIZE)) {
			unsigned long sva = cmd->src + s->progress;
			unsigned long dva = cmd->dst + s->progress;

			sp = vsvm_translate(vm, sva, DRM_VSVM_ACCESS_READ, &soff,
					    &sspan);
			dp = vsvm_translate(vm, dva, DRM_VSVM_ACCESS_WRITE, &doff,
					    &dspan);
			if (!sp || !dp) {
				drm_svm_notifier_unlock(&vm->svm);
				miss->addr = sp ? dva : sva;
				miss->access = sp ? DRM_VSVM_ACCESS_WRITE :
					       DRM_VSVM_ACCESS_READ;
				return VSVM_MISS;
			}
			n = min3(cmd->size - s->progress, (u64)sspan, (u64)dspan);
			src = vsvm_kmap(sp, soff);
			dst = vsvm_kmap(dp, doff);
			memmove(dst, src, n);
			vsvm_kunmap(dst);
			vsvm_kunmap(src);
			s->progress += n;
		}
		drm_svm_notifier_unlock(&vm->svm);
		cond_resched();
	}
	return 0;
}

static int vsvm_op_write_value(struct vsvm_vm *vm,
			       const struct drm_vsvm_cmd *cmd, u64 value,
			       struct vsvm_miss *miss)
{
	u32 v32 = value;

	if (vsvm_cmd_width(cmd) == 8)
		return vsvm_rw(vm, cmd->dst, &value, 8, true, miss);
	return vsvm_rw(vm, cmd->dst, &v32, 4, true, miss);
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
	switch ((cmd->flags & VSVM_CMD_WAIT_OP_MASK) >> 12) {
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

static int vsvm_op_wait_value(struct vsvm_vm *vm, struct vsvm_submission *s,
			      const struct drm_vsvm_cmd *cmd,
			      struct vsvm_miss *miss)
{
	u64 v;
	int err;

	/* The deadline survives fault replays. */
	if (!s->scratch[0])
		s->scratch[0] = ktime_get_ns() +
				(cmd->timeout_ns ? cmd->timeout_ns : NSEC_PER_SEC);
	for (;;) {
		v = 0;
		err = vsvm_rw(vm, cmd->src, &v, vsvm_cmd_width(cmd), false, miss);
		if (err)
			return err;
		if (vsvm_wait_met(cmd, v))
			return 0;
		if (ktime_get_ns() > s->scratch[0])
			return -ETIMEDOUT;
		if (READ_ONCE(vm->closing))
			return -ECANCELED;
		usleep_range(20, 50);
	}
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
 * scratch[0]: 1 once every operation is done and only the result store is
 * left; scratch[1]: the value found before the last operation.
 */
static int vsvm_op_atomic(struct vsvm_vm *vm, struct vsvm_submission *s,
			  const struct drm_vsvm_cmd *cmd, struct vsvm_miss *miss)
{
	unsigned int op = (cmd->flags & VSVM_CMD_ATOMIC_OP_MASK) >> 8;
	u64 count = cmd->size ? cmd->size : 1;
	unsigned int batch;
	void *kaddr;
	u64 old = 0;
	int err;

	while (s->progress < count) {
		err = vsvm_map(vm, cmd->dst, DRM_VSVM_ACCESS_ATOMIC, &kaddr,
			       miss);
		if (err)
			return err;
		for (batch = 0; batch < VSVM_ATOMIC_BATCH && s->progress < count;
		     batch++, s->progress++) {
			old = vsvm_atomic(kaddr, vsvm_cmd_width(cmd), op,
					  cmd->value, cmd->value2);
		}
		vsvm_unmap(vm, kaddr);
		/* Ends the hold of the atomic grant: the CPU may take it back. */
		drm_svm_atomic_progress(&vm->svm);
		s->scratch[1] = old;
		cond_resched();
	}
	if (!cmd->src)
		return 0;
	return vsvm_op_write_value(vm, &(struct drm_vsvm_cmd) {
					.dst = cmd->src, .flags = cmd->flags,
				   }, s->scratch[1], miss);
}

/*
 * progress: nodes visited, with VSVM_CHASE_DONE once the walk is over;
 * scratch[0]: next node; scratch[1]: running sum.
 */
static int vsvm_op_pointer_chase(struct vsvm_vm *vm, struct vsvm_submission *s,
				 const struct drm_vsvm_cmd *cmd,
				 struct vsvm_miss *miss)
{
	u64 max = cmd->size ? cmd->size : VSVM_CHASE_MAX;
	struct drm_vsvm_chase_node node;
	u64 result[2];
	int err;

	if (!s->progress)
		s->scratch[0] = cmd->src;
	while (!(s->progress & VSVM_CHASE_DONE)) {
		if (!s->scratch[0] || s->progress >= max) {
			s->progress |= VSVM_CHASE_DONE;
			break;
		}
		if (!IS_ALIGNED(s->scratch[0], 8))
			return -EINVAL;
		err = vsvm_rw(vm, s->scratch[0], &node, sizeof(node), false,
			      miss);
		if (err)
			return err;
		s->scratch[1] += node.value;
		s->scratch[0] = node.next;
		s->progress++;
		if (!(s->progress % 1024))
			cond_resched();
	}
	result[0] = s->scratch[1];
	result[1] = s->progress & ~VSVM_CHASE_DONE;
	return vsvm_rw(vm, cmd->dst, result, sizeof(result), true, miss);
}

static int vsvm_exec_cmd(struct vsvm_vm *vm, struct vsvm_submission *s,
			 const struct drm_vsvm_cmd *cmd, struct vsvm_miss *miss)
{
	switch (cmd->op) {
	case DRM_VSVM_OP_NOP:
		return 0;
	case DRM_VSVM_OP_FILL:
		return vsvm_op_fill(vm, s, cmd, miss);
	case DRM_VSVM_OP_COPY:
		return vsvm_op_copy(vm, s, cmd, miss);
	case DRM_VSVM_OP_WRITE_VALUE:
		return vsvm_op_write_value(vm, cmd, cmd->value, miss);
	case DRM_VSVM_OP_WAIT_VALUE:
		return vsvm_op_wait_value(vm, s, cmd, miss);
	case DRM_VSVM_OP_ATOMIC:
		return vsvm_op_atomic(vm, s, cmd, miss);
	case DRM_VSVM_OP_POINTER_CHASE:
		return vsvm_op_pointer_chase(vm, s, cmd, miss);
	case DRM_VSVM_OP_TIMESTAMP:
		if (!s->scratch[0])
			s->scratch[0] = ktime_get_ns();
		return vsvm_rw(vm, cmd->dst, &s->scratch[0], 8, true, miss);
	default:
		return -EINVAL;
	}
}

static void vsvm_record_fault(struct vsvm_channel *ch, u64 seqno,
			      const struct vsvm_miss *miss, int err)
{
	struct vsvm_vm *vm = ch->vm;

	spin_lock(&vm->fault_lock);
	vm->last_fault.addr = miss->addr;
	vm->last_fault.seqno = seqno;
	vm->last_fault.channel = ch->index;
	vm->last_fault.access = miss->access;
	vm->last_fault.error = err;
	vm->last_fault.count++;
	spin_unlock(&vm->fault_lock);
}

static bool vsvm_fault_done_acquire(struct vsvm_channel *ch)
{
	/* Pairs with the release in vsvm_fault_done(): fault_error. */
	return smp_load_acquire(&ch->fault_state) == VSVM_FAULT_DONE;
}

/* Stall on a fault until the fault handler has dealt with it. */
static int vsvm_channel_stall(struct vsvm_channel *ch,
			      const struct vsvm_miss *miss)
{
	WRITE_ONCE(ch->fault_state, VSVM_FAULT_PENDING);
	vsvm_fault_post(ch, miss->addr, miss->access);
	vsvm_fault_kick(ch->vm);
	wait_event(ch->fault_wq, vsvm_fault_done_acquire(ch));
	return ch->fault_error;
}

static int vsvm_run_submission(struct vsvm_channel *ch,
			       struct vsvm_submission *s)
{
	struct vsvm_vm *vm = ch->vm;
	struct vsvm_miss miss, last = {};
	unsigned int replays = 0;
	int err;

	while (s->cur < s->num_cmds) {
		if (READ_ONCE(vm->closing))
			return -ECANCELED;
		err = vsvm_exec_cmd(vm, s, &s->cmds[s->cur], &miss);
		if (err == VSVM_MISS) {
			/* Count replays of one access that keeps missing. */
			if (miss.addr == last.addr && miss.access == last.access) {
				replays++;
			} else {
				replays = 0;
				last = miss;
			}
			err = replays > VSVM_MAX_REPLAYS ? -EBUSY :
			      vsvm_channel_stall(ch, &miss);
			if (!err)
				continue;
			if (err == -ECANCELED)
				return err;
			vsvm_record_fault(ch, s->seqno, &miss, err);
			/* -EACCES: an atomic the VA range's policy refuses. */
			return err == -EACCES ? -EPERM : -EFAULT;
		}
		if (err)
			return err;
		atomic64_inc(&vm->commands);
		s->cur++;
		s->progress = 0;
		s->scratch[0] = 0;
		s->scratch[1] = 0;
		replays = 0;
		last = (struct vsvm_miss) {};
	}
	return 0;
}

static void vsvm_channel_complete(struct vsvm_channel *ch,
				  struct vsvm_submission *s, int status)
{
	spin_lock(&ch->lock);
	list_del(&s->link);
	ch->status[s->seqno % VSVM_STATUS_RING] = status;
	ch->completed = s->seqno;
	spin_unlock(&ch->lock);
	atomic64_inc(&ch->vm->submissions);
	wake_up_all(&ch->done_wq);
	kvfree(s);
}

static void vsvm_channel_work(struct work_struct *work)
{
	struct vsvm_channel *ch = container_of(work, struct vsvm_channel, work);
	struct vsvm_submission *s;

	for (;;) {
		spin_lock(&ch->lock);
		s = list_first_entry_or_null(&ch->queue,
					     struct vsvm_submission, link);
		spin_unlock(&ch->lock);
		if (!s)
			return;
		vsvm_channel_complete(ch, s, vsvm_run_submission(ch, s));
		cond_resched();
	}
}

/**
 * vsvm_channel_init() - set a channel up
 * @ch: the channel
 * @vm: its VM
 * @index: its number
 */
void vsvm_channel_init(struct vsvm_channel *ch, struct vsvm_vm *vm,
		       unsigned int index)
{
	ch->vm = vm;
	ch->index = index;
	spin_lock_init(&ch->lock);
	INIT_LIST_HEAD(&ch->queue);
	init_waitqueue_head(&ch->done_wq);
	init_waitqueue_head(&ch->fault_wq);
	INIT_WORK(&ch->work, vsvm_channel_work);
}

/**
 * vsvm_channel_submit() - queue a submission
 * @ch: the channel
 * @s: the submission, checked with vsvm_engine_check_cmd(); the channel
 *	owns it from now on (kvfree()d when completed)
 * @seqno: out, its sequence number
 *
 * Return: 0, or -ENODEV when the VM is being torn down (@s is freed).
 */
int vsvm_channel_submit(struct vsvm_channel *ch, struct vsvm_submission *s,
			u64 *seqno)
{
	spin_lock(&ch->lock);
	if (READ_ONCE(ch->vm->closing)) {
		spin_unlock(&ch->lock);
		kvfree(s);
		return -ENODEV;
	}
	s->seqno = ++ch->submitted;
	list_add_tail(&s->link, &ch->queue);
	spin_unlock(&ch->lock);
	*seqno = s->seqno;
	queue_work(ch->vm->vdev->wq, &ch->work);
	return 0;
}

/**
 * vsvm_channel_wait() - wait for a submission
 * @ch: the channel
 * @seqno: the submission
 * @timeout_ns: relative timeout, negative for none
 * @status: out, its result
 *
 * Return: 0, -EINVAL (@seqno not submitted), -ETIME, -ENODATA (result no
 * longer kept) or -ERESTARTSYS.
 */
int vsvm_channel_wait(struct vsvm_channel *ch, u64 seqno, s64 timeout_ns,
		      s32 *status)
{
	long timeout = timeout_ns < 0 ? MAX_SCHEDULE_TIMEOUT :
		       nsecs_to_jiffies(timeout_ns);
	long ret;
	int err = 0;

	spin_lock(&ch->lock);
	if (!seqno || seqno > ch->submitted)
		err = -EINVAL;
	spin_unlock(&ch->lock);
	if (err)
		return err;

	ret = wait_event_interruptible_timeout(ch->done_wq,
					       READ_ONCE(ch->completed) >= seqno,
					       timeout);
	if (ret < 0)
		return ret;
	if (!ret && READ_ONCE(ch->completed) < seqno)
		return -ETIME;

	spin_lock(&ch->lock);
	if (ch->completed - seqno >= VSVM_STATUS_RING)
		err = -ENODATA;
	else
		*status = ch->status[seqno % VSVM_STATUS_RING];
	spin_unlock(&ch->lock);
	return err;
}

/**
 * vsvm_channel_cancel() - end a stall at teardown
 * @ch: the channel; &vsvm_vm.closing is set
 *
 * The engine then completes the current and every queued submission with
 * -ECANCELED.
 */
void vsvm_channel_cancel(struct vsvm_channel *ch)
{
	if (READ_ONCE(ch->fault_state) == VSVM_FAULT_PENDING) {
		ch->fault_error = -ECANCELED;
		/* Publishes fault_error to vsvm_channel_stall(). */
		smp_store_release(&ch->fault_state, VSVM_FAULT_DONE);
	}
	wake_up(&ch->fault_wq);
}

static u64 vsvm_cmd_used_fields(u32 op)
{
	/* Bit per field: dst, src, size, value, value2, timeout_ns. */
	static const u8 used[] = {
		[DRM_VSVM_OP_NOP] = 0,
		[DRM_VSVM_OP_FILL] = BIT(0) | BIT(2) | BIT(3),
		[DRM_VSVM_OP_COPY] = BIT(0) | BIT(1) | BIT(2),
		[DRM_VSVM_OP_WRITE_VALUE] = BIT(0) | BIT(3),
		[DRM_VSVM_OP_WAIT_VALUE] = BIT(1) | BIT(3) | BIT(4) | BIT(5),
		[DRM_VSVM_OP_ATOMIC] = BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4),
		[DRM_VSVM_OP_POINTER_CHASE] = BIT(0) | BIT(1) | BIT(2),
		[DRM_VSVM_OP_TIMESTAMP] = BIT(0),
	};

	return used[op];
}

static u32 vsvm_cmd_allowed_flags(const struct drm_vsvm_cmd *cmd)
{
	switch (cmd->op) {
	case DRM_VSVM_OP_WRITE_VALUE:
		return DRM_VSVM_CMD_64BIT;
	case DRM_VSVM_OP_WAIT_VALUE:
		return DRM_VSVM_CMD_64BIT | VSVM_CMD_WAIT_OP_MASK;
	case DRM_VSVM_OP_ATOMIC:
		return DRM_VSVM_CMD_64BIT | VSVM_CMD_ATOMIC_OP_MASK;
	default:
		return 0;
	}
}

/**
 * vsvm_engine_check_cmd() - validate a command at submission
 * @cmd: the command
 *
 * Return: 0 or -EINVAL (unknown op or flag, non-zero unused field,
 * misaligned address or size).
 */
int vsvm_engine_check_cmd(const struct drm_vsvm_cmd *cmd)
{
	const u64 fields[] = { cmd->dst, cmd->src, cmd->size, cmd->value,
			       cmd->value2, cmd->timeout_ns };
	u32 width = vsvm_cmd_width(cmd);
	unsigned int i;
	u64 used;

	if (cmd->op > DRM_VSVM_OP_TIMESTAMP || cmd->pad ||
	    (cmd->flags & ~vsvm_cmd_allowed_flags(cmd)))
		return -EINVAL;
	used = vsvm_cmd_used_fields(cmd->op);
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i] && !(used & BIT(i)))
			return -EINVAL;

	switch (cmd->op) {
	case DRM_VSVM_OP_FILL:
		if (!IS_ALIGNED(cmd->dst | cmd->size, 4) || cmd->value > U32_MAX)
			return -EINVAL;
		break;
	case DRM_VSVM_OP_WRITE_VALUE:
		if (!IS_ALIGNED(cmd->dst, width) ||
		    (width == 4 && cmd->value > U32_MAX))
			return -EINVAL;
		break;
	case DRM_VSVM_OP_WAIT_VALUE:
		if (!IS_ALIGNED(cmd->src, width) ||
		    ((cmd->flags & VSVM_CMD_WAIT_OP_MASK) >> 12) > DRM_VSVM_WAIT_LT)
			return -EINVAL;
		break;
	case DRM_VSVM_OP_ATOMIC:
		if (!IS_ALIGNED(cmd->dst | cmd->src, width) ||
		    ((cmd->flags & VSVM_CMD_ATOMIC_OP_MASK) >> 8) > DRM_VSVM_ATOMIC_OR)
			return -EINVAL;
		if (width == 4 && (cmd->value > U32_MAX || cmd->value2 > U32_MAX))
			return -EINVAL;
		if (((cmd->flags & VSVM_CMD_ATOMIC_OP_MASK) >> 8) !=
		    DRM_VSVM_ATOMIC_CMPXCHG && cmd->value2)
			return -EINVAL;
		break;
	case DRM_VSVM_OP_POINTER_CHASE:
		if (!IS_ALIGNED(cmd->dst | cmd->src, 8))
			return -EINVAL;
		break;
	case DRM_VSVM_OP_TIMESTAMP:
		if (!IS_ALIGNED(cmd->dst, 8))
			return -EINVAL;
		break;
	}
	return 0;
}
