// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm shader NDRange
 *
 * A dispatch runs its work-groups in order, and each group's work-items
 * one at a time. A program without any ecall cannot meet at a barrier, so
 * its work-items run to the end one after the other in one context and
 * one private memory, reused (all at the same private address). A program
 * with an ecall gets a context and a private memory per work-item of a
 * group (a work-item's is at %DRM_VSVM_SHADER_PRIVATE + its local linear
 * id times the private size): each runs until it reaches a barrier or
 * exits, then the next that can run does. When none can, the group is
 * done if every work-item exited, else those waiting must all wait at the
 * same barrier (pc): they are released together; otherwise the dispatch
 * fails with -EDEADLK. Work-items that exited do not hold a barrier up.
 *
 * vsvm_shader_run_slice() runs a bounded number of instructions and
 * returns; the next call goes on exactly where it stopped, whatever
 * stopped it (end of the slice, a GPU page-table miss to be serviced).
 * Local memory is zeroed when a group starts.
 */

#include <linux/export.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "vsvm_shader.h"

/* vsvm_group_run(): the group is done. */
#define VSVM_GROUP_DONE		(VSVM_HART_BARRIER + 1)

static bool vsvm_entry_ok(const struct vsvm_program *prog, u64 entry)
{
	const struct vsvm_segment *seg = vsvm_program_segment(prog, entry);

	return seg && (seg->flags & DRM_VSVM_SEGMENT_X) && !(entry % 4);
}

static int vsvm_check_dims(const struct drm_vsvm_dispatch *d)
{
	u64 items = 1, end, all = 1;
	unsigned int i;

	if (d->work_dim < 1 || d->work_dim > 3)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (!d->global_size[i] || !d->local_size[i])
			return -EINVAL;
		if (i >= d->work_dim && (d->global_offset[i] ||
					 d->global_size[i] != 1 ||
					 d->local_size[i] != 1))
			return -EINVAL;
		if (check_add_overflow(d->global_offset[i], d->global_size[i],
				       &end) ||
		    check_mul_overflow(all, d->global_size[i], &all))
			return -EINVAL;
		items *= d->local_size[i];
		if (items > VSVM_SHADER_MAX_WORKGROUP)
			return -EINVAL;
	}
	return 0;
}

/**
 * vsvm_shader_check_dispatch() - check the arguments of a DISPATCH
 * @d: the arguments, copied from the user
 * @prog: the program of @d->program
 *
 * Return: 0 or -EINVAL, for what &struct drm_vsvm_dispatch rules out.
 */
int vsvm_shader_check_dispatch(const struct drm_vsvm_dispatch *d,
			       const struct vsvm_program *prog)
{
	u32 pm = d->private_mem ? d->private_mem : DRM_VSVM_DEFAULT_PRIVATE_MEM;

	if (d->flags || memchr_inv(d->reserved, 0, sizeof(d->reserved)))
		return -EINVAL;
	if (vsvm_check_dims(d))
		return -EINVAL;
	if (d->local_mem > VSVM_SHADER_MAX_LOCAL_MEM ||
	    d->local_mem < prog->local_size)
		return -EINVAL;
	if (pm % 16 || pm > VSVM_SHADER_MAX_PRIVATE_MEM)
		return -EINVAL;
	if (!vsvm_entry_ok(prog, d->entry))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_shader_check_dispatch);

/**
 * vsvm_shader_run_destroy() - free a dispatch's state
 * @run: the state, may be NULL
 */
void vsvm_shader_run_destroy(struct vsvm_shader_run *run)
{
	if (!run)
		return;
	kvfree(run->priv);
	kvfree(run->local);
	kfree(run->wipage);
	kvfree(run->harts);
	vsvm_program_put(run->prog);
	kfree(run);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_shader_run_destroy);

/**
 * vsvm_shader_run_create() - prepare a dispatch
 * @prog: the program; the dispatch takes a reference
 * @d: the arguments, checked with vsvm_shader_check_dispatch()
 *
 * Allocates everything the dispatch needs (contexts, local and private
 * memory), charged to the caller's memory cgroup: running it allocates
 * nothing.
 *
 * Return: the state, or ERR_PTR(-ENOMEM).
 */
struct vsvm_shader_run *vsvm_shader_run_create(struct vsvm_program *prog,
					       const struct drm_vsvm_dispatch *d)
{
	struct vsvm_shader_run *run;
	unsigned int i;
	u32 items = 1;

	run = kzalloc(sizeof(*run), GFP_KERNEL_ACCOUNT);
	if (!run)
		return ERR_PTR(-ENOMEM);
	kref_get(&prog->ref);
	run->prog = prog;
	run->d = *d;
	if (!run->d.private_mem)
		run->d.private_mem = DRM_VSVM_DEFAULT_PRIVATE_MEM;
	run->groups = 1;
	for (i = 0; i < 3; i++) {
		run->num_groups[i] = div64_u64(d->global_size[i] + d->local_size[i] - 1,
					       d->local_size[i]);
		run->groups *= run->num_groups[i];
		items *= d->local_size[i];
	}
	run->barriers = prog->has_ecall;
	run->nharts = run->barriers ? items : 1;
	run->harts = kvcalloc(run->nharts, sizeof(*run->harts),
			      GFP_KERNEL_ACCOUNT);
	run->priv = kvzalloc(array_size(run->nharts, run->d.private_mem),
			     GFP_KERNEL_ACCOUNT);
	if (d->local_mem)
		run->local = kvzalloc(d->local_mem, GFP_KERNEL_ACCOUNT);
	/* The descriptor page: the descriptor, then zeros. */
	run->wipage = kzalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!run->harts || !run->priv || !run->wipage ||
	    (d->local_mem && !run->local)) {
		vsvm_shader_run_destroy(run);
		return ERR_PTR(-ENOMEM);
	}
	run->x.prog = prog;
	memset(run->x.tlb.e, 0xff, sizeof(run->x.tlb.e));
	run->x.local = run->local;
	run->x.local_size = d->local_mem;
	run->x.priv_size = run->d.private_mem;
	run->x.wi = run->wipage;
	run->gstride[0] = 1;
	run->gstride[1] = d->global_size[0];
	run->gstride[2] = d->global_size[0] * d->global_size[1];
	return run;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_shader_run_create);

/* Split a linear index into three ids over @size. */
static void vsvm_ids(u64 linear, const u64 size[3], u64 id[3])
{
	linear = div64_u64_rem(linear, size[0], &id[0]);
	id[2] = div64_u64_rem(linear, size[1], &id[1]);
}

/* What every work-item of the current group reads alike. */
static void vsvm_group_template(struct vsvm_shader_run *run)
{
	const struct drm_vsvm_dispatch *d = &run->d;
	struct drm_vsvm_workitem *t = &run->tmpl;
	unsigned int i;

	memset(t, 0, sizeof(*t));
	run->glin0 = 0;
	for (i = 0; i < 3; i++) {
		t->group_id[i] = run->group_id[i];
		t->local_size[i] = run->group_size[i];
		t->enqueued_local_size[i] = d->local_size[i];
		t->global_size[i] = d->global_size[i];
		t->num_groups[i] = run->num_groups[i];
		t->global_offset[i] = d->global_offset[i];
		run->gid0[i] = d->global_offset[i] +
			       run->group_id[i] * d->local_size[i];
		run->glin0 += (run->gid0[i] - d->global_offset[i]) *
			      run->gstride[i];
		run->lid[i] = 0;
	}
	t->work_dim = d->work_dim;
}

/*
 * The ids of the next work-item (local ids in order) in @wi, which holds
 * the group's template.
 */
static void vsvm_workitem_next(struct vsvm_shader_run *run,
			       struct drm_vsvm_workitem *wi, u32 li)
{
	unsigned int i;

	wi->local_linear_id = li;
	wi->global_linear_id = run->glin0;
	for (i = 0; i < 3; i++) {
		wi->local_id[i] = run->lid[i];
		wi->global_id[i] = run->gid0[i] + run->lid[i];
		wi->global_linear_id += run->lid[i] * run->gstride[i];
	}
	/* Count like an odometer, dimension 0 fastest. */
	for (i = 0; i < 3; i++) {
		if (++run->lid[i] < run->group_size[i])
			break;
		run->lid[i] = 0;
	}
}

/* The fields of a descriptor that differ between work-items of a group. */
static void vsvm_workitem_ids(struct drm_vsvm_workitem *to,
			      const struct drm_vsvm_workitem *from)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		to->global_id[i] = from->global_id[i];
		to->local_id[i] = from->local_id[i];
	}
	to->global_linear_id = from->global_linear_id;
	to->local_linear_id = from->local_linear_id;
}

/* Private memory of work-item @li: each its own, or one for all. */
static u64 vsvm_priv_offset(const struct vsvm_shader_run *run, u32 li)
{
	return run->barriers ? (u64)li * run->d.private_mem : 0;
}

/*
 * Zero the registers the program may have written: the others are still
 * zero (contexts are allocated zeroed). Register by register: string
 * instructions are slow where the kernel itself is emulated.
 */
static void vsvm_regs_clear(struct vsvm_hart *h, u32 regs)
{
	unsigned int r;

	while (regs) {
		r = __ffs(regs);
		regs &= regs - 1;
		h->x[r] = 0;
		h->f[r] = 0;
	}
}

static void vsvm_item_init(struct vsvm_shader_run *run, struct vsvm_hart *h,
			   u32 li)
{
	vsvm_regs_clear(h, run->prog->regs);
	h->fflags = 0;
	h->frm = 0;
	h->lr_size = 0;
	h->state = VSVM_HART_RUN;
	/*
	 * Alone, a work-item's descriptor goes right to the page, where
	 * the group's shared fields already are.
	 */
	if (run->barriers) {
		h->wi = run->tmpl;
		vsvm_workitem_next(run, &h->wi, li);
	} else {
		vsvm_workitem_next(run, run->wipage, li);
	}
	h->pc = run->d.entry;
	h->x[1] = DRM_VSVM_SHADER_EXIT;
	h->x[2] = DRM_VSVM_SHADER_PRIVATE + vsvm_priv_offset(run, li) +
		  run->d.private_mem;
	h->x[10] = run->d.kernarg;
}

/* Make work-item @li the running one. */
static void vsvm_item_enter(struct vsvm_shader_run *run, u32 li)
{
	run->cur = li;
	run->x.priv = run->priv + vsvm_priv_offset(run, li);
	run->x.priv_base = DRM_VSVM_SHADER_PRIVATE + vsvm_priv_offset(run, li);
	/* Another work-item's private memory and descriptor. */
	if (run->barriers) {
		vsvm_workitem_ids(run->wipage, &run->harts[li].wi);
		vsvm_exec_flush(&run->x);
	}
}

static void vsvm_group_start(struct vsvm_shader_run *run)
{
	u64 gs;
	u32 i;

	vsvm_ids(run->group, run->num_groups, run->group_id);
	run->items = 1;
	for (i = 0; i < 3; i++) {
		gs = run->d.global_size[i] - run->group_id[i] * run->d.local_size[i];
		run->group_size[i] = min_t(u64, gs, run->d.local_size[i]);
		run->items *= run->group_size[i];
	}
	if (run->local)
		memset(run->local, 0, run->d.local_mem);
	vsvm_group_template(run);
	*run->wipage = run->tmpl;
	run->next = 1;
	for (i = 0; i < (run->barriers ? run->items : 1); i++)
		vsvm_item_init(run, &run->harts[i], i);
	vsvm_item_enter(run, 0);
	run->started = true;
}

/*
 * Every work-item waits or exited: release those at the barrier, or the
 * group is done. -EDEADLK when they wait at different barriers.
 */
static int vsvm_barrier_release(struct vsvm_shader_run *run)
{
	struct vsvm_hart *first = NULL, *h;
	u32 i;

	for (i = 0; i < run->items; i++) {
		h = &run->harts[i];
		if (h->state != VSVM_HART_BARRIER)
			continue;
		if (!first) {
			first = h;
		} else if (h->barrier_pc != first->barrier_pc) {
			run->x.exc = (struct vsvm_shader_exc) {
				.pc = h->barrier_pc, .addr = h->barrier_pc,
				.insn = vsvm_program_insn(run->prog, h->barrier_pc),
			};
			return -EDEADLK;
		}
	}
	if (!first)
		return VSVM_GROUP_DONE;
	for (i = 0; i < run->items; i++)
		if (run->harts[i].state == VSVM_HART_BARRIER)
			run->harts[i].state = VSVM_HART_RUN;
	vsvm_item_enter(run, first - run->harts);
	return 0;
}

/* The running work-item stopped at a barrier or exited: pick the next. */
static int vsvm_group_next(struct vsvm_shader_run *run)
{
	u32 i, li;

	if (!run->barriers) {
		if (run->next == run->items)
			return VSVM_GROUP_DONE;
		vsvm_item_init(run, run->harts, run->next);
		vsvm_item_enter(run, run->next++);
		return 0;
	}
	for (i = 1; i <= run->items; i++) {
		li = (run->cur + i) % run->items;
		if (run->harts[li].state == VSVM_HART_RUN) {
			vsvm_item_enter(run, li);
			return 0;
		}
	}
	return vsvm_barrier_release(run);
}

/* Run the current group: VSVM_GROUP_DONE, 0 (budget used up) or as vsvm_hart_run(). */
static int vsvm_group_run(struct vsvm_shader_run *run, u64 *budget)
{
	struct vsvm_hart *h;
	u64 left;
	int ret;

	for (;;) {
		h = &run->harts[run->barriers ? run->cur : 0];
		left = *budget;
		ret = vsvm_hart_run(&run->x, h, &left);
		run->retired += *budget - left;
		*budget = left;
		if (ret == VSVM_HART_EXIT) {
			h->state = VSVM_HART_EXITED;
		} else if (ret == VSVM_HART_BARRIER) {
			/* Without contexts there is no ecall to get here. */
			if (!run->barriers)
				return -EDEADLK;
			h->state = VSVM_HART_BARRIER;
		} else {
			return ret;
		}
		ret = vsvm_group_next(run);
		if (ret)
			return ret;
	}
}

/**
 * vsvm_shader_run_slice() - run a dispatch for a while
 * @run: the dispatch
 * @mem: how to reach GPU memory during this slice
 * @max_insns: most instructions to retire in this slice
 *
 * The caller holds what keeps @mem's translations valid (the notifier
 * lock) for the whole call: translations are not kept beyond it.
 *
 * Return: 0 when the dispatch is complete; -EAGAIN when the slice is
 * over; %VSVM_HART_MISS when an access missed in the GPU page table
 * (&vsvm_exec.exc of @run->x has the address and the access: service it
 * and call again); -EFAULT, -ENOEXEC or -EDEADLK (&vsvm_exec.exc says
 * where); -ETIMEDOUT when &drm_vsvm_dispatch.insn_budget is used up.
 */
int vsvm_shader_run_slice(struct vsvm_shader_run *run,
			  const struct vsvm_shader_mem *mem, u64 max_insns)
{
	u64 budget = max_insns;
	int ret;

	if (run->d.insn_budget)
		budget = min(budget, run->d.insn_budget - run->retired);
	run->x.mem = mem;
	vsvm_exec_flush(&run->x);
	while (run->group < run->groups) {
		if (!run->started)
			vsvm_group_start(run);
		if (!budget)
			break;
		ret = vsvm_group_run(run, &budget);
		if (ret != VSVM_GROUP_DONE) {
			if (ret) {
				vsvm_exec_fpu_leave(&run->x);
				return ret;
			}
			break;
		}
		run->group++;
		run->started = false;
	}
	vsvm_exec_fpu_leave(&run->x);
	if (run->group == run->groups)
		return 0;
	if (run->d.insn_budget && run->retired >= run->d.insn_budget) {
		run->x.exc = (struct vsvm_shader_exc) {
			.pc = run->harts[run->barriers ? run->cur : 0].pc,
		};
		return -ETIMEDOUT;
	}
	return -EAGAIN;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_shader_run_slice);
