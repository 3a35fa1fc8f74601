/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __VSVM_CMD_H__
#define __VSVM_CMD_H__

#include <linux/bits.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/types.h>

#include "vsvm_drv.h"

/*
 * Returned by a command's exec function and by the GPU MMU helpers when
 * an access missed in the GPU page table (see &struct vsvm_miss).
 */
#define VSVM_MISS		1

/**
 * struct vsvm_miss - an access that missed, for the fault handler
 */
struct vsvm_miss {
	/** @addr: the GPU address. */
	unsigned long addr;
	/** @access: DRM_VSVM_ACCESS_*. */
	u32 access;
};

/**
 * struct vsvm_cmd_run - the state of the command a channel runs
 *
 * Lives in the submission; the engine zeroes the per-command part before
 * a command starts and keeps it across the command's replays, so an exec
 * function resumes from @progress after a fault or a slice end.
 */
struct vsvm_cmd_run {
	/** @vm: the VM. */
	struct vsvm_vm *vm;
	/** @ch: the channel running the command. */
	struct vsvm_channel *ch;
	/** @deadline: ktime (ns) at which the submission's budget ends. */
	u64 deadline;

	/* Per command, zeroed when a command starts. */
	/** @cmd: the command. */
	const struct drm_vsvm_cmd *cmd;
	/** @payload: what the row's prepare function made at EXEC, or NULL. */
	void *payload;
	/** @progress: how far the command got (bytes or steps). */
	u64 progress;
	/** @scratch: more per-command state kept across replays. */
	u64 scratch[2];
	/** @miss: filled by the access that missed (%VSVM_MISS). */
	struct vsvm_miss miss;
	/** @pc: GPU address of the faulting instruction (DISPATCH), or 0. */
	u64 pc;
	/** @insn: the faulting instruction word (DISPATCH). */
	u32 insn;
};

/* Bits of &vsvm_cmd_desc.fields: the &struct drm_vsvm_cmd fields an op reads. */
#define VSVM_CMD_DST		BIT(0)
#define VSVM_CMD_SRC		BIT(1)
#define VSVM_CMD_SIZE		BIT(2)
#define VSVM_CMD_VALUE		BIT(3)
#define VSVM_CMD_VALUE2		BIT(4)
#define VSVM_CMD_TIMEOUT	BIT(5)

/**
 * struct vsvm_cmd_desc - one engine command, a row of the command table
 *
 * Adding a command is one row in vsvm_cmd.c's table, its functions and
 * its opcode documented in the uAPI header.
 */
struct vsvm_cmd_desc {
	/** @name: for messages and debugfs. */
	const char *name;
	/** @fields: VSVM_CMD_* fields it reads; the others must be zero. */
	u8 fields;
	/** @flags: the &drm_vsvm_cmd.flags it allows. */
	u32 flags;
	/**
	 * @check: validate the command at EXEC beyond @fields and @flags
	 * (optional). Return: 0 or -EINVAL.
	 */
	int (*check)(const struct drm_vsvm_cmd *cmd);
	/**
	 * @prepare: copy or reference what the command needs beyond its
	 * fields, at EXEC time (optional). @payload gets what @exec finds in
	 * &vsvm_cmd_run.payload and @release frees. Return: 0 or a negative
	 * errno the EXEC ioctl returns (-EINVAL, -EFAULT, -ENOENT, -ENOMEM).
	 */
	int (*prepare)(struct vsvm_file *vf, const struct drm_vsvm_cmd *cmd,
		       void **payload);
	/** @release: free @prepare's payload (required with @prepare). */
	void (*release)(void *payload);
	/**
	 * @exec: run the command (required). Called again after each fault
	 * it reports, with the same &vsvm_cmd_run. Must call
	 * vsvm_cmd_yield() at bounded intervals of work and never hold the
	 * notifier lock when it returns. Return: 0 when done, %VSVM_MISS with
	 * &vsvm_cmd_run.miss filled, or a negative errno that fails the
	 * submission.
	 */
	int (*exec)(struct vsvm_cmd_run *run);
};

const struct vsvm_cmd_desc *vsvm_cmd_desc(u32 op);
int vsvm_cmd_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_yield(struct vsvm_cmd_run *run);
int vsvm_cmd_should_stop(const struct vsvm_cmd_run *run);

/* vsvm_cmd_ops.c: the fixed commands, rows of the table in vsvm_cmd.c */
int vsvm_cmd_nop(struct vsvm_cmd_run *run);
int vsvm_cmd_fill_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_fill(struct vsvm_cmd_run *run);
int vsvm_cmd_copy_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_copy(struct vsvm_cmd_run *run);
int vsvm_cmd_write_value_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_write_value(struct vsvm_cmd_run *run);
int vsvm_cmd_wait_value_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_wait_value(struct vsvm_cmd_run *run);
int vsvm_cmd_atomic_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_atomic(struct vsvm_cmd_run *run);
int vsvm_cmd_pointer_chase_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_pointer_chase(struct vsvm_cmd_run *run);
int vsvm_cmd_timestamp_check(const struct drm_vsvm_cmd *cmd);
int vsvm_cmd_timestamp(struct vsvm_cmd_run *run);

/**
 * struct vsvm_mmu_tlb - the translation a slice of accesses caches
 *
 * Valid from vsvm_mmu_lock() to vsvm_mmu_unlock() only (see DOC: vsvm GPU
 * MMU).
 */
struct vsvm_mmu_tlb {
	/** @block: the 2 MiB block cached (va >> 21), ULONG_MAX for none. */
	unsigned long block;
	/** @table: its level-0 table, or NULL when @leaf maps it. */
	u64 *table;
	/** @leaf: its level-1 entry (a 2 MiB leaf, or 0). */
	u64 leaf;
};

/* vsvm_mmu.c */
void vsvm_mmu_lock(struct vsvm_vm *vm, struct vsvm_mmu_tlb *tlb);
void vsvm_mmu_unlock(struct vsvm_vm *vm, struct vsvm_mmu_tlb *tlb);
struct page *vsvm_mmu_translate(struct vsvm_vm *vm, struct vsvm_mmu_tlb *tlb,
				unsigned long va, u32 access,
				unsigned int *offset, unsigned long *span);
int vsvm_mmu_map(struct vsvm_vm *vm, unsigned long va, u32 access,
		 void **kaddr, struct vsvm_miss *miss);
void vsvm_mmu_unmap(struct vsvm_vm *vm, void *kaddr);
int vsvm_mmu_rw(struct vsvm_vm *vm, unsigned long va, void *buf, size_t len,
		bool write, struct vsvm_miss *miss);

/* The ktime (ns) @ns from now, saturating instead of wrapping. */
static inline u64 vsvm_deadline_after(u64 ns)
{
	u64 deadline;

	if (check_add_overflow(ktime_get_ns(), ns, &deadline))
		return U64_MAX;
	return deadline;
}

/*
 * The engine's kernel mapping of @page at @off, valid for the span
 * vsvm_mmu_translate() gave: kmap_local_page() is page_address() without
 * highmem, where spans can cover more than one page.
 */
static inline void *vsvm_mmu_kmap(struct page *page, unsigned int off)
{
	return kmap_local_page(page) + off;
}

static inline void vsvm_mmu_kunmap(void *kaddr)
{
	kunmap_local(kaddr);
}

#endif /* __VSVM_CMD_H__ */
