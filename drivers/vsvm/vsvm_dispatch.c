// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm DISPATCH
 *
 * DRM_VSVM_OP_DISPATCH, a row of the command table (vsvm_cmd.c). At EXEC
 * its prepare function copies the &struct drm_vsvm_dispatch, looks the
 * program up (taking a reference), checks the arguments and allocates
 * everything the dispatch will need (vsvm_shader_run_create()), charged
 * to the caller's memory cgroup.
 *
 * Its exec function runs the shader core in slices of
 * %VSVM_DISPATCH_SLICE instructions, each a slice of GPU MMU accesses
 * (vsvm_mmu_lock() to vsvm_mmu_unlock(): the drm_svm notifier lock held
 * for read), which is what keeps the software TLB's translations valid for
 * the slice. A software-TLB miss outside the shader window goes to
 * vsvm_mmu_translate(), the same GPU page-table walk as every command's,
 * through the slice's &struct vsvm_mmu_tlb, so that a kernel streaming
 * through 4 KiB pages of one 2 MiB block walks from the root once: a miss
 * ends the slice with the instruction un-retired and returns
 * %VSVM_MISS to the engine, which gets the fault serviced and calls exec
 * again; the dispatch resumes exactly there. Between slices the grant
 * hold of device-exclusive pages ends (drm_svm_atomic_progress(), so a
 * kernel spinning on an atomic cannot livelock a CPU that wants its page
 * back) and vsvm_cmd_yield() lets other work run and ends the command on
 * the job timeout or the VM's close.
 *
 * An exception (a window or permission violation, an illegal instruction,
 * divergent barriers) fails the submission with -EFAULT, -ENOEXEC or
 * -EDEADLK and is recorded for FAULT_INFO with its pc and instruction.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_svm_atomic.h>

#include "vsvm_cmd.h"
#include "vsvm_trace.h"

/* Instructions a dispatch retires under one notifier-lock hold. */
#define VSVM_DISPATCH_SLICE	8192

/**
 * vsvm_cmd_dispatch_check() - EXEC-time check of a DISPATCH command
 * @cmd: the command
 *
 * Return: 0, or -EINVAL without an argument block.
 */
int vsvm_cmd_dispatch_check(const struct drm_vsvm_cmd *cmd)
{
	return cmd->src ? 0 : -EINVAL;
}

/**
 * vsvm_cmd_dispatch_prepare() - copy, check and set up a DISPATCH
 * @vf: the submitting file
 * @cmd: the command, checked
 * @payload: out, the &struct vsvm_shader_run
 *
 * Return: 0, -EFAULT (argument block unreadable), -ENOENT (no such
 * program), -EINVAL (bad arguments) or -ENOMEM.
 */
int vsvm_cmd_dispatch_prepare(struct vsvm_file *vf,
			      const struct drm_vsvm_cmd *cmd, void **payload)
{
	struct drm_vsvm_dispatch d;
	struct vsvm_shader_run *run;
	struct vsvm_program *prog;
	int err;

	if (copy_from_user(&d, u64_to_user_ptr(cmd->src), sizeof(d)))
		return -EFAULT;
	prog = vsvm_program_lookup(&vf->programs, d.program);
	if (!prog)
		return -ENOENT;
	err = vsvm_shader_check_dispatch(&d, prog);
	if (err)
		goto out_put;
	run = vsvm_shader_run_create(prog, &d);
	if (IS_ERR(run)) {
		err = PTR_ERR(run);
		goto out_put;
	}
	*payload = run;
out_put:
	/* The run holds a reference of its own. */
	vsvm_program_put(prog);
	return err;
}

/**
 * vsvm_cmd_dispatch_release() - free a DISPATCH's state
 * @payload: the &struct vsvm_shader_run
 */
void vsvm_cmd_dispatch_release(void *payload)
{
	vsvm_shader_run_destroy(payload);
}

/*
 * The shader core's GPU memory: the VM's page table, through the slice's
 * GPU MMU TLB.
 */
struct vsvm_dispatch_mem {
	struct vsvm_vm *vm;
	struct vsvm_mmu_tlb tlb;
};

/*
 * Runs in a slice, between vsvm_mmu_lock() and vsvm_mmu_unlock(), without
 * sleeping.
 */
static void *vsvm_dispatch_translate(void *priv, u64 va, u32 access,
				     u32 *perms)
{
	struct vsvm_dispatch_mem *dm = priv;
	unsigned int offset;
	struct page *page;

	page = vsvm_mmu_translate(dm->vm, &dm->tlb, va, access, &offset, NULL);
	if (!page)
		return NULL;
	/* Whatever allows a write or an atomic allows a read. */
	*perms = BIT(access) | VSVM_PERM_READ;
	/* The kernel address stays valid for the slice: no highmem. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_HIGHMEM));
	return page_address(page);
}

/* Where the dispatch stopped: the access, the pc and the instruction. */
static void vsvm_dispatch_where(struct vsvm_cmd_run *run,
				const struct vsvm_shader_exc *exc)
{
	run->miss.addr = exc->addr;
	run->miss.access = exc->access;
	run->pc = exc->pc;
	run->insn = exc->insn;
}

/* Run slices until the dispatch ends or misses; see vsvm_cmd_dispatch(). */
static int vsvm_dispatch_slices(struct vsvm_cmd_run *run)
{
	struct vsvm_dispatch_mem dm = { .vm = run->vm };
	struct vsvm_shader_mem mem = {
		.translate = vsvm_dispatch_translate,
		.priv = &dm,
	};
	struct vsvm_shader_run *sr = run->payload;
	struct vsvm_vm *vm = run->vm;
	u64 before;
	int err;

	for (;;) {
		before = sr->retired;
		vsvm_mmu_lock(vm, &dm.tlb);
		err = vsvm_shader_run_slice(sr, &mem, VSVM_DISPATCH_SLICE);
		vsvm_mmu_unlock(vm, &dm.tlb);
		/* Ends the hold of the atomic grants: the CPU may take them back. */
		drm_svm_atomic_progress(&vm->svm);
		atomic64_add(sr->retired - before, &vm->shader_insns);
		run->progress = sr->retired;
		if (err == VSVM_HART_MISS) {
			vsvm_dispatch_where(run, &sr->x.exc);
			return VSVM_MISS;
		}
		if (err == -EFAULT || err == -ENOEXEC || err == -EDEADLK) {
			vsvm_dispatch_where(run, &sr->x.exc);
			run->exception = true;
		}
		if (err != -EAGAIN)
			return err;
		err = vsvm_cmd_yield(run);
		if (err)
			return err;
	}
}

/**
 * vsvm_cmd_dispatch() - run a DISPATCH, or go on with it
 * @run: the command, its payload the &struct vsvm_shader_run
 *
 * Traces vsvm_dispatch when the command ends, with the time since its
 * first call (kept in &vsvm_cmd_run.scratch across fault replays).
 *
 * Return: 0 when every work-item has run; %VSVM_MISS with @run->miss (and
 * the pc) filled; -EFAULT, -ENOEXEC, -EDEADLK (recorded as exceptions),
 * -ETIMEDOUT (instruction budget or job timeout) or -ECANCELED.
 */
int vsvm_cmd_dispatch(struct vsvm_cmd_run *run)
{
	int err;

	/* scratch[0]: when the dispatch started. */
	if (!run->scratch[0])
		run->scratch[0] = ktime_get_ns();
	err = vsvm_dispatch_slices(run);
	if (err != VSVM_MISS)
		trace_vsvm_dispatch(run->vm, run->payload,
				    ktime_get_ns() - run->scratch[0], err);
	return err;
}
