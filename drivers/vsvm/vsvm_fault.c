// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm replayable faults
 *
 * When the engine misses in the GPU page table, or the entry lacks the
 * permission the access needs, it posts an entry (address, access,
 * channel) to the VM's fault buffer and stalls that channel. The fault
 * handler drains the buffer in one batch, sorts it by address and services
 * each page once for the strongest access asked for, then wakes the
 * stalled channels, which replay the access or fail their submission. The
 * handler runs in the stalled channel's own worker when no other drain is
 * running, else in the fault work item right after the running drain.
 *
 * One fault goes through one pipeline, vsvm_fault_service(), in which
 * every step calls down and policy is read once:
 *
 * 1. the attributes at the address and the interval where they hold are
 *    looked up once into a &struct vsvm_fault_req; the GPU ACCESS
 *    attribute may refuse the access right there;
 * 2. the range is found or created (drm_svm_range_find_or_insert());
 * 3. placement (vsvm_placement.c) migrates it to VRAM when the
 *    attributes ask for this device's memory;
 * 4. drm_svm_range_get_pages() faults the CPU pages in and maps them:
 *    the faulting page (&drm_svm_ctx.fault_addr) with the access, the
 *    rest of the range as far as the CPU allows it, so a read-only or
 *    PROT_NONE page elsewhere in the range fails only the accesses to it,
 *    and a write dirties (or copies) only the page written; WRITE faults
 *    that stream through memory ask ahead for a doubling window of pages
 *    (&drm_svm_ctx.fault_size), so that writing copy-on-write or shared
 *    memory does not take one fault per page;
 * 5. an ATOMIC access applies the atomic policy (vsvm_atomic.c): grant a
 *    window of device-exclusive pages, migrate, or refuse;
 * 6. the pages are bound into the GPU page table (vsvm_bind.c) under the
 *    notifier lock, if drm_svm says they are still valid; else from 2.
 *
 * The outcome is decided in one place, vsvm_fault_status(): the cause
 * (the errno of the step that failed, reported by FAULT_INFO) becomes the
 * submission status: -EPERM for an atomic the ATOMIC attribute refuses,
 * -EFAULT for every other fault that cannot be serviced, as the uAPI
 * documents.
 */

#include <linux/ktime.h>
#include <linux/sort.h>

#include "vsvm_drv.h"
#include "vsvm_trace.h"

/*
 * Attempts at one fault while the pages keep changing under it: at least
 * %VSVM_FAULT_TRIES, and more for as long as %VSVM_FAULT_RETRY_NS has not
 * passed since the fault was taken. On a slow (sanitizer) kernel with the
 * CPU busy on neighbouring pages, a count alone ran out in well under a
 * millisecond of real contention; the job budget still ends a livelock.
 */
#define VSVM_FAULT_TRIES	16
#define VSVM_FAULT_RETRY_NS	(2 * NSEC_PER_SEC)

/* Largest window of pages a streaming WRITE fault asks for: one 2 MiB. */
#define VSVM_WRITE_MAX_WINDOW	(SZ_2M >> PAGE_SHIFT)

/**
 * vsvm_fault_post() - post a fault to the fault buffer
 * @ch: the channel that stalls on it
 * @addr: faulting address
 * @access: DRM_VSVM_ACCESS_*
 *
 * The channel must have set its &vsvm_channel.fault_state to pending. A
 * channel has at most one fault posted, so the buffer cannot overflow.
 * The caller then kicks the handler with vsvm_fault_kick().
 */
void vsvm_fault_post(struct vsvm_channel *ch, unsigned long addr, u32 access)
{
	struct vsvm_vm *vm = ch->vm;

	spin_lock(&vm->fault_lock);
	vm->faults[vm->nr_faults++] = (struct vsvm_fault) {
		.addr = addr,
		.access = access,
		.channel = ch->index,
	};
	spin_unlock(&vm->fault_lock);
	atomic64_inc(&vm->gpu_faults);
}

/**
 * vsvm_fault_status() - the submission status of a fault that failed
 * @cause: why the fault could not be serviced (a negative errno)
 *
 * The one place that decides what a submission sees: -EACCES, an atomic
 * the ATOMIC attribute refuses, fails it with -EPERM; -ECANCELED (the VM
 * is closing) stays; everything else fails it with -EFAULT.
 *
 * Return: the status.
 */
int vsvm_fault_status(int cause)
{
	switch (cause) {
	case -EACCES:
		return -EPERM;
	case -ECANCELED:
		return -ECANCELED;
	default:
		return -EFAULT;
	}
}

static unsigned int vsvm_svm_access(u32 access)
{
	switch (access) {
	case DRM_VSVM_ACCESS_WRITE:
		return DRM_SVM_ACCESS_WRITE;
	case DRM_VSVM_ACCESS_ATOMIC:
		return DRM_SVM_ACCESS_WRITE | DRM_SVM_ACCESS_ATOMIC;
	default:
		return DRM_SVM_ACCESS_READ;
	}
}

/*
 * Step 1: the fault's policy, looked up once. Return: 0, or -EPERM when
 * the ACCESS attribute refuses what the CPU mapping may allow.
 */
static int vsvm_fault_req_init(struct vsvm_vm *vm, struct vsvm_fault_req *req,
			       unsigned long addr, u32 access)
{
	memset(req, 0, sizeof(*req));
	req->addr = addr;
	req->access = access;
	/*
	 * drm_svm faults the page of @addr for the access and maps the rest
	 * of the range as the CPU already allows: a read-only neighbour does
	 * not fail a write here, and a write dirties no untouched page.
	 */
	req->ctx.fault_addr = addr;
	req->ctx.access = vsvm_svm_access(access);
	drm_svm_attr_lookup(&vm->svm, addr, &req->attrs, &req->attr_start,
			    &req->attr_end);
	if (!req->attr_end)
		req->attr_end = ULONG_MAX;
	if (req->attrs.access == DRM_SVM_ATTR_ACCESS_NONE ||
	    (req->attrs.access == DRM_SVM_ATTR_ACCESS_RO &&
	     access != DRM_VSVM_ACCESS_READ))
		return -EPERM;
	return 0;
}

/* Add the time since *@t to @sum; move *@t to now. */
static void vsvm_fault_time(u64 *sum, u64 *t)
{
	u64 now = ktime_get_ns();

	*sum += now - *t;
	*t = now;
}

/*
 * The pages a WRITE fault asks for: its own, or, when it lands right where
 * the window of one of the VM's streams of WRITE faults ended, twice that
 * window (within the range and the fault's attributes), as readahead
 * does. Each page the GPU writes of copy-on-write or shared memory, or of
 * memory the CPU maps read-only for another reason, otherwise costs a
 * fault of its own. *@stream: the stream the fault continues or starts.
 */
static unsigned int vsvm_fault_write_window(struct vsvm_vm *vm,
					    struct drm_svm_range *range,
					    const struct vsvm_fault_req *req,
					    unsigned int *stream)
{
	unsigned long page = req->addr & PAGE_MASK;
	unsigned long end = min(drm_svm_range_end(range), req->attr_end);
	unsigned int i, win = 1;

	lockdep_assert_held(&vm->lock);
	if (req->access != DRM_VSVM_ACCESS_WRITE)
		return 0;
	for (i = 0; i < VSVM_WRITE_STREAMS; i++)
		if (vm->write_streams[i].win && page == vm->write_streams[i].next)
			break;
	if (i < VSVM_WRITE_STREAMS) {
		win = min_t(unsigned int, vm->write_streams[i].win * 2,
			    VSVM_WRITE_MAX_WINDOW);
	} else {
		i = vm->write_stream_next;
		vm->write_stream_next = (i + 1) % VSVM_WRITE_STREAMS;
	}
	*stream = i;
	return min_t(unsigned long, win, (end - page) >> PAGE_SHIFT) ?: 1;
}

/*
 * Step 4: the pages of the fault. A write window that reaches pages the
 * CPU does not let the GPU write (a read-only neighbour) falls back to the
 * faulting page alone: only that one is needed.
 */
static int vsvm_fault_get_pages(struct vsvm_vm *vm, struct drm_svm_range *range,
				struct vsvm_fault_req *req)
{
	unsigned int stream = 0;
	unsigned int win = vsvm_fault_write_window(vm, range, req, &stream);
	unsigned long page = req->addr & PAGE_MASK;
	int err;

	req->ctx.fault_size = (unsigned long)win << PAGE_SHIFT;
	err = drm_svm_range_get_pages(&vm->svm, range, &req->ctx);
	if ((err == -EPERM || err == -EFAULT) && win > 1) {
		win = 1;
		req->ctx.fault_size = 0;
		err = drm_svm_range_get_pages(&vm->svm, range, &req->ctx);
	}
	if (!err && win) {
		vm->write_streams[stream].win = win;
		vm->write_streams[stream].next = page + ((unsigned long)win << PAGE_SHIFT);
	}
	return err;
}

/* Steps 3 to 6 on the range of the fault; -EAGAIN to start over. */
static int vsvm_fault_range(struct vsvm_vm *vm, struct drm_svm_range *range,
			    struct vsvm_fault_req *req, bool place)
{
	u64 t = ktime_get_ns();
	int err;

	if (place && vsvm_placement_wants_vram(vm, &req->attrs)) {
		vsvm_placement_fault(vm, range, req);
		vsvm_fault_time(&req->place_ns, &t);
	}
	req->first = 0;
	req->last = drm_svm_range_npages(range);
	err = vsvm_fault_get_pages(vm, range, req);
	vsvm_fault_time(&req->get_pages_ns, &t);
	if (!err && req->access == DRM_VSVM_ACCESS_ATOMIC) {
		err = vsvm_atomic_fault(vm, range, req);
		vsvm_fault_time(&req->atomic_ns, &t);
	}
	if (!err) {
		err = vsvm_bind_range(vm, range, req);
		vsvm_fault_time(&req->bind_ns, &t);
	}
	return err;
}

/* Account a serviced fault: debugfs totals and the vsvm_fault tracepoint. */
static void vsvm_fault_account(struct vsvm_vm *vm,
			       const struct vsvm_fault_req *req, int cause,
			       u64 start)
{
	struct vsvm_device *vdev = vm->vdev;
	u64 total = ktime_get_ns() - start;

	atomic64_add(total, &vdev->time_service_ns);
	atomic64_add(req->get_pages_ns, &vdev->time_get_pages_ns);
	atomic64_add(req->place_ns + req->atomic_ns + req->bind_ns,
		     &vdev->time_bind_ns);
	trace_vsvm_fault(vm, req, cause, total);
}

/* Whether to try a fault again that found its pages changed (-EAGAIN). */
static bool vsvm_fault_retry(struct vsvm_vm *vm, int tries, u64 start)
{
	if (!tries)
		return true;
	if (READ_ONCE(vm->closing))
		return false;
	return tries < VSVM_FAULT_TRIES ||
	       ktime_get_ns() - start < VSVM_FAULT_RETRY_NS;
}

/*
 * vsvm_fault_service() - make an address accessible to the GPU
 *
 * The pipeline of DOC: vsvm replayable faults. Return: 0, or the cause of
 * the failure, a negative errno: what drm_svm gave (-EFAULT, -ENOENT,
 * -EPERM, -EINVAL, -EBUSY, -ENOMEM, -EOPNOTSUPP), -EPERM for an access
 * the ACCESS attribute refuses, -EACCES for an atomic the ATOMIC attribute
 * refuses.
 */
static int vsvm_fault_service(struct vsvm_vm *vm, unsigned long addr,
			      u32 access)
{
	struct drm_svm_range *range;
	struct vsvm_fault_req req;
	u64 start = ktime_get_ns();
	int tries, err;

	err = vsvm_fault_req_init(vm, &req, addr, access);
	if (err) {
		vsvm_fault_account(vm, &req, err, start);
		return err;
	}

	mutex_lock(&vm->lock);
	for (tries = 0; vsvm_fault_retry(vm, tries, start); tries++) {
		drm_svm_garbage_collect(&vm->svm);
		range = drm_svm_range_find_or_insert(&vm->svm, addr,
						     vm->svm.start,
						     vm->svm.end, &req.ctx);
		if (IS_ERR(range)) {
			err = PTR_ERR(range);
			break;
		}
		/* Placement once: a chunk that cannot move is mapped in place. */
		err = vsvm_fault_range(vm, range, &req, !tries);
		drm_svm_range_put(range);
		/* -EBUSY: drm_svm's own retries ran out; ours may not have. */
		if (err != -EAGAIN && err != -EBUSY)
			break;
	}
	mutex_unlock(&vm->lock);
	if ((err == -EAGAIN || err == -EBUSY) && READ_ONCE(vm->closing))
		err = -ECANCELED;
	else if (err == -EAGAIN)
		err = -EBUSY;
	vsvm_fault_account(vm, &req, err, start);
	return err;
}

static int vsvm_fault_cmp(const void *a, const void *b)
{
	const struct vsvm_fault *fa = a, *fb = b;

	if ((fa->addr >> PAGE_SHIFT) != (fb->addr >> PAGE_SHIFT))
		return (fa->addr >> PAGE_SHIFT) < (fb->addr >> PAGE_SHIFT) ? -1 : 1;
	/* Strongest access first, so the others can reuse its result. */
	return fb->access - fa->access;
}

static void vsvm_fault_done(struct vsvm_vm *vm, u32 channel, int cause)
{
	struct vsvm_channel *ch = &vm->channels[channel];

	ch->fault_cause = cause;
	/* Publishes fault_cause to vsvm_channel_stall(). */
	smp_store_release(&ch->fault_state, VSVM_FAULT_DONE);
	wake_up(&ch->fault_wq);
}

/* Drain the fault buffer once: service every entry, wake its channel. */
static void vsvm_fault_drain(struct vsvm_vm *vm)
{
	struct vsvm_fault batch[VSVM_FAULT_RING];
	unsigned int n, i;
	int err = 0;

	lockdep_assert_held(&vm->fault_drain_lock);
	spin_lock(&vm->fault_lock);
	n = vm->nr_faults;
	memcpy(batch, vm->faults, n * sizeof(batch[0]));
	vm->nr_faults = 0;
	spin_unlock(&vm->fault_lock);

	sort(batch, n, sizeof(batch[0]), vsvm_fault_cmp, NULL);
	for (i = 0; i < n; i++) {
		const struct vsvm_fault *f = &batch[i];
		bool same = i && !err &&
			    (batch[i - 1].addr >> PAGE_SHIFT) == (f->addr >> PAGE_SHIFT);

		/* A duplicate is served by the stronger access before it. */
		if (!same)
			err = READ_ONCE(vm->closing) ? -ECANCELED :
			      vsvm_fault_service(vm, f->addr, f->access);
		vsvm_fault_done(vm, f->channel, err);
	}
}

/**
 * vsvm_fault_kick() - get the fault buffer drained
 * @vm: the VM, with at least one fault posted
 *
 * A stalled channel drains the buffer itself when no drain is running,
 * which spares two context switches per fault; otherwise the fault work
 * item drains it after the running drain.
 */
void vsvm_fault_kick(struct vsvm_vm *vm)
{
	if (mutex_trylock(&vm->fault_drain_lock)) {
		vsvm_fault_drain(vm);
		mutex_unlock(&vm->fault_drain_lock);
	} else {
		queue_work(vm->vdev->fault_wq, &vm->fault_work);
	}
}

/**
 * vsvm_fault_work() - the fault handler work item
 * @work: &vsvm_vm.fault_work
 */
void vsvm_fault_work(struct work_struct *work)
{
	struct vsvm_vm *vm = container_of(work, struct vsvm_vm, fault_work);

	mutex_lock(&vm->fault_drain_lock);
	vsvm_fault_drain(vm);
	mutex_unlock(&vm->fault_drain_lock);
}
