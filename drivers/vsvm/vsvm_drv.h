/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __VSVM_DRV_H__
#define __VSVM_DRV_H__

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/drm_buddy.h>
#include <drm/drm_device.h>
#include <drm/drm_svm.h>
#include <drm/drm_svm_attr.h>
#include <drm/drm_svm_devmem.h>

#include <drm/vsvm_drm.h>

#include "vsvm_shader.h"

struct dentry;
struct drm_file;
struct drm_printer;
struct platform_device;
struct seq_file;

#define VSVM_MAX_DEVICES	4
#define VSVM_NUM_CHANNELS	4
#define VSVM_MAX_CMDS		4096
#define VSVM_VA_BITS		47
#define VSVM_STATUS_RING	4096
#define VSVM_MAX_INFLIGHT	64
#define VSVM_FAULT_RING		64
/* Streams of WRITE faults a VM tracks to ask ahead (vsvm_fault.c). */
#define VSVM_WRITE_STREAMS	(2 * VSVM_NUM_CHANNELS)

/**
 * struct vsvm_vram - a device's VRAM (vsvm_vram.c)
 */
struct vsvm_vram {
	/** @dm: the device-private page region. */
	struct drm_svm_devmem dm;
	/** @size: bytes of VRAM, 0 for none. */
	u64 size;
	/** @lock: protects @buddy, @lru, @clearing, @clearing_bytes and @used. */
	struct mutex lock;
	/** @buddy: the allocator of VRAM offsets. */
	struct gpu_buddy buddy;
	/** @lru: &vsvm_vram_bo holding data, least recently migrated first. */
	struct list_head lru;
	/** @clearing: released &vsvm_vram_bo waiting for @clear_work. */
	struct list_head clearing;
	/** @clear_work: clears released allocations and frees them. */
	struct work_struct clear_work;
	/** @used: bytes allocated. */
	u64 used;
	/** @clearing_bytes: bytes released and not yet back in @buddy. */
	u64 clearing_bytes;
	/** @clear_ns: time @clear_work spent clearing, for benchmarks. */
	atomic64_t clear_ns;
	/** @backing: host page behind each VRAM page, NULL until used. */
	struct page **backing;
	/** @evictions: allocations evicted. */
	atomic64_t evictions;
	/** @migrations_to_vram: pages migrated into VRAM. */
	atomic64_t migrations_to_vram;
	/**
	 * @pressure: allocations waiting for evictions: released memory is
	 * then given back without being cleared first.
	 */
	atomic_t pressure;
};

/**
 * struct vsvm_vram_bo - one VRAM allocation
 */
struct vsvm_vram_bo {
	/** @base: the drm_svm allocation. */
	struct drm_svm_devmem_alloc base;
	/** @vram: the VRAM it belongs to. */
	struct vsvm_vram *vram;
	/** @blocks: its buddy blocks. */
	struct list_head blocks;
	/**
	 * @lru_link: entry in &vsvm_vram.lru, then in &vsvm_vram.clearing
	 * once released, under &vsvm_vram.lock.
	 */
	struct list_head lru_link;
	/** @size: bytes. */
	u64 size;
	/** @cleared: every page of it was cleared when it was last freed. */
	bool cleared;
};

/**
 * struct vsvm_device - one virtual GPU
 */
struct vsvm_device {
	/** @drm: the DRM device, embedded. */
	struct drm_device drm;
	/** @pdev: the platform device it is bound to. */
	struct platform_device *pdev;
	/** @index: device number, 0..VSVM_MAX_DEVICES - 1. */
	unsigned int index;
	/**
	 * @engine_wq: the channels' work, unbound so that channels run in
	 * parallel on every CPU; channel work sleeps (fault stalls, waits).
	 */
	struct workqueue_struct *engine_wq;
	/**
	 * @fault_wq: the fault handlers' work, apart from @engine_wq so that
	 * channel work waiting for a fault can never hold up its handler.
	 */
	struct workqueue_struct *fault_wq;
	/** @vms_lock: protects @vms. */
	struct mutex vms_lock;
	/** @vms: every VM of the device, for debugfs. */
	struct list_head vms;
	/** @next_vm_id: id of the next VM, under @vms_lock. */
	unsigned int next_vm_id;
	/** @time_service_ns: time all VMs spent servicing GPU faults. */
	atomic64_t time_service_ns;
	/** @time_get_pages_ns: of that, in drm_svm_range_get_pages(). */
	atomic64_t time_get_pages_ns;
	/** @time_bind_ns: of that, committing GPU PTEs (and atomic grants). */
	atomic64_t time_bind_ns;
	/** @vram: the device memory. */
	struct vsvm_vram vram;
};

#define to_vsvm_device(d) container_of(d, struct vsvm_device, drm)

/*
 * GPU page-table entry. A 4-level, 512-entry-per-level table like x86-64:
 * level 3 covers 512 GiB per entry, level 0 4 KiB. A level-1 entry with
 * VSVM_PTE_HUGE maps 2 MiB.
 */
#define VSVM_PTE_VALID		BIT_ULL(0)
#define VSVM_PTE_WRITE		BIT_ULL(1)
#define VSVM_PTE_ATOMIC		BIT_ULL(2)
#define VSVM_PTE_VRAM		BIT_ULL(3)
#define VSVM_PTE_HUGE		BIT_ULL(7)
#define VSVM_PTE_ADDR		GENMASK_ULL(51, 12)

#define VSVM_PT_LEVELS		4
#define VSVM_PT_SHIFT(l)	(PAGE_SHIFT + 9 * (l))
#define VSVM_PT_ENTRIES		512
#define VSVM_PT_INDEX(va, l)	(((va) >> VSVM_PT_SHIFT(l)) & (VSVM_PT_ENTRIES - 1))

/**
 * struct vsvm_pt - the GPU page table of one VM
 */
struct vsvm_pt {
	/** @root: the level-3 table. */
	u64 *root;
	/** @spare: zeroed tables for vsvm_pt_set(), under the VM lock. */
	u64 *spare[VSVM_PT_LEVELS - 1];
	/** @nr_spare: entries of @spare in use. */
	unsigned int nr_spare;
	/** @tables: table pages, the root and the spares included. */
	atomic64_t tables;
	/** @mapped_pages: 4K pages mapped now. */
	atomic64_t mapped_pages;
	/** @mapped_4k: 4K entries written so far. */
	atomic64_t mapped_4k;
	/** @mapped_2m: 2M entries written so far. */
	atomic64_t mapped_2m;
};

int vsvm_pt_init(struct vsvm_pt *pt);
void vsvm_pt_fini(struct vsvm_pt *pt);
int vsvm_pt_reserve(struct vsvm_pt *pt);
int vsvm_pt_set(struct vsvm_pt *pt, unsigned long va, u64 pte, bool huge);
void vsvm_pt_zap(struct vsvm_pt *pt, unsigned long start, unsigned long end);
void vsvm_pt_clear_atomic(struct vsvm_pt *pt, unsigned long start,
			  unsigned long end);
u64 vsvm_pt_lookup(struct vsvm_pt *pt, unsigned long va,
		   unsigned int *shift);
u64 vsvm_pt_lookup_block(struct vsvm_pt *pt, unsigned long va, u64 **table);
void vsvm_pt_dump(struct vsvm_pt *pt, struct seq_file *m);

enum vsvm_fault_state {
	VSVM_FAULT_NONE,
	VSVM_FAULT_PENDING,
	VSVM_FAULT_DONE,
};

/**
 * struct vsvm_channel - a ring of submissions run by one engine worker
 */
struct vsvm_channel {
	/** @vm: the VM. */
	struct vsvm_vm *vm;
	/** @index: channel number. */
	unsigned int index;
	/** @lock: protects the fields below up to @work. */
	spinlock_t lock;
	/** @queue: submissions not yet completed. */
	struct list_head queue;
	/** @submitted: last sequence number handed out. */
	u64 submitted;
	/** @completed: last sequence number completed. */
	u64 completed;
	/** @status: results of the last VSVM_STATUS_RING submissions. */
	s32 status[VSVM_STATUS_RING];
	/** @done_wq: WAIT ioctls sleep here. */
	wait_queue_head_t done_wq;
	/** @work: runs the queue. */
	struct work_struct work;
	/** @fault_state: &enum vsvm_fault_state of the stalled access. */
	int fault_state;
	/**
	 * @fault_cause: the fault handler's result for it: 0 to replay, else
	 * why it could not be serviced (the FAULT_INFO error).
	 */
	int fault_cause;
	/** @fault_wq: the stalled engine sleeps here. */
	wait_queue_head_t fault_wq;
};

/**
 * struct vsvm_fault - an entry of the replayable fault buffer
 */
struct vsvm_fault {
	/** @addr: faulting address. */
	unsigned long addr;
	/** @access: DRM_VSVM_ACCESS_*. */
	u32 access;
	/** @channel: channel stalled on it. */
	u32 channel;
};

/**
 * struct vsvm_range - vsvm's drm_svm range
 */
struct vsvm_range {
	/** @base: the drm_svm range, embedded. */
	struct drm_svm_range base;
	/**
	 * @no_migrate: a migration on fault moved none of the range: map it
	 * in place until ADVISE or PREFETCH change its policy (under the VM
	 * lock, see vsvm_placement.c).
	 */
	bool no_migrate;
};

static inline struct vsvm_range *to_vsvm_range(struct drm_svm_range *range)
{
	return container_of(range, struct vsvm_range, base);
}

/**
 * struct vsvm_fault_req - one GPU fault going through the fault pipeline
 *
 * vsvm_fault_service() looks the fault's policy up once into it; placement,
 * atomics and binding read the policy from here and narrow the pages to
 * bind, instead of asking the attribute tree again.
 */
struct vsvm_fault_req {
	/** @addr: the faulting address. */
	unsigned long addr;
	/** @access: DRM_VSVM_ACCESS_*. */
	u32 access;
	/** @attrs: the attributes at @addr. */
	struct drm_svm_attrs attrs;
	/** @attr_start: first address of the interval where @attrs hold. */
	unsigned long attr_start;
	/** @attr_end: end of that interval, exclusive. */
	unsigned long attr_end;
	/** @ctx: the drm_svm arguments of the fault. */
	struct drm_svm_ctx ctx;
	/** @first: first page of the fault's range to bind. */
	unsigned long first;
	/** @last: end of the pages of the range to bind, exclusive. */
	unsigned long last;
	/**
	 * @atomic_migrated: the MIGRATE atomic policy moved the range once;
	 * a page still in system memory after that is made device-exclusive.
	 */
	bool atomic_migrated;
	/** @place_ns: time spent in placement (vsvm_trace.h). */
	u64 place_ns;
	/** @get_pages_ns: time spent in drm_svm_range_get_pages(). */
	u64 get_pages_ns;
	/** @atomic_ns: time spent in the atomic policy. */
	u64 atomic_ns;
	/** @bind_ns: time spent binding. */
	u64 bind_ns;
};

/**
 * struct vsvm_vm - a GPU VM: one per open file, bound to one mm
 */
struct vsvm_vm {
	/** @svm: the drm_svm context mirroring the process. */
	struct drm_svm svm;
	/** @vdev: the device. */
	struct vsvm_device *vdev;
	/** @id: number for debugfs. */
	unsigned int id;
	/** @link: entry in &vsvm_device.vms. */
	struct list_head link;
	/**
	 * @lock: the driver lock of the drm_svm context; serialises fault
	 * servicing (and so page-table allocation).
	 */
	struct mutex lock;
	/** @pt: the GPU page table. */
	struct vsvm_pt pt;
	/**
	 * @atomic_next: end of the last atomic grant window, under @lock:
	 * an ATOMIC fault right there doubles the window (vsvm_atomic.c).
	 */
	unsigned long atomic_next;
	/** @atomic_win: pages of the last atomic grant window, under @lock. */
	unsigned int atomic_win;
	/**
	 * @write_streams: the last WRITE fault windows, under @lock, one per
	 * stream of writes (channels write through memory independently):
	 * a WRITE fault right where one ended doubles it (vsvm_fault.c).
	 */
	struct {
		/** @write_streams.next: end of the window. */
		unsigned long next;
		/** @write_streams.win: pages of the window. */
		unsigned int win;
	} write_streams[VSVM_WRITE_STREAMS];
	/** @write_stream_next: the stream a new stream replaces, under @lock. */
	unsigned int write_stream_next;
	/** @closing: set at teardown: no new work, stalls end. */
	bool closing;
	/** @channels: the channels. */
	struct vsvm_channel channels[VSVM_NUM_CHANNELS];

	/** @fault_lock: protects the fault buffer and @last_fault. */
	spinlock_t fault_lock;
	/** @faults: the fault buffer. */
	struct vsvm_fault faults[VSVM_FAULT_RING];
	/** @nr_faults: entries in @faults. */
	unsigned int nr_faults;
	/** @fault_work: the fault handler, when a channel cannot run it. */
	struct work_struct fault_work;
	/** @fault_drain_lock: one drain of the fault buffer at a time. */
	struct mutex fault_drain_lock;
	/** @last_fault: last unserviceable fault. */
	struct drm_vsvm_fault_info last_fault;

	/** @gpu_faults: fault-buffer entries posted. */
	atomic64_t gpu_faults;
	/** @commands: commands executed. */
	atomic64_t commands;
	/** @submissions: submissions completed. */
	atomic64_t submissions;
	/** @job_timeouts: submissions that ended with -ETIMEDOUT. */
	atomic64_t job_timeouts;
	/** @shader_insns: instructions the shader core retired. */
	atomic64_t shader_insns;
	/** @debugfs: the VM's debugfs directory. */
	struct dentry *debugfs;
};

/**
 * struct vsvm_file - per open file state
 */
struct vsvm_file {
	/** @lock: protects @vm creation. */
	struct mutex lock;
	/** @vm: the VM, NULL before VM_INIT. */
	struct vsvm_vm *vm;
	/** @programs: the shader programs' handles. */
	struct vsvm_programs programs;
};

/* vsvm_drv.c */
bool vsvm_device_exists(unsigned int index);

/* vsvm_vm.c */
struct vsvm_vm *vsvm_vm_create(struct vsvm_device *vdev, u64 start, u64 size);
void vsvm_vm_destroy(struct vsvm_vm *vm);

/* vsvm_fault.c */
void vsvm_fault_post(struct vsvm_channel *ch, unsigned long addr, u32 access);
void vsvm_fault_kick(struct vsvm_vm *vm);
void vsvm_fault_work(struct work_struct *work);
int vsvm_fault_status(int cause);

/* vsvm_bind.c */
int vsvm_bind_range(struct vsvm_vm *vm, struct drm_svm_range *range,
		    const struct vsvm_fault_req *req);

/* vsvm_placement.c */
bool vsvm_placement_wants_vram(struct vsvm_vm *vm,
			       const struct drm_svm_attrs *attrs);
void vsvm_placement_fault(struct vsvm_vm *vm, struct drm_svm_range *range,
			  const struct vsvm_fault_req *req);
int vsvm_placement_to_vram(struct vsvm_vm *vm, unsigned long start,
			   unsigned long end, unsigned long *migrated);
int vsvm_placement_to_ram(struct vsvm_vm *vm, unsigned long start,
			  unsigned long end, unsigned long *migrated);
void vsvm_placement_reset(struct vsvm_vm *vm, unsigned long start,
			  unsigned long end);

/* vsvm_atomic.c */
int vsvm_atomic_fault(struct vsvm_vm *vm, struct drm_svm_range *range,
		      struct vsvm_fault_req *req);

/* vsvm_engine.c */
struct vsvm_submission;
u64 vsvm_engine_job_timeout_ns(void);
struct vsvm_submission *vsvm_submission_new(struct vsvm_file *vf,
					    const struct drm_vsvm_exec *args);
void vsvm_channel_init(struct vsvm_channel *ch, struct vsvm_vm *vm,
		       unsigned int index);
int vsvm_channel_submit(struct vsvm_channel *ch, struct vsvm_submission *s,
			u64 *seqno);
int vsvm_channel_wait(struct vsvm_channel *ch, u64 seqno, s64 timeout_ns,
		      s32 *status);
void vsvm_channel_cancel(struct vsvm_channel *ch);

/* vsvm_ioctl.c */
int vsvm_ioctl_get_param(struct drm_device *drm, void *data,
			 struct drm_file *file);
int vsvm_ioctl_vm_init(struct drm_device *drm, void *data,
		       struct drm_file *file);
int vsvm_ioctl_exec(struct drm_device *drm, void *data,
		    struct drm_file *file);
int vsvm_ioctl_wait(struct drm_device *drm, void *data,
		    struct drm_file *file);
int vsvm_ioctl_fault_info(struct drm_device *drm, void *data,
			  struct drm_file *file);
int vsvm_ioctl_stats(struct drm_device *drm, void *data,
		     struct drm_file *file);
int vsvm_ioctl_advise(struct drm_device *drm, void *data,
		      struct drm_file *file);
int vsvm_ioctl_prefetch(struct drm_device *drm, void *data,
			struct drm_file *file);

/* vsvm_vram.c */
int vsvm_vram_init(struct vsvm_device *vdev);
void vsvm_vram_fini(struct vsvm_device *vdev);
struct page *vsvm_vram_page(struct vsvm_device *vdev, u64 offset);
struct vsvm_vram_bo *vsvm_vram_bo_create(struct vsvm_device *vdev,
					 unsigned long npages);
void vsvm_vram_bo_done(struct vsvm_vram_bo *bo, unsigned long migrated);
u64 vsvm_vram_used(struct vsvm_device *vdev);
int vsvm_vram_evict_all(struct vsvm_device *vdev);
void vsvm_vram_print(struct vsvm_device *vdev, struct drm_printer *p);

/* vsvm_debugfs.c */
void vsvm_debugfs_device_init(struct vsvm_device *vdev);
void vsvm_debugfs_vm_add(struct vsvm_vm *vm);
void vsvm_debugfs_vm_remove(struct vsvm_vm *vm);

#endif /* __VSVM_DRV_H__ */
