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
#define DRM_VSVM_PROGRAM_CREATE	0x08
#define DRM_VSVM_PROGRAM_DESTROY	0x09

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
#define DRM_IOCTL_VSVM_PROGRAM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_PROGRAM_CREATE, struct drm_vsvm_program_create)
#define DRM_IOCTL_VSVM_PROGRAM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VSVM_PROGRAM_DESTROY, struct drm_vsvm_program_destroy)

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
/** DRM_VSVM_PARAM_ISA: DRM_VSVM_ISA_* the shader core runs (0: none). */
#define DRM_VSVM_PARAM_ISA		7
/** DRM_VSVM_PARAM_MAX_WORKGROUP: most work-items in one work-group. */
#define DRM_VSVM_PARAM_MAX_WORKGROUP	8
/** DRM_VSVM_PARAM_MAX_LOCAL_MEM: most local memory of a work-group, bytes. */
#define DRM_VSVM_PARAM_MAX_LOCAL_MEM	9
/** DRM_VSVM_PARAM_MAX_PRIVATE_MEM: most private memory of a work-item, bytes. */
#define DRM_VSVM_PARAM_MAX_PRIVATE_MEM	10
/** DRM_VSVM_PARAM_MAX_PROGRAM_SIZE: largest program image, bytes. */
#define DRM_VSVM_PARAM_MAX_PROGRAM_SIZE	11
/**
 * DRM_VSVM_PARAM_JOB_TIMEOUT_NS: the wall-clock budget of one submission,
 * in ns (the ``job_timeout_ms`` module parameter); &drm_vsvm_exec.timeout_ns
 * can only lower it.
 */
#define DRM_VSVM_PARAM_JOB_TIMEOUT_NS	12
/** DRM_VSVM_PARAM_MAX_INFLIGHT: most submissions queued on one channel. */
#define DRM_VSVM_PARAM_MAX_INFLIGHT	13

/** DRM_VSVM_FEATURE_SVM: system-memory SVM with replayable faults. */
#define DRM_VSVM_FEATURE_SVM		0x1ull
/** DRM_VSVM_FEATURE_VRAM: device memory, migration, ADVISE and PREFETCH. */
#define DRM_VSVM_FEATURE_VRAM		0x2ull
/** DRM_VSVM_FEATURE_ATOMICS: GPU atomics coherent with CPU atomics. */
#define DRM_VSVM_FEATURE_ATOMICS	0x4ull
/** DRM_VSVM_FEATURE_SHADER: programs and DRM_VSVM_OP_DISPATCH. */
#define DRM_VSVM_FEATURE_SHADER		0x8ull

/* Bits of DRM_VSVM_PARAM_ISA: RISC-V base ISA and extensions. */
/** DRM_VSVM_ISA_RV64I: the RV64I base (with fence; no compressed). */
#define DRM_VSVM_ISA_RV64I		0x1ull
/** DRM_VSVM_ISA_M: integer multiply and divide. */
#define DRM_VSVM_ISA_M			0x2ull
/** DRM_VSVM_ISA_A: atomics (LR/SC run as compare-and-exchange). */
#define DRM_VSVM_ISA_A			0x4ull
/** DRM_VSVM_ISA_F: single precision, with fcsr, frm and fflags. */
#define DRM_VSVM_ISA_F			0x8ull
/** DRM_VSVM_ISA_D: double precision. */
#define DRM_VSVM_ISA_D			0x10ull
/** DRM_VSVM_ISA_ZACAS: amocas.w and amocas.d. */
#define DRM_VSVM_ISA_ZACAS		0x20ull

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
/**
 * DRM_VSVM_OP_DISPATCH: run a program on the shader core over an NDRange
 * (needs DRM_VSVM_FEATURE_SHADER). @src is a user pointer to a &struct
 * drm_vsvm_dispatch, copied and checked by the EXEC ioctl (-EINVAL for a
 * bad one, -ENOENT for an unknown program handle); every other field is
 * zero. See DOC: vsvm shader core. Submission status: -EFAULT (a load,
 * store or atomic the fault handler could not service; FAULT_INFO has the
 * address and the pc), -ENOEXEC (an illegal instruction; FAULT_INFO has
 * the pc and the instruction), -EDEADLK (the work-items of a group did
 * not all reach the same barrier), -ETIMEDOUT (the dispatch's instruction
 * budget or the job timeout ran out).
 */
#define DRM_VSVM_OP_DISPATCH		8

/** DRM_VSVM_CMD_64BIT: 64-bit operand width (default 32). */
#define DRM_VSVM_CMD_64BIT		0x1u
/** DRM_VSVM_CMD_ATOMIC_OP_MASK: where the atomic operation sits in @flags. */
#define DRM_VSVM_CMD_ATOMIC_OP_MASK	0xf00u
/** DRM_VSVM_CMD_ATOMIC_OP: the atomic operation in bits 8..11. */
#define DRM_VSVM_CMD_ATOMIC_OP(x)	(((x) & 0xfu) << 8)
/** DRM_VSVM_CMD_WAIT_OP_MASK: where the wait comparison sits in @flags. */
#define DRM_VSVM_CMD_WAIT_OP_MASK	0xf000u
/** DRM_VSVM_CMD_WAIT_OP: the wait comparison in bits 12..15. */
#define DRM_VSVM_CMD_WAIT_OP(x)		(((x) & 0xfu) << 12)
/**
 * DRM_VSVM_MAX_COUNT: largest count of an ATOMIC (@size) or
 * POINTER_CHASE (@size); above it EXEC fails with -EINVAL.
 */
#define DRM_VSVM_MAX_COUNT		0x100000000ull

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
 * At most DRM_VSVM_PARAM_MAX_INFLIGHT submissions of a channel are queued
 * or running: EXEC blocks until one of them completes (each ends within
 * its timeout, see @timeout_ns).
 *
 * Errors: -EINVAL no VM yet, @channel out of range, @num_cmds zero or above
 * DRM_VSVM_PARAM_MAX_CMDS, an unknown op or flag, a misaligned address or
 * size, a count above %DRM_VSVM_MAX_COUNT, a non-zero unused field, @flags
 * or @pad not zero; -EFAULT @cmds (or a command's argument block)
 * unreadable; -ENOENT a command names a program that does not exist;
 * -EPERM the caller's address space is not the VM's; -ENODEV the VM is
 * being torn down; -EINTR (or a restart) a signal arrived while EXEC
 * waited for room; -ENOMEM.
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
	/**
	 * @timeout_ns: wall-clock budget of this submission, from when it
	 * starts to run; 0 or more than DRM_VSVM_PARAM_JOB_TIMEOUT_NS means
	 * the job timeout. Past it the submission fails with -ETIMEDOUT.
	 */
	__u64 timeout_ns;
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
	 * -ETIMEDOUT (the submission's budget, see &drm_vsvm_exec.timeout_ns,
	 * or a WAIT_VALUE timeout), -ECANCELED (VM torn down), -EPERM
	 * (operation refused by policy), and for DISPATCH -ENOEXEC and
	 * -EDEADLK (see DRM_VSVM_OP_DISPATCH).
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
 * The last GPU fault of this VM that could not be serviced, or the last
 * exception of a DISPATCH: for an illegal instruction @error is -ENOEXEC,
 * for a divergent barrier -EDEADLK, and @addr is @pc.
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
	/**
	 * @pc: out, for a fault or exception of a DISPATCH: GPU address of
	 * the instruction; 0 for the fixed commands.
	 */
	__u64 pc;
	/** @insn: out, the instruction word at @pc (DISPATCH only). */
	__u32 insn;
	/** @pad: zero. */
	__u32 pad;
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
	/**
	 * @job_timeouts: submissions that ended with -ETIMEDOUT (job budget,
	 * WAIT_VALUE timeout or instruction budget).
	 */
	__u64 job_timeouts;
	/** @pt_bytes: memory the VM's GPU page table takes now. */
	__u64 pt_bytes;
	/** @reserved: zero; room for more counters. */
	__u64 reserved[6];
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
 * is a device; -ENOSPC @size is larger than the VRAM, or a chunk found no
 * room after evicting twice its size of other memory (what moved before it
 * stays moved); -EPERM the caller's
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

/**
 * DOC: vsvm shader core
 *
 * With DRM_VSVM_FEATURE_SHADER the engine runs programs: RV64IMAFD code
 * (DRM_VSVM_PARAM_ISA tells exactly what) on software work-items, every
 * load, store and atomic of which goes through the VM's GPU page table and
 * the fault handler, like the fixed commands' accesses.
 *
 * A program image is uploaded once with &DRM_IOCTL_VSVM_PROGRAM_CREATE,
 * which copies and validates it (every instruction of the executable
 * segments, every direct branch and jump target) and returns a per-file
 * handle; &DRM_IOCTL_VSVM_PROGRAM_DESTROY drops the handle, and a program
 * lives on while queued dispatches use it. DRM_VSVM_OP_DISPATCH runs one
 * entry point over an NDRange described by &struct drm_vsvm_dispatch.
 *
 * Address map. The shader core owns a 2 GiB window at
 * %DRM_VSVM_SHADER_BASE (2^48, above every user address), so PC-relative
 * code (``-mcmodel=medany``) reaches all of it; everything outside the
 * window is a GPU virtual address of the VM, translated by the GPU page
 * table (READ, WRITE or, for AMOs and SC, ATOMIC access):
 *
 * - %DRM_VSVM_SHADER_IMAGE: the program's segments, at the addresses the
 *   image gives (text read and execute, rodata read only, data and bss
 *   read and write, shared by every dispatch of the program);
 * - %DRM_VSVM_SHADER_WORKITEM: the running work-item's &struct
 *   drm_vsvm_workitem, read only;
 * - %DRM_VSVM_SHADER_EXIT: jumping here ends the work-item (the return
 *   address the entry point is called with);
 * - %DRM_VSVM_SHADER_LOCAL: the work-group's local memory, zeroed when the
 *   group starts: the image's static local data
 *   (&drm_vsvm_program_header.local_size bytes, which the linker places
 *   here) then what the dispatch adds, &drm_vsvm_dispatch.local_mem bytes
 *   in all;
 * - %DRM_VSVM_SHADER_PRIVATE: private memory (stacks), each work-item's
 *   &drm_vsvm_dispatch.private_mem bytes somewhere in this window.
 *
 * An access to the window outside these areas, or against their
 * permissions, fails the dispatch with -EFAULT.
 *
 * Entry. Each work-item starts at &drm_vsvm_dispatch.entry with a0 =
 * &drm_vsvm_dispatch.kernarg, sp = the top of its private memory (16-byte
 * aligned), ra = %DRM_VSVM_SHADER_EXIT, every other register and fcsr
 * zero. It ends when it jumps to %DRM_VSVM_SHADER_EXIT or makes the
 * %DRM_VSVM_ECALL_EXIT call.
 *
 * Environment calls: ``ecall`` with the call number in a7.
 * %DRM_VSVM_ECALL_BARRIER is a work-group barrier and a full memory fence:
 * every work-item of the group must reach the same barrier (same pc) or
 * exit without reaching any, else the dispatch fails with -EDEADLK.
 * ``fence`` is a full fence; LR/SC run as compare-and-exchange.
 * ``ebreak``, ``wfi``, compressed and privileged instructions, CSRs other
 * than fflags, frm and fcsr, and unknown calls are illegal instructions
 * (-ENOEXEC).
 *
 * Work-items of a group run one at a time and switch only at barriers;
 * groups run in order. Nothing is guaranteed about forward progress
 * between work-items beyond that: a work-item spinning on a value another
 * work-item of the same dispatch writes may spin until the budget runs
 * out.
 */

/** DRM_VSVM_SHADER_BASE: start of the shader core's window. */
#define DRM_VSVM_SHADER_BASE		0x0001000000000000ull
/** DRM_VSVM_SHADER_WINDOW_SIZE: size of the shader core's window. */
#define DRM_VSVM_SHADER_WINDOW_SIZE	0x80000000ull
/** DRM_VSVM_SHADER_IMAGE: where program segments may be placed. */
#define DRM_VSVM_SHADER_IMAGE		(DRM_VSVM_SHADER_BASE + 0x0ull)
/** DRM_VSVM_SHADER_IMAGE_SIZE: size of the program area. */
#define DRM_VSVM_SHADER_IMAGE_SIZE	0x10000000ull
/** DRM_VSVM_SHADER_WORKITEM: the work-item descriptor. */
#define DRM_VSVM_SHADER_WORKITEM	(DRM_VSVM_SHADER_BASE + 0x10000000ull)
/** DRM_VSVM_SHADER_EXIT: return address that ends a work-item. */
#define DRM_VSVM_SHADER_EXIT		(DRM_VSVM_SHADER_BASE + 0x10001000ull)
/** DRM_VSVM_SHADER_LOCAL: the work-group's local memory. */
#define DRM_VSVM_SHADER_LOCAL		(DRM_VSVM_SHADER_BASE + 0x20000000ull)
/** DRM_VSVM_SHADER_PRIVATE: the work-items' private memory. */
#define DRM_VSVM_SHADER_PRIVATE		(DRM_VSVM_SHADER_BASE + 0x40000000ull)

/** DRM_VSVM_ECALL_EXIT: a7 for ending the work-item. */
#define DRM_VSVM_ECALL_EXIT		0
/** DRM_VSVM_ECALL_BARRIER: a7 for a work-group barrier (a0: fence flags, ignored). */
#define DRM_VSVM_ECALL_BARRIER		1

/**
 * struct drm_vsvm_workitem - the work-item descriptor
 *
 * What the running work-item reads at %DRM_VSVM_SHADER_WORKITEM (the
 * OpenCL work-item functions). Dimensions from &work_dim up to 2 have id
 * 0, size 1 and offset 0.
 */
struct drm_vsvm_workitem {
	/** @global_id: get_global_id(), offset included. */
	__u64 global_id[3];
	/** @local_id: get_local_id(). */
	__u64 local_id[3];
	/** @group_id: get_group_id(). */
	__u64 group_id[3];
	/** @global_size: get_global_size(). */
	__u64 global_size[3];
	/**
	 * @local_size: get_local_size(): this group's size, smaller than
	 * @enqueued_local_size in a last, partial group.
	 */
	__u64 local_size[3];
	/** @enqueued_local_size: get_enqueued_local_size(). */
	__u64 enqueued_local_size[3];
	/** @num_groups: get_num_groups(). */
	__u64 num_groups[3];
	/** @global_offset: get_global_offset(). */
	__u64 global_offset[3];
	/** @work_dim: get_work_dim(). */
	__u64 work_dim;
	/** @global_linear_id: get_global_linear_id(). */
	__u64 global_linear_id;
	/** @local_linear_id: get_local_linear_id(). */
	__u64 local_linear_id;
	/** @reserved: zero. */
	__u64 reserved[5];
};

/**
 * struct drm_vsvm_dispatch - the arguments of DRM_VSVM_OP_DISPATCH
 *
 * Pointed to by &drm_vsvm_cmd.src. The NDRange is @work_dim dimensions of
 * @global_size work-items starting at @global_offset, cut into groups of
 * @local_size (the last group of a dimension may be smaller).
 */
struct drm_vsvm_dispatch {
	/** @program: handle from DRM_IOCTL_VSVM_PROGRAM_CREATE. */
	__u32 program;
	/** @work_dim: 1 to 3. */
	__u32 work_dim;
	/** @entry: address of the entry point, in an executable segment. */
	__u64 entry;
	/** @kernarg: passed in a0, usually the GPU address of the arguments. */
	__u64 kernarg;
	/** @global_offset: of each dimension; 0 beyond @work_dim. */
	__u64 global_offset[3];
	/** @global_size: of each dimension, at least 1; 1 beyond @work_dim. */
	__u64 global_size[3];
	/**
	 * @local_size: work-group size of each dimension, at least 1 (1
	 * beyond @work_dim); their product at most DRM_VSVM_PARAM_MAX_WORKGROUP.
	 */
	__u32 local_size[3];
	/** @flags: must be zero. */
	__u32 flags;
	/**
	 * @local_mem: bytes of local memory per group, at least the image's
	 * &drm_vsvm_program_header.local_size, at most
	 * DRM_VSVM_PARAM_MAX_LOCAL_MEM.
	 */
	__u32 local_mem;
	/**
	 * @private_mem: bytes of private memory (stack) per work-item, a
	 * multiple of 16, at most DRM_VSVM_PARAM_MAX_PRIVATE_MEM; 0 means
	 * %DRM_VSVM_DEFAULT_PRIVATE_MEM.
	 */
	__u32 private_mem;
	/**
	 * @insn_budget: most instructions the whole dispatch may retire
	 * before it fails with -ETIMEDOUT; 0 means no limit but the job
	 * timeout.
	 */
	__u64 insn_budget;
	/** @reserved: must be zero. */
	__u64 reserved[4];
};

/** DRM_VSVM_DEFAULT_PRIVATE_MEM: private memory of a work-item by default. */
#define DRM_VSVM_DEFAULT_PRIVATE_MEM	16384

/* Program images. */
/** DRM_VSVM_PROGRAM_MAGIC: &drm_vsvm_program_header.magic, "VSVP". */
#define DRM_VSVM_PROGRAM_MAGIC		0x50565356u
/** DRM_VSVM_PROGRAM_VERSION: &drm_vsvm_program_header.version. */
#define DRM_VSVM_PROGRAM_VERSION	1
/** DRM_VSVM_PROGRAM_MAX_SEGMENTS: most segments in an image. */
#define DRM_VSVM_PROGRAM_MAX_SEGMENTS	8

/** DRM_VSVM_SEGMENT_R: the segment is readable. */
#define DRM_VSVM_SEGMENT_R		0x1u
/** DRM_VSVM_SEGMENT_W: writable (never together with X). */
#define DRM_VSVM_SEGMENT_W		0x2u
/** DRM_VSVM_SEGMENT_X: executable: every word must be a valid instruction. */
#define DRM_VSVM_SEGMENT_X		0x4u

/**
 * struct drm_vsvm_program_segment - one segment of a program image
 *
 * @mem_size bytes at @vaddr: the @file_size bytes at @offset of the image,
 * then zeros. Segments are page aligned, inside [%DRM_VSVM_SHADER_IMAGE,
 * + %DRM_VSVM_SHADER_IMAGE_SIZE), and do not overlap.
 */
struct drm_vsvm_program_segment {
	/** @vaddr: GPU address, page aligned. */
	__u64 vaddr;
	/** @offset: offset of the contents in the image. */
	__u64 offset;
	/** @file_size: bytes of contents (a multiple of 4 for X). */
	__u64 file_size;
	/** @mem_size: bytes in memory, at least @file_size, not zero. */
	__u64 mem_size;
	/** @flags: DRM_VSVM_SEGMENT_*, with R. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_vsvm_program_header - start of a program image
 *
 * An image is this header, @num_segments &struct drm_vsvm_program_segment
 * right after it, then the segments' contents (a linker's output cut into
 * segments, see the compiler in compiler/).
 */
struct drm_vsvm_program_header {
	/** @magic: %DRM_VSVM_PROGRAM_MAGIC. */
	__u32 magic;
	/** @version: %DRM_VSVM_PROGRAM_VERSION. */
	__u32 version;
	/** @num_segments: 1 to %DRM_VSVM_PROGRAM_MAX_SEGMENTS, one at least X. */
	__u32 num_segments;
	/** @flags: must be zero. */
	__u32 flags;
	/** @local_size: bytes of static local memory the program uses. */
	__u64 local_size;
	/** @reserved: must be zero. */
	__u64 reserved[2];
};

/**
 * struct drm_vsvm_program_create - DRM_IOCTL_VSVM_PROGRAM_CREATE
 *
 * Copies the program image at @image, validates it and returns a handle
 * for DRM_VSVM_OP_DISPATCH. A VM is not needed.
 *
 * Errors: -EINVAL a bad image (see @error_offset), @size zero or above
 * DRM_VSVM_PARAM_MAX_PROGRAM_SIZE, @flags or @pad not zero; -EFAULT
 * @image unreadable; -ENODEV no shader core; -ENOSPC too many programs
 * on this file; -ENOMEM.
 */
struct drm_vsvm_program_create {
	/** @image: user pointer to the image. */
	__u64 image;
	/** @size: bytes of the image. */
	__u64 size;
	/** @flags: must be zero. */
	__u32 flags;
	/** @handle: out, the program (not zero). */
	__u32 handle;
	/**
	 * @error_offset: out, with -EINVAL for a bad image: offset in the
	 * image of the first field or instruction found wrong.
	 */
	__u64 error_offset;
};

/**
 * struct drm_vsvm_program_destroy - DRM_IOCTL_VSVM_PROGRAM_DESTROY
 *
 * Drops the handle; dispatches already submitted keep the program.
 *
 * Errors: -ENOENT no such handle; -EINVAL @pad not zero.
 */
struct drm_vsvm_program_destroy {
	/** @handle: the program. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_VSVM_DRM_H_ */
