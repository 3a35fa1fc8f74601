// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: memory commands, for buffers and for SVM pointers alike (both are
 * addresses of the process). Copies and fills are GPU commands (vsvm COPY
 * and FILL, through the GPU's page table, so memory in VRAM stays there);
 * maps and unmaps only order the queue, the memory being the host's
 * already; migrations are vsvm PREFETCH calls made when the queue gets to
 * them; rectangular copies run on the host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vcl.h"

void vcl_svm_free(cl_context ctx, void *p);

/* ------------------------------------------------------------------ */
/* GPU command helpers                                                 */

/*
 * Bytes one submission copies or fills at most: each part of a large
 * command stays well within the job timeout (DRM_VSVM_PARAM_JOB_TIMEOUT_NS,
 * 10 s by default) even under TCG. A multiple of every pattern size.
 */
#define PART_BYTES (32ull << 20)

/* Close the command buffer being built as the next part of @e. */
static cl_int push_part(cl_event e)
{
	struct vsvm_cmdbuf **parts;
	uint64_t *seqno;

	parts = realloc(e->parts, (e->num_parts + 1) * sizeof(*parts));
	if (!parts)
		return CL_OUT_OF_HOST_MEMORY;
	e->parts = parts;
	seqno = realloc(e->part_seqno, (e->num_parts + 1) * sizeof(*seqno));
	if (!seqno)
		return CL_OUT_OF_HOST_MEMORY;
	e->part_seqno = seqno;
	parts[e->num_parts] = e->cb;
	seqno[e->num_parts++] = 0;
	e->cb = NULL;
	return CL_SUCCESS;
}

static cl_int gpu_begin(cl_event e)
{
	if (vsvm_cmdbuf_new(&e->cb))
		return CL_OUT_OF_HOST_MEMORY;
	e->kind = VCL_CMD_GPU;
	if (e->profiled && vsvm_cmd_timestamp(e->cb, VSVM_PTR(&e->gpu_ts[0])))
		return CL_OUT_OF_HOST_MEMORY;
	return CL_SUCCESS;
}

/* Start the next part of @e. */
static cl_int gpu_next(cl_event e)
{
	cl_int err = push_part(e);

	if (!err && vsvm_cmdbuf_new(&e->cb))
		err = CL_OUT_OF_HOST_MEMORY;
	return err;
}

static cl_int gpu_end(cl_event e)
{
	if (e->profiled && vsvm_cmd_timestamp(e->cb, VSVM_PTR(&e->gpu_ts[1])))
		return CL_OUT_OF_HOST_MEMORY;
	return push_part(e);
}

cl_int vcl_gpu_begin(cl_event e);
cl_int vcl_gpu_begin(cl_event e)
{
	return gpu_begin(e);
}

cl_int vcl_gpu_end(cl_event e);
cl_int vcl_gpu_end(cl_event e)
{
	return gpu_end(e);
}

static cl_int gpu_copy(cl_event e, void *dst, const void *src, size_t size)
{
	uint64_t off, n;
	cl_int err;

	if (!size) {
		e->kind = VCL_CMD_NOP;
		return CL_SUCCESS;
	}
	err = gpu_begin(e);
	for (off = 0; !err && off < size; off += n) {
		n = size - off < PART_BYTES ? size - off : PART_BYTES;
		if (off)
			err = gpu_next(e);
		if (!err && vsvm_cmd_copy(e->cb, VSVM_PTR(dst) + off, VSVM_PTR(src) + off, n))
			err = CL_OUT_OF_HOST_MEMORY;
	}
	if (!err)
		err = gpu_end(e);
	return err;
}

static void fini_free_payload(cl_event e)
{
	free(e->payload);
	e->payload = NULL;
}

/*
 * Fill [@dst, @dst + @size) with @pattern: FILL commands when the pattern
 * fits a 32-bit word and the range is word aligned; else the pattern is
 * copied in once and doubled, COPY after COPY, over the first part, which
 * the other parts then copy.
 */
static cl_int gpu_fill(cl_event e, void *dst, const void *pattern,
		       size_t ps, size_t size)
{
	char *d = dst;
	uint64_t off, n, done;
	cl_int err;

	if (!size) {
		e->kind = VCL_CMD_NOP;
		return CL_SUCCESS;
	}
	err = gpu_begin(e);
	if (err)
		return err;
	if (ps <= 4 && !((uintptr_t)d & 3) && !(size & 3)) {
		uint32_t v = 0;
		size_t i;

		for (i = 0; i < 4; i++)
			((unsigned char *)&v)[i] = ((const unsigned char *)pattern)[i % ps];
		for (off = 0; !err && off < size; off += n) {
			n = size - off < PART_BYTES ? size - off : PART_BYTES;
			if (off)
				err = gpu_next(e);
			if (!err && vsvm_cmd_fill(e->cb, VSVM_PTR(d) + off, n, v))
				err = CL_OUT_OF_HOST_MEMORY;
		}
		return err ? err : gpu_end(e);
	}
	e->payload = malloc(ps);
	if (!e->payload)
		return CL_OUT_OF_HOST_MEMORY;
	memcpy(e->payload, pattern, ps);
	e->fini = fini_free_payload;
	if (vsvm_cmd_copy(e->cb, VSVM_PTR(d), VSVM_PTR(e->payload), ps))
		return CL_OUT_OF_HOST_MEMORY;
	n = size < PART_BYTES ? size : PART_BYTES;
	for (done = ps; done < n; done *= 2)
		if (vsvm_cmd_copy(e->cb, VSVM_PTR(d + done), VSVM_PTR(d),
				  n - done < done ? n - done : done))
			return CL_OUT_OF_HOST_MEMORY;
	/* Whole parts of the pattern: PART_BYTES is a multiple of @ps. */
	for (off = n; !err && off < size; off += n) {
		n = size - off < PART_BYTES ? size - off : PART_BYTES;
		err = gpu_next(e);
		if (!err && vsvm_cmd_copy(e->cb, VSVM_PTR(d + off), VSVM_PTR(d), n))
			err = CL_OUT_OF_HOST_MEMORY;
	}
	return err ? err : gpu_end(e);
}

static bool pattern_size_ok(size_t ps)
{
	return ps && ps <= 128 && !(ps & (ps - 1));
}

static bool overlap(const char *a, const char *b, size_t size)
{
	return size && a < b + size && b < a + size;
}

static cl_mem root_of(cl_mem m)
{
	return m->parent ? m->parent : m;
}

/* Common checks of a command on queue @q using buffer @m. */
static cl_int check_mem(cl_command_queue q, cl_mem m)
{
	if (!vcl_mem_valid(m))
		return CL_INVALID_MEM_OBJECT;
	if (m->ctx != q->ctx)
		return CL_INVALID_CONTEXT;
	return CL_SUCCESS;
}

static bool in_bounds(cl_mem m, size_t offset, size_t size)
{
	return offset <= m->size && size <= m->size - offset;
}

/* ------------------------------------------------------------------ */
/* Buffers                                                             */

static cl_int enqueue_rw(cl_command_queue q, cl_mem m, bool read,
			 cl_bool blocking, size_t offset, size_t size,
			 void *ptr, cl_uint num_wait, const cl_event *wait,
			 cl_event *event)
{
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = check_mem(q, m);
	if (err)
		return err;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!ptr || !size || !in_bounds(m, offset, size))
		return CL_INVALID_VALUE;
	if (m->flags & (CL_MEM_HOST_NO_ACCESS |
			(read ? CL_MEM_HOST_WRITE_ONLY : CL_MEM_HOST_READ_ONLY)))
		return CL_INVALID_OPERATION;
	e = vcl_event_new(q, read ? CL_COMMAND_READ_BUFFER : CL_COMMAND_WRITE_BUFFER,
			  num_wait, wait, &err);
	if (!e)
		return err;
	err = vcl_event_keep_mem(e, m);
	if (!err)
		err = read ? gpu_copy(e, ptr, m->addr + offset, size) :
			     gpu_copy(e, m->addr + offset, ptr, size);
	if (err) {
		vcl_event_abort(e);
		return err;
	}
	return vcl_enqueue(e, blocking, event);
}

cl_int CL_API_CALL vclEnqueueReadBuffer(cl_command_queue q, cl_mem m,
					cl_bool blocking, size_t offset,
					size_t size, void *ptr, cl_uint num_wait,
					const cl_event *wait, cl_event *event)
{
	return enqueue_rw(q, m, true, blocking, offset, size, ptr, num_wait,
			  wait, event);
}

cl_int CL_API_CALL vclEnqueueWriteBuffer(cl_command_queue q, cl_mem m,
					 cl_bool blocking, size_t offset,
					 size_t size, const void *ptr,
					 cl_uint num_wait, const cl_event *wait,
					 cl_event *event)
{
	return enqueue_rw(q, m, false, blocking, offset, size, (void *)ptr,
			  num_wait, wait, event);
}

cl_int CL_API_CALL vclEnqueueCopyBuffer(cl_command_queue q, cl_mem src,
					cl_mem dst, size_t src_offset,
					size_t dst_offset, size_t size,
					cl_uint num_wait, const cl_event *wait,
					cl_event *event)
{
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = check_mem(q, src);
	if (!err)
		err = check_mem(q, dst);
	if (err)
		return err;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!size || !in_bounds(src, src_offset, size) ||
	    !in_bounds(dst, dst_offset, size))
		return CL_INVALID_VALUE;
	if (root_of(src) == root_of(dst) &&
	    overlap(src->addr + src_offset, dst->addr + dst_offset, size))
		return CL_MEM_COPY_OVERLAP;
	e = vcl_event_new(q, CL_COMMAND_COPY_BUFFER, num_wait, wait, &err);
	if (!e)
		return err;
	err = vcl_event_keep_mem(e, src);
	if (!err)
		err = vcl_event_keep_mem(e, dst);
	if (!err)
		err = gpu_copy(e, dst->addr + dst_offset, src->addr + src_offset,
			       size);
	if (err) {
		vcl_event_abort(e);
		return err;
	}
	return vcl_enqueue(e, false, event);
}

cl_int CL_API_CALL vclEnqueueFillBuffer(cl_command_queue q, cl_mem m,
					const void *pattern, size_t ps,
					size_t offset, size_t size,
					cl_uint num_wait, const cl_event *wait,
					cl_event *event)
{
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = check_mem(q, m);
	if (err)
		return err;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!pattern || !pattern_size_ok(ps) || offset % ps || size % ps ||
	    !in_bounds(m, offset, size))
		return CL_INVALID_VALUE;
	e = vcl_event_new(q, CL_COMMAND_FILL_BUFFER, num_wait, wait, &err);
	if (!e)
		return err;
	err = vcl_event_keep_mem(e, m);
	if (!err)
		err = gpu_fill(e, m->addr + offset, pattern, ps, size);
	if (err) {
		vcl_event_abort(e);
		return err;
	}
	return vcl_enqueue(e, false, event);
}

void *CL_API_CALL vclEnqueueMapBuffer(cl_command_queue q, cl_mem m,
				      cl_bool blocking, cl_map_flags flags,
				      size_t offset, size_t size,
				      cl_uint num_wait, const cl_event *wait,
				      cl_event *event, cl_int *errcode_ret)
{
	const cl_map_flags known = CL_MAP_READ | CL_MAP_WRITE |
				   CL_MAP_WRITE_INVALIDATE_REGION;
	struct vcl_map *map = NULL;
	cl_event e = NULL;
	void *ptr = NULL;
	cl_int err;

	if (!vcl_queue_valid(q)) {
		err = CL_INVALID_COMMAND_QUEUE;
		goto out;
	}
	err = check_mem(q, m);
	if (!err)
		err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		goto out;
	if (!size || !in_bounds(m, offset, size) || (flags & ~known) ||
	    ((flags & CL_MAP_WRITE_INVALIDATE_REGION) &&
	     (flags & (CL_MAP_READ | CL_MAP_WRITE)))) {
		err = CL_INVALID_VALUE;
		goto out;
	}
	if ((m->flags & CL_MEM_HOST_NO_ACCESS) ||
	    ((m->flags & CL_MEM_HOST_WRITE_ONLY) && (flags & CL_MAP_READ)) ||
	    ((m->flags & CL_MEM_HOST_READ_ONLY) &&
	     (flags & (CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION)))) {
		err = CL_INVALID_OPERATION;
		goto out;
	}
	map = calloc(1, sizeof(*map));
	if (!map) {
		err = CL_OUT_OF_HOST_MEMORY;
		goto out;
	}
	e = vcl_event_new(q, CL_COMMAND_MAP_BUFFER, num_wait, wait, &err);
	if (!e)
		goto out;
	err = vcl_event_keep_mem(e, m);
	if (err)
		goto out;
	e->kind = VCL_CMD_NOP;
	ptr = m->addr + offset;
	map->ptr = ptr;
	map->offset = offset;
	map->size = size;
	map->flags = flags;
	pthread_mutex_lock(&vcl_lock);
	map->next = m->maps;
	m->maps = map;
	m->map_count++;
	pthread_mutex_unlock(&vcl_lock);
	map = NULL;
	err = vcl_enqueue(e, blocking, event);
	e = NULL;
	if (err)
		ptr = NULL;
out:
	free(map);
	if (e)
		vcl_event_abort(e);
	if (errcode_ret)
		*errcode_ret = err;
	return ptr;
}

cl_int CL_API_CALL vclEnqueueUnmapMemObject(cl_command_queue q, cl_mem m,
					    void *ptr, cl_uint num_wait,
					    const cl_event *wait,
					    cl_event *event)
{
	struct vcl_map **pp, *map = NULL;
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = check_mem(q, m);
	if (err)
		return err;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	e = vcl_event_new(q, CL_COMMAND_UNMAP_MEM_OBJECT, num_wait, wait, &err);
	if (!e)
		return err;
	e->kind = VCL_CMD_NOP;
	err = vcl_event_keep_mem(e, m);
	if (err) {
		vcl_event_abort(e);
		return err;
	}
	pthread_mutex_lock(&vcl_lock);
	for (pp = &m->maps; *pp; pp = &(*pp)->next) {
		if ((*pp)->ptr == ptr) {
			map = *pp;
			*pp = map->next;
			m->map_count--;
			break;
		}
	}
	pthread_mutex_unlock(&vcl_lock);
	if (!map) {
		vcl_event_abort(e);
		return CL_INVALID_VALUE;
	}
	free(map);
	return vcl_enqueue(e, false, event);
}

/* ------------------------------------------------------------------ */
/* Rectangular copies (host)                                           */

struct rect {
	char *dst;
	const char *src;
	size_t region[3];
	size_t dst_row, dst_slice, src_row, src_slice;
};

static cl_int run_rect(cl_event e)
{
	const struct rect *r = e->payload;
	size_t y, z;

	for (z = 0; z < r->region[2]; z++)
		for (y = 0; y < r->region[1]; y++)
			memmove(r->dst + z * r->dst_slice + y * r->dst_row,
				r->src + z * r->src_slice + y * r->src_row,
				r->region[0]);
	return CL_SUCCESS;
}

/* Fill in default pitches and check one side of a rectangle copy. */
static bool rect_side(const size_t *origin, const size_t *region,
		      size_t *row, size_t *slice, size_t *offset, size_t *extent)
{
	if (!*row)
		*row = region[0];
	if (!*slice)
		*slice = region[1] * *row;
	if (*row < region[0] || *slice < region[1] * *row || *slice % *row)
		return false;
	*offset = origin[2] * *slice + origin[1] * *row + origin[0];
	*extent = (region[2] - 1) * *slice + (region[1] - 1) * *row + region[0];
	return true;
}

static cl_int enqueue_rect(cl_command_queue q, cl_command_type type,
			   cl_mem dst_m, cl_mem src_m, bool blocking,
			   char *dst_base, const char *src_base,
			   const size_t *dst_origin, const size_t *src_origin,
			   const size_t *region, size_t dst_row, size_t dst_slice,
			   size_t src_row, size_t src_slice, cl_uint num_wait,
			   const cl_event *wait, cl_event *event)
{
	size_t doff, dext, soff, sext;
	struct rect *r;
	cl_event e;
	cl_int err;

	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!region || !dst_origin || !src_origin || !dst_base || !src_base ||
	    !region[0] || !region[1] || !region[2])
		return CL_INVALID_VALUE;
	if (!rect_side(dst_origin, region, &dst_row, &dst_slice, &doff, &dext) ||
	    !rect_side(src_origin, region, &src_row, &src_slice, &soff, &sext))
		return CL_INVALID_VALUE;
	if ((dst_m && (doff > dst_m->size || dext > dst_m->size - doff)) ||
	    (src_m && (soff > src_m->size || sext > src_m->size - soff)))
		return CL_INVALID_VALUE;
	if (dst_m && src_m) {
		/* A copy inside one buffer must use the same pitches. */
		if (root_of(dst_m) == root_of(src_m) &&
		    (dst_row != src_row || dst_slice != src_slice))
			return CL_INVALID_VALUE;
		if (root_of(dst_m) == root_of(src_m) &&
		    overlap(dst_base + doff, src_base + soff,
			    dext > sext ? dext : sext))
			return CL_MEM_COPY_OVERLAP;
	}
	e = vcl_event_new(q, type, num_wait, wait, &err);
	if (!e)
		return err;
	r = calloc(1, sizeof(*r));
	if (!r) {
		vcl_event_abort(e);
		return CL_OUT_OF_HOST_MEMORY;
	}
	r->dst = dst_base + doff;
	r->src = src_base + soff;
	memcpy(r->region, region, sizeof(r->region));
	r->dst_row = dst_row;
	r->dst_slice = dst_slice;
	r->src_row = src_row;
	r->src_slice = src_slice;
	e->payload = r;
	e->fini = fini_free_payload;
	e->kind = VCL_CMD_HOST;
	e->run = run_rect;
	if ((dst_m && (err = vcl_event_keep_mem(e, dst_m))) ||
	    (src_m && (err = vcl_event_keep_mem(e, src_m)))) {
		vcl_event_abort(e);
		return err;
	}
	return vcl_enqueue(e, blocking, event);
}

cl_int CL_API_CALL vclEnqueueReadBufferRect(
	cl_command_queue q, cl_mem m, cl_bool blocking,
	const size_t *buffer_origin, const size_t *host_origin,
	const size_t *region, size_t buffer_row_pitch,
	size_t buffer_slice_pitch, size_t host_row_pitch,
	size_t host_slice_pitch, void *ptr, cl_uint num_wait,
	const cl_event *wait, cl_event *event)
{
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = check_mem(q, m);
	if (err)
		return err;
	if (m->flags & (CL_MEM_HOST_NO_ACCESS | CL_MEM_HOST_WRITE_ONLY))
		return CL_INVALID_OPERATION;
	return enqueue_rect(q, CL_COMMAND_READ_BUFFER_RECT, NULL, m, blocking,
			    ptr, m->addr, host_origin, buffer_origin, region,
			    host_row_pitch, host_slice_pitch, buffer_row_pitch,
			    buffer_slice_pitch, num_wait, wait, event);
}

cl_int CL_API_CALL vclEnqueueWriteBufferRect(
	cl_command_queue q, cl_mem m, cl_bool blocking,
	const size_t *buffer_origin, const size_t *host_origin,
	const size_t *region, size_t buffer_row_pitch,
	size_t buffer_slice_pitch, size_t host_row_pitch,
	size_t host_slice_pitch, const void *ptr, cl_uint num_wait,
	const cl_event *wait, cl_event *event)
{
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = check_mem(q, m);
	if (err)
		return err;
	if (m->flags & (CL_MEM_HOST_NO_ACCESS | CL_MEM_HOST_READ_ONLY))
		return CL_INVALID_OPERATION;
	return enqueue_rect(q, CL_COMMAND_WRITE_BUFFER_RECT, m, NULL, blocking,
			    m->addr, ptr, buffer_origin, host_origin, region,
			    buffer_row_pitch, buffer_slice_pitch, host_row_pitch,
			    host_slice_pitch, num_wait, wait, event);
}

cl_int CL_API_CALL vclEnqueueCopyBufferRect(
	cl_command_queue q, cl_mem src, cl_mem dst, const size_t *src_origin,
	const size_t *dst_origin, const size_t *region, size_t src_row_pitch,
	size_t src_slice_pitch, size_t dst_row_pitch, size_t dst_slice_pitch,
	cl_uint num_wait, const cl_event *wait, cl_event *event)
{
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = check_mem(q, src);
	if (!err)
		err = check_mem(q, dst);
	if (err)
		return err;
	return enqueue_rect(q, CL_COMMAND_COPY_BUFFER_RECT, dst, src, false,
			    dst->addr, src->addr, dst_origin, src_origin,
			    region, dst_row_pitch, dst_slice_pitch,
			    src_row_pitch, src_slice_pitch, num_wait, wait,
			    event);
}

/* ------------------------------------------------------------------ */
/* Migration (vsvm PREFETCH)                                           */

struct range {
	uint64_t start, size;
};

struct migrate {
	bool to_host;
	size_t n;
	struct range r[];
};

static void prefetch(struct vsvm_device *vdev, const struct range *r,
		     uint32_t loc)
{
	int err;

	do {
		err = vsvm_prefetch(vdev, r->start, r->size, loc, NULL);
	} while (err == -EINTR);
	/*
	 * A migration is a placement hint: no VRAM (-ENODEV), a range larger
	 * than the VRAM (-ENOSPC) or pages that cannot move leave the memory
	 * where it is, which is correct, only slower.
	 */
}

static cl_int run_migrate(cl_event e)
{
	const struct migrate *m = e->payload;
	cl_context ctx = e->ctx;
	size_t i;
	cl_uint d;

	for (i = 0; i < m->n; i++) {
		if (!m->to_host) {
			prefetch(e->queue->dev->vdev, &m->r[i], DRM_VSVM_LOC_DEVICE);
			continue;
		}
		/* Back from wherever it is: each device moves its own pages. */
		for (d = 0; d < ctx->num_devices; d++)
			if (ctx->devices[d]->vram_size)
				prefetch(ctx->devices[d]->vdev, &m->r[i],
					 DRM_VSVM_LOC_SYSTEM);
	}
	return CL_SUCCESS;
}

/*
 * The page-aligned range around [@p, @p + @size), kept inside the mapping
 * [@map, @map + @map_len) (page aligned itself).
 */
static struct range page_range(const char *p, size_t size, const char *map,
			       size_t map_len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t s = (uintptr_t)p & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + size + page - 1) & ~(page - 1);
	struct range r;

	if (s < (uintptr_t)map)
		s = (uintptr_t)map;
	if (end > (uintptr_t)map + map_len)
		end = (uintptr_t)map + map_len;
	r.start = s;
	r.size = end > s ? end - s : 0;
	return r;
}

cl_int CL_API_CALL vclEnqueueMigrateMemObjects(
	cl_command_queue q, cl_uint num, const cl_mem *mems,
	cl_mem_migration_flags flags, cl_uint num_wait, const cl_event *wait,
	cl_event *event)
{
	struct migrate *mig;
	cl_event e;
	cl_int err;
	cl_uint i;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	if (!num || !mems)
		return CL_INVALID_VALUE;
	for (i = 0; i < num; i++) {
		err = check_mem(q, mems[i]);
		if (err)
			return err;
	}
	if (flags & ~(cl_mem_migration_flags)(CL_MIGRATE_MEM_OBJECT_HOST |
			CL_MIGRATE_MEM_OBJECT_CONTENT_UNDEFINED))
		return CL_INVALID_VALUE;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	e = vcl_event_new(q, CL_COMMAND_MIGRATE_MEM_OBJECTS, num_wait, wait, &err);
	if (!e)
		return err;
	mig = calloc(1, sizeof(*mig) + num * sizeof(mig->r[0]));
	if (!mig) {
		vcl_event_abort(e);
		return CL_OUT_OF_HOST_MEMORY;
	}
	mig->to_host = flags & CL_MIGRATE_MEM_OBJECT_HOST;
	for (i = 0; i < num; i++) {
		cl_mem r = root_of(mems[i]);

		/* Only memory of our own: the application's may be anything. */
		if (!r->owned)
			continue;
		mig->r[mig->n++] = page_range(mems[i]->addr, mems[i]->size,
					      r->addr, r->map_len);
		err = vcl_event_keep_mem(e, mems[i]);
		if (err)
			break;
	}
	e->payload = mig;
	e->fini = fini_free_payload;
	e->kind = VCL_CMD_HOST;
	e->run = run_migrate;
	if (err) {
		vcl_event_abort(e);
		return err;
	}
	return vcl_enqueue(e, false, event);
}

/* ------------------------------------------------------------------ */
/* SVM commands                                                        */

cl_int CL_API_CALL vclEnqueueSVMMemcpy(cl_command_queue q, cl_bool blocking,
				       void *dst, const void *src, size_t size,
				       cl_uint num_wait, const cl_event *wait,
				       cl_event *event)
{
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!dst || !src)
		return CL_INVALID_VALUE;
	if (overlap(dst, src, size))
		return CL_MEM_COPY_OVERLAP;
	e = vcl_event_new(q, CL_COMMAND_SVM_MEMCPY, num_wait, wait, &err);
	if (!e)
		return err;
	err = gpu_copy(e, dst, src, size);
	if (err) {
		vcl_event_abort(e);
		return err;
	}
	return vcl_enqueue(e, blocking, event);
}

cl_int CL_API_CALL vclEnqueueSVMMemFill(cl_command_queue q, void *ptr,
					const void *pattern, size_t ps,
					size_t size, cl_uint num_wait,
					const cl_event *wait, cl_event *event)
{
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!ptr || !pattern || !pattern_size_ok(ps) ||
	    (uintptr_t)ptr % ps || size % ps)
		return CL_INVALID_VALUE;
	e = vcl_event_new(q, CL_COMMAND_SVM_MEMFILL, num_wait, wait, &err);
	if (!e)
		return err;
	err = gpu_fill(e, ptr, pattern, ps, size);
	if (err) {
		vcl_event_abort(e);
		return err;
	}
	return vcl_enqueue(e, false, event);
}

cl_int CL_API_CALL vclEnqueueSVMMap(cl_command_queue q, cl_bool blocking,
				    cl_map_flags flags, void *ptr, size_t size,
				    cl_uint num_wait, const cl_event *wait,
				    cl_event *event)
{
	const cl_map_flags known = CL_MAP_READ | CL_MAP_WRITE |
				   CL_MAP_WRITE_INVALIDATE_REGION;
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!ptr || !size || (flags & ~known) ||
	    ((flags & CL_MAP_WRITE_INVALIDATE_REGION) &&
	     (flags & (CL_MAP_READ | CL_MAP_WRITE))))
		return CL_INVALID_VALUE;
	e = vcl_event_new(q, CL_COMMAND_SVM_MAP, num_wait, wait, &err);
	if (!e)
		return err;
	/* The memory is the host's already: a synchronization point only. */
	e->kind = VCL_CMD_NOP;
	return vcl_enqueue(e, blocking, event);
}

cl_int CL_API_CALL vclEnqueueSVMUnmap(cl_command_queue q, void *ptr,
				      cl_uint num_wait, const cl_event *wait,
				      cl_event *event)
{
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!ptr)
		return CL_INVALID_VALUE;
	e = vcl_event_new(q, CL_COMMAND_SVM_UNMAP, num_wait, wait, &err);
	if (!e)
		return err;
	e->kind = VCL_CMD_NOP;
	return vcl_enqueue(e, false, event);
}

struct svm_free {
	void (CL_CALLBACK *fn)(cl_command_queue, cl_uint, void **, void *);
	void *data;
	cl_uint n;
	void *ptrs[];
};

static cl_int run_svm_free(cl_event e)
{
	struct svm_free *f = e->payload;
	cl_uint i;

	if (f->fn) {
		f->fn(e->queue, f->n, f->ptrs, f->data);
		return CL_SUCCESS;
	}
	for (i = 0; i < f->n; i++)
		vcl_svm_free(e->ctx, f->ptrs[i]);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclEnqueueSVMFree(
	cl_command_queue q, cl_uint n, void *ptrs[],
	void (CL_CALLBACK *fn)(cl_command_queue, cl_uint, void **, void *),
	void *data, cl_uint num_wait, const cl_event *wait, cl_event *event)
{
	struct svm_free *f;
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	if ((!n && ptrs) || (!ptrs && n))
		return CL_INVALID_VALUE;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	e = vcl_event_new(q, CL_COMMAND_SVM_FREE, num_wait, wait, &err);
	if (!e)
		return err;
	f = malloc(sizeof(*f) + n * sizeof(void *));
	if (!f) {
		vcl_event_abort(e);
		return CL_OUT_OF_HOST_MEMORY;
	}
	f->fn = fn;
	f->data = data;
	f->n = n;
	if (n)
		memcpy(f->ptrs, ptrs, n * sizeof(void *));
	e->payload = f;
	e->fini = fini_free_payload;
	e->kind = VCL_CMD_HOST;
	e->run = run_svm_free;
	return vcl_enqueue(e, false, event);
}

cl_int CL_API_CALL vclEnqueueSVMMigrateMem(
	cl_command_queue q, cl_uint n, const void **ptrs, const size_t *sizes,
	cl_mem_migration_flags flags, cl_uint num_wait, const cl_event *wait,
	cl_event *event)
{
	struct migrate *mig;
	cl_event e;
	cl_int err;
	cl_uint i;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	if (!n || !ptrs)
		return CL_INVALID_VALUE;
	if (flags & ~(cl_mem_migration_flags)(CL_MIGRATE_MEM_OBJECT_HOST |
			CL_MIGRATE_MEM_OBJECT_CONTENT_UNDEFINED))
		return CL_INVALID_VALUE;
	mig = calloc(1, sizeof(*mig) + n * sizeof(mig->r[0]));
	if (!mig)
		return CL_OUT_OF_HOST_MEMORY;
	mig->to_host = flags & CL_MIGRATE_MEM_OBJECT_HOST;
	for (i = 0; i < n; i++) {
		size_t size = sizes ? sizes[i] : 0;
		struct vcl_svm s;

		if (!vcl_svm_find(q->ctx, ptrs[i], size, &s)) {
			free(mig);
			return CL_INVALID_VALUE;
		}
		if (!size)
			mig->r[mig->n++] = page_range(s.base, s.size, s.map,
						      s.map_len);
		else
			mig->r[mig->n++] = page_range(ptrs[i], size, s.map,
						      s.map_len);
	}
	e = vcl_event_new(q, CL_COMMAND_SVM_MIGRATE_MEM, num_wait, wait, &err);
	if (!e) {
		free(mig);
		return err;
	}
	/*
	 * CL_MIGRATE_MEM_OBJECT_CONTENT_UNDEFINED allows dropping the
	 * contents; keeping them is allowed too, and is what happens.
	 */
	e->payload = mig;
	e->fini = fini_free_payload;
	e->kind = VCL_CMD_HOST;
	e->run = run_migrate;
	return vcl_enqueue(e, false, event);
}
