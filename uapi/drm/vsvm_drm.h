/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef _UAPI_VSVM_DRM_H_
#define _UAPI_VSVM_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: vsvm uAPI
 *
 * vsvm is a virtual GPU that shares the virtual address space of the
 * process that opened it (shared virtual memory, SVM): a GPU command uses
 * plain CPU pointers (malloc, mmap, stack), and the GPU faults the memory
 * in on first use, through a replayable fault buffer, like a real GPU.
 *
 * A client opens the render node, asks what the device offers with
 * &DRM_IOCTL_VSVM_GET_PARAM, binds its address space with
 * &DRM_IOCTL_VSVM_VM_INIT, submits arrays of &struct drm_vsvm_cmd to a
 * channel with &DRM_IOCTL_VSVM_EXEC and waits for them with
 * &DRM_IOCTL_VSVM_WAIT. A GPU access that cannot be served (no mapping,
 * PROT_NONE, write to read-only memory) fails that submission with
 * -EFAULT; &DRM_IOCTL_VSVM_FAULT_INFO tells where. The channel and the VM
 * stay usable.
 *
 * One open file is one GPU VM, bound to the address space of the process
 * that called VM_INIT. Only that process may submit to it: a child that
 * inherits the file descriptor gets -EPERM and must open its own.
 *
 * Conventions: every structure has a fixed size and 64-bit aligned
 * fields; padding and reserved fields must be zero (-EINVAL otherwise);
 * unknown flags give -EINVAL; a bad user pointer gives -EFAULT.
 */

#define DRM_VSVM_GET_PARAM	0x00
#define DRM_VSVM_VM_INIT	0x01
#define DRM_VSVM_EXEC		0x02
#define DRM_VSVM_WAIT		0x03
#define DRM_VSVM_FAULT_INFO	0x04
#define DRM_VSVM_STATS		0x05
#define DRM_VSVM_ADVISE		0x06
#define DRM_VSVM_PREFETCH	0x07

#define DRM_IOCTL_VSVM_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_GET_PARAM, struct drm_vsvm_get_param)
#define DRM_IOCTL_VSVM_VM_INIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VSVM_VM_INIT, struct drm_vsvm_vm_init)
#define DRM_IOCTL_VSVM_EXEC \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_EXEC, struct drm_vsvm_exec)
#define DRM_IOCTL_VSVM_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_WAIT, struct drm_vsvm_wait)
#define DRM_IOCTL_VSVM_FAULT_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_FAULT_INFO, struct drm_vsvm_fault_info)
#define DRM_IOCTL_VSVM_STATS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_STATS, struct drm_vsvm_stats)
#define DRM_IOCTL_VSVM_ADVISE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_ADVISE, struct drm_vsvm_advise)
#define DRM_IOCTL_VSVM_PREFETCH \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_PREFETCH, struct drm_vsvm_prefetch)

/* Parameters of DRM_IOCTL_VSVM_GET_PARAM. */
/** DRM_VSVM_PARAM_FEATURES: bitmask of DRM_VSVM_FEATURE_*. */
#define DRM_VSVM_PARAM_FEATURES		0
/** DRM_VSVM_PARAM_VRAM_SIZE: bytes of device memory (0: none). */
#define DRM_VSVM_PARAM_VRAM_SIZE	1
/** DRM_VSVM_PARAM_NUM_CHANNELS: channels per VM (engines). */
#define DRM_VSVM_PARAM_NUM_CHANNELS	2
/** DRM_VSVM_PARAM_VA_BITS: width of a GPU virtual address. */
#define DRM_VSVM_PARAM_VA_BITS		3
/** DRM_VSVM_PARAM_PAGE_SIZES: bitmask of GPU page sizes (4K, 2M). */
#define DRM_VSVM_PARAM_PAGE_SIZES	4
/** DRM_VSVM_PARAM_MAX_CMDS: most commands in one EXEC. */
#define DRM_VSVM_PARAM_MAX_CMDS		5
/** DRM_VSVM_PARAM_DEVICE_INDEX: index of this vsvm device (0..3). */
#define DRM_VSVM_PARAM_DEVICE_INDEX	6

/** DRM_VSVM_FEATURE_SVM: system-memory SVM with replayable faults. */
#define DRM_VSVM_FEATURE_SVM		0x1ull
/** DRM_VSVM_FEATURE_VRAM: device memory, migration, ADVISE and PREFETCH. */
#define DRM_VSVM_FEATURE_VRAM		0x2ull
/** DRM_VSVM_FEATURE_ATOMICS: GPU atomics coherent with CPU atomics. */
#define DRM_VSVM_FEATURE_ATOMICS	0x4ull

/**
 * struct drm_vsvm_get_param - DRM_IOCTL_VSVM_GET_PARAM
 *
 * Errors: -EINVAL unknown @param or @pad not zero.
 */
struct drm_vsvm_get_param {
	/** @param: one of DRM_VSVM_PARAM_*. */
	__u32 param;
	/** @pad: must be zero. */
	__u32 pad;
	/** @value: out, the value. */
	__u64 value;
};

/**
 * struct drm_vsvm_vm_init - DRM_IOCTL_VSVM_VM_INIT
 *
 * Enables SVM for the calling process's address space over the GPU VA
 * window [@start, @start + @size). Once per open file.
 *
 * Errors: -EINVAL @start or @size not page aligned, @size zero, the window
 * wraps or exceeds DRM_VSVM_PARAM_VA_BITS, @flags or @pad not zero;
 * -EBUSY the file already has a VM; -ENOMEM.
 */
struct drm_vsvm_vm_init {
	/** @start: first GPU (and CPU) virtual address of the window. */
	__u64 start;
	/** @size: size of the window in bytes. */
	__u64 size;
	/** @flags: must be zero. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
};

/* Command opcodes, &drm_vsvm_cmd.op. */
/** DRM_VSVM_OP_NOP: does nothing. */
#define DRM_VSVM_OP_NOP			0
/**
 * DRM_VSVM_OP_FILL: store the 32-bit @value over [@dst, @dst + @size);
 * @dst and @size 4-byte aligned.
 */
#define DRM_VSVM_OP_FILL		1
/** DRM_VSVM_OP_COPY: copy @size bytes from @src to @dst (any alignment). */
#define DRM_VSVM_OP_COPY		2
/**
 * DRM_VSVM_OP_WRITE_VALUE: store @value (32 or 64 bit, see
 * DRM_VSVM_CMD_64BIT) at @dst, aligned to its width: a semaphore release.
 */
#define DRM_VSVM_OP_WRITE_VALUE		3
/**
 * DRM_VSVM_OP_WAIT_VALUE: poll the 32/64-bit value at @src until
 * (*@src & @value2) compares to @value as DRM_VSVM_CMD_WAIT_* says (with
 * @value2 zero meaning all bits): a semaphore acquire. Fails with
 * -ETIMEDOUT after @timeout_ns (0: one second).
 */
#define DRM_VSVM_OP_WAIT_VALUE		4
/**
 * DRM_VSVM_OP_ATOMIC: apply the DRM_VSVM_ATOMIC_* operation in
 * DRM_VSVM_CMD_ATOMIC_OP(@flags) to the 32/64-bit value at @dst, @size
 * times (0 means once), with operand @value (and @value2 the value to
 * store for CMPXCHG, where @value is the expected one). When @src is not
 * zero, the value found before the last operation is stored there, with
 * the same width. With DRM_VSVM_FEATURE_ATOMICS the operations are atomic
 * with respect to CPU atomics on the same memory: system pages are made
 * device-exclusive while the GPU operates (a CPU access takes them back),
 * VRAM pages are operated on in place; the ATOMIC attribute of ADVISE
 * chooses per range. Errors (submission status): -EFAULT for read-only,
 * PROT_NONE or unmapped memory and for memory that cannot be made
 * device-exclusive (shared mappings; FAULT_INFO error -EOPNOTSUPP);
 * -EPERM where the ATOMIC attribute is DRM_VSVM_ATOMIC_POLICY_REFUSE.
 */
#define DRM_VSVM_OP_ATOMIC		5
/**
 * DRM_VSVM_OP_POINTER_CHASE: walk a list of &struct drm_vsvm_chase_node
 * from @src, following @next, for at most @size nodes (0: until @next is
 * zero, at most 2^20), summing @value; store the 64-bit sum at @dst and the
 * number of nodes visited at @dst + 8.
 */
#define DRM_VSVM_OP_POINTER_CHASE	6
/** DRM_VSVM_OP_TIMESTAMP: store the GPU clock in ns (64 bit) at @dst. */
#define DRM_VSVM_OP_TIMESTAMP		7

/** DRM_VSVM_CMD_64BIT: 64-bit operand width (default 32). */
#define DRM_VSVM_CMD_64BIT		0x1u
/** DRM_VSVM_CMD_ATOMIC_OP: the atomic operation in bits 8..11. */
#define DRM_VSVM_CMD_ATOMIC_OP(x)	(((x) & 0xfu) << 8)
/** DRM_VSVM_CMD_WAIT_OP: the wait comparison in bits 12..15. */
#define DRM_VSVM_CMD_WAIT_OP(x)		(((x) & 0xfu) << 12)

/* Atomic operations. MIN and MAX compare as unsigned. */
#define DRM_VSVM_ATOMIC_ADD		0
#define DRM_VSVM_ATOMIC_INC		1
#define DRM_VSVM_ATOMIC_XCHG		2
#define DRM_VSVM_ATOMIC_CMPXCHG		3
#define DRM_VSVM_ATOMIC_MIN		4
#define DRM_VSVM_ATOMIC_MAX		5
#define DRM_VSVM_ATOMIC_AND		6
#define DRM_VSVM_ATOMIC_OR		7

/* Wait comparisons (unsigned). */
#define DRM_VSVM_WAIT_EQ		0
#define DRM_VSVM_WAIT_NEQ		1
#define DRM_VSVM_WAIT_GTE		2
#define DRM_VSVM_WAIT_LT		3

/**
 * struct drm_vsvm_cmd - one GPU command
 *
 * All addresses are CPU virtual addresses of the process, inside the VM
 * window. The meaning of each field depends on @op (see DRM_VSVM_OP_*);
 * fields an op does not use must be zero.
 */
struct drm_vsvm_cmd {
	/** @op: DRM_VSVM_OP_*. */
	__u32 op;
	/** @flags: DRM_VSVM_CMD_* flags of the op. */
	__u32 flags;
	/** @dst: destination address. */
	__u64 dst;
	/** @src: source address. */
	__u64 src;
	/** @size: bytes, or a count. */
	__u64 size;
	/** @value: first operand. */
	__u64 value;
	/** @value2: second operand. */
	__u64 value2;
	/** @timeout_ns: for WAIT_VALUE. */
	__u64 timeout_ns;
	/** @pad: must be zero. */
	__u64 pad;
};

/**
 * struct drm_vsvm_chase_node - a node of a DRM_VSVM_OP_POINTER_CHASE list
 */
struct drm_vsvm_chase_node {
	/** @next: address of the next node, 0 ends the list. */
	__u64 next;
	/** @value: added to the sum. */
	__u64 value;
};

/**
 * struct drm_vsvm_exec - DRM_IOCTL_VSVM_EXEC
 *
 * Queues @num_cmds commands on @channel. The commands are copied before
 * the ioctl returns; they run in order, and submissions to one channel run
 * in order. A submission fails as a whole at its first failing command;
 * the channel goes on with the next one.
 *
 * Errors: -EINVAL no VM yet, @channel out of range, @num_cmds zero or above
 * DRM_VSVM_PARAM_MAX_CMDS, an unknown op or flag, a misaligned address or
 * size, a non-zero unused field, @flags or @pad not zero; -EFAULT @cmds
 * unreadable; -EPERM the caller's address space is not the VM's;
 * -ENODEV the VM is being torn down; -ENOMEM.
 */
struct drm_vsvm_exec {
	/** @cmds: user pointer to an array of &struct drm_vsvm_cmd. */
	__u64 cmds;
	/** @num_cmds: number of commands. */
	__u32 num_cmds;
	/** @channel: channel index, below DRM_VSVM_PARAM_NUM_CHANNELS. */
	__u32 channel;
	/** @flags: must be zero. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
	/** @seqno: out, sequence number of the submission on @channel. */
	__u64 seqno;
};

/**
 * struct drm_vsvm_wait - DRM_IOCTL_VSVM_WAIT
 *
 * Waits until submission @seqno of @channel has completed, and returns its
 * result in @status. The result of the last 4096 submissions of a channel
 * is kept.
 *
 * Errors: -EINVAL no VM, @channel out of range, @seqno not yet submitted,
 * @flags or @pad not zero; -ETIME not completed within @timeout_ns;
 * -ENODATA completed too long ago for its result to be known;
 * -ERESTARTSYS interrupted.
 */
struct drm_vsvm_wait {
	/** @seqno: the submission, from &drm_vsvm_exec.seqno. */
	__u64 seqno;
	/** @timeout_ns: relative timeout; negative waits forever. */
	__s64 timeout_ns;
	/** @channel: channel index. */
	__u32 channel;
	/** @flags: must be zero. */
	__u32 flags;
	/**
	 * @status: out, 0 when the submission succeeded, else a negative
	 * errno: -EFAULT (unserviceable GPU fault, see FAULT_INFO), -EINVAL,
	 * -ETIMEDOUT (WAIT_VALUE), -ECANCELED (VM torn down), -EPERM
	 * (operation refused by policy).
	 */
	__s32 status;
	/** @pad: must be zero. */
	__u32 pad;
};

/* Access types in &drm_vsvm_fault_info.access. */
#define DRM_VSVM_ACCESS_READ		0
#define DRM_VSVM_ACCESS_WRITE		1
#define DRM_VSVM_ACCESS_ATOMIC		2

/**
 * struct drm_vsvm_fault_info - DRM_IOCTL_VSVM_FAULT_INFO
 *
 * The last GPU fault of this VM that could not be serviced.
 *
 * Errors: -EINVAL no VM, @flags or @pad not zero; -ENOENT no such fault
 * yet.
 */
struct drm_vsvm_fault_info {
	/** @addr: out, faulting address. */
	__u64 addr;
	/** @seqno: out, submission that faulted. */
	__u64 seqno;
	/** @count: out, unserviceable faults so far in this VM. */
	__u64 count;
	/** @channel: out, channel of that submission. */
	__u32 channel;
	/** @access: out, DRM_VSVM_ACCESS_*. */
	__u32 access;
	/** @error: out, why it could not be serviced (negative errno). */
	__s32 error;
	/** @flags: must be zero. */
	__u32 flags;
};

/**
 * struct drm_vsvm_stats - DRM_IOCTL_VSVM_STATS
 *
 * Counters of this file's VM (zero before VM_INIT) and of the device.
 *
 * Errors: -EINVAL @flags or @pad not zero.
 */
struct drm_vsvm_stats {
	/** @flags: must be zero. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
	/** @gpu_faults: fault-buffer entries the GPU posted. */
	__u64 gpu_faults;
	/** @gpu_faults_unrecoverable: of those, faults that failed a submission. */
	__u64 gpu_faults_unrecoverable;
	/** @svm_faults: drm_svm get_pages calls (after de-duplication). */
	__u64 svm_faults;
	/** @svm_retries: hmm_range_fault / notifier-sequence retries. */
	__u64 svm_retries;
	/** @invalidations: CPU page-table changes that zapped GPU mappings. */
	__u64 invalidations;
	/** @ranges_collected: unmapped ranges garbage-collected. */
	__u64 ranges_collected;
	/** @mapped_pages: 4K pages currently mapped in the GPU page table. */
	__u64 mapped_pages;
	/** @mapped_4k: 4K GPU PTEs written so far. */
	__u64 mapped_4k;
	/** @mapped_2m: 2M GPU PTEs written so far. */
	__u64 mapped_2m;
	/** @commands: commands executed. */
	__u64 commands;
	/** @submissions: submissions completed. */
	__u64 submissions;
	/** @vram_used: bytes of the device's VRAM in use (all clients). */
	__u64 vram_used;
	/** @vram_evictions: VRAM allocations evicted to system memory. */
	__u64 vram_evictions;
	/** @migrations_to_vram: pages migrated to this device's VRAM. */
	__u64 migrations_to_vram;
	/** @migrations_to_ram: pages migrated back to system memory. */
	__u64 migrations_to_ram;
	/** @atomic_grants: pages made device-exclusive for GPU atomics. */
	__u64 atomic_grants;
	/**
	 * @atomic_revokes: device-exclusive pages the GPU lost: taken back
	 * by a CPU access, or invalidated (munmap, mprotect, fork, ...).
	 */
	__u64 atomic_revokes;
	/** @reserved: zero; room for more counters. */
	__u64 reserved[8];
};

/* Memory locations, &drm_vsvm_advise.value and &drm_vsvm_prefetch.loc. */
/** DRM_VSVM_LOC_NONE: no preferred location (the default). */
#define DRM_VSVM_LOC_NONE		0
/** DRM_VSVM_LOC_SYSTEM: system memory. */
#define DRM_VSVM_LOC_SYSTEM		1
/** DRM_VSVM_LOC_DEVICE: the VRAM of the device the ioctl is made on. */
#define DRM_VSVM_LOC_DEVICE		2
/** DRM_VSVM_LOC_DEVICE_N: the VRAM of vsvm device @n (DEVICE_INDEX). */
#define DRM_VSVM_LOC_DEVICE_N(n)	(0x100 + (n))

/* Attributes of DRM_IOCTL_VSVM_ADVISE, &drm_vsvm_advise.attr. */
/**
 * DRM_VSVM_ATTR_PREFERRED_LOC: where the memory should live, a
 * DRM_VSVM_LOC_* (default NONE: where it is). With a device location and
 * the MIGRATE attribute ON_FAULT, a GPU fault of that device migrates the
 * chunk around the fault to its VRAM.
 */
#define DRM_VSVM_ATTR_PREFERRED_LOC	0
/** DRM_VSVM_ATTR_MIGRATE: DRM_VSVM_MIGRATE_* (default ON_FAULT). */
#define DRM_VSVM_ATTR_MIGRATE		1
/** DRM_VSVM_ATTR_ACCESS: what the GPU may do, DRM_VSVM_GPU_ACCESS_*. */
#define DRM_VSVM_ATTR_ACCESS		2
/**
 * DRM_VSVM_ATTR_GRANULARITY: log2 of the migration chunk size, 12 to 30;
 * 0 (default) means the GPU fault range (up to 2 MiB).
 */
#define DRM_VSVM_ATTR_GRANULARITY	3
/** DRM_VSVM_ATTR_ATOMIC: GPU atomics policy, DRM_VSVM_ATOMIC_POLICY_*. */
#define DRM_VSVM_ATTR_ATOMIC		4

/** DRM_VSVM_MIGRATE_ON_FAULT: GPU faults migrate to the preferred location. */
#define DRM_VSVM_MIGRATE_ON_FAULT	0
/** DRM_VSVM_MIGRATE_NEVER: GPU faults map memory where it is. */
#define DRM_VSVM_MIGRATE_NEVER		1

/** DRM_VSVM_GPU_ACCESS_RW: what the CPU mapping allows (default). */
#define DRM_VSVM_GPU_ACCESS_RW		0
/** DRM_VSVM_GPU_ACCESS_RO: GPU reads only; a GPU write faults (-EFAULT). */
#define DRM_VSVM_GPU_ACCESS_RO		1
/** DRM_VSVM_GPU_ACCESS_NONE: no GPU access; every GPU access faults. */
#define DRM_VSVM_GPU_ACCESS_NONE	2

/** DRM_VSVM_ATOMIC_POLICY_EXCLUSIVE: device-exclusive, in place (default). */
#define DRM_VSVM_ATOMIC_POLICY_EXCLUSIVE	0
/** DRM_VSVM_ATOMIC_POLICY_MIGRATE: migrate to VRAM for GPU atomics. */
#define DRM_VSVM_ATOMIC_POLICY_MIGRATE		1
/** DRM_VSVM_ATOMIC_POLICY_REFUSE: GPU atomics fail the submission (-EPERM). */
#define DRM_VSVM_ATOMIC_POLICY_REFUSE		2

/** DRM_VSVM_ADVISE_GET: read the attribute at @start into @value instead. */
#define DRM_VSVM_ADVISE_GET		0x1u

/**
 * struct drm_vsvm_advise - DRM_IOCTL_VSVM_ADVISE
 *
 * Sets attribute @attr to @value over [@start, @start + @size) of the
 * VM's address space, or with DRM_VSVM_ADVISE_GET reads it at @start
 * (@size is then ignored but must be page aligned). Attributes belong to
 * the virtual addresses, not to the memory: they survive munmap of part
 * of the interval and stay until set again. Setting one moves nothing;
 * the next GPU faults (or a PREFETCH) follow it.
 *
 * Errors: -EINVAL no VM, @start or @size not page aligned, @size zero (to
 * set), the interval wraps or leaves the VM window, unknown @attr, @value
 * or flag, a DRM_VSVM_LOC_DEVICE_N of a device that does not exist, @pad
 * not zero; -EFAULT part of the interval is not mapped (to set); -EPERM
 * the caller's address space is not the VM's; -ENOMEM.
 */
struct drm_vsvm_advise {
	/** @start: first address. */
	__u64 start;
	/** @size: bytes. */
	__u64 size;
	/** @attr: DRM_VSVM_ATTR_*. */
	__u32 attr;
	/** @flags: DRM_VSVM_ADVISE_GET or 0. */
	__u32 flags;
	/** @value: the value to set, or out with DRM_VSVM_ADVISE_GET. */
	__u64 value;
};

/**
 * struct drm_vsvm_prefetch - DRM_IOCTL_VSVM_PREFETCH
 *
 * Migrates [@start, @start + @size) to @loc now: DRM_VSVM_LOC_DEVICE (or
 * the DRM_VSVM_LOC_DEVICE_N of this very device) moves it into this
 * device's VRAM, evicting other memory if needed; DRM_VSVM_LOC_SYSTEM
 * moves this device's pages of the interval back to system memory.
 * Pages that cannot move (pinned, busy, file backed) stay where they are
 * and are counted out of @migrated; every page is always either fully
 * moved or untouched. Memory in another device's VRAM goes through system
 * memory.
 *
 * Errors: -EINVAL no VM, @start or @size not page aligned, @size zero,
 * the interval wraps or leaves the VM window, @loc unknown, NONE or
 * another device, @flags or @pad not zero; -EFAULT part of the interval
 * is not mapped; -ENODEV the device has no VRAM (VRAM_SIZE 0) and @loc
 * is a device; -ENOSPC @size is larger than the VRAM; -EPERM the caller's
 * address space is not the VM's; -ENOMEM; -EINTR interrupted by a signal
 * (pages moved so far stay moved, see @migrated).
 */
struct drm_vsvm_prefetch {
	/** @start: first address. */
	__u64 start;
	/** @size: bytes. */
	__u64 size;
	/** @loc: DRM_VSVM_LOC_SYSTEM, _DEVICE or this device's _DEVICE_N. */
	__u32 loc;
	/** @flags: must be zero. */
	__u32 flags;
	/** @migrated: out, pages moved. */
	__u64 migrated;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_VSVM_DRM_H_ */
