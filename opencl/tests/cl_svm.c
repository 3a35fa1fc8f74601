// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * cl_svm: the semantics of each OpenCL-CTS SVM test (test_conformance/SVM),
 * in programs of our own, on every device of the platform at once where
 * the CTS test uses them all:
 *
 *   byte_granularity       FINE_GRAIN_BUFFER: host and devices write
 *                          interleaved bytes at the same time, none lost
 *   exec_info_svm_ptrs     data reached only through pointers stored in
 *                          SVM, with CL_KERNEL_EXEC_INFO_SVM_PTRS set and
 *                          cleared
 *   hash_table             FINE_GRAIN_BUFFER+ATOMICS: host threads and all
 *                          devices insert into one lock-free hash table
 *   sync_buffers           FINE_GRAIN_BUFFER+ATOMICS: a kernel and the host
 *                          hand a token back and forth while it runs
 *   list_system            FINE_GRAIN_SYSTEM: a list built in malloc'd
 *                          memory by one device, checked by the other and
 *                          by the host
 *   list_fine_buffers      the same in fine-grain SVM buffers
 *   list_coarse_old_api    coarse buffers, host access by clEnqueueMapBuffer
 *   list_coarse_new_api    coarse buffers, host access by clEnqueueSVMMap
 *   cross_buffer_pointers  nodes in two allocations pointing at each other
 *   shared_sub_buffers     sub-buffers of a cl_mem over an SVM pointer
 *   pointer_passing        every byte offset by clSetKernelArgSVMPointer
 *   migrate                clEnqueueSVMMigrateMem between two queues around
 *                          kernels that use the data
 *
 * The atomics kernels are a program of their own: a platform without
 * memory_scope_all_svm_devices (pocl 3.1) fails to build just those.
 */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "clt.h"

static const char base_src[] =
"typedef struct node { global struct node *next; uint value; } node_t;\n"
"kernel void write_bytes(global uchar *p, uint stride, uint which, uchar val)\n"
"{\n"
"	p[get_global_id(0) * stride + which] = val;\n"
"}\n"
"kernel void check_bytes(global const uchar *p, uint stride, global uint *bad)\n"
"{\n"
"	size_t i = get_global_id(0);\n"
"	if (p[i] != (uchar)(i % stride + 1))\n"
"		atomic_inc(bad);\n"
"}\n"
"typedef struct { global uint *ptr; } holder_t;\n"
"kernel void sum_through(global holder_t *h, uint n, global uint *out)\n"
"{\n"
"	uint s = 0;\n"
"	for (uint i = 0; i < n; i++)\n"
"		s += *h[i].ptr;\n"
"	out[get_global_id(0)] = s;\n"
"}\n"
"kernel void build_list(global node_t *a, global node_t *b, uint n,\n"
"		       global node_t *global *head)\n"
"{\n"
"	global node_t *prev = 0;\n"
"	for (uint i = 0; i < n; i++) {\n"
"		global node_t *nd = (i & 1) ? &b[i / 2] : &a[i / 2];\n"
"		nd->value = i * 7 + 1;\n"
"		nd->next = 0;\n"
"		if (prev)\n"
"			prev->next = nd;\n"
"		else\n"
"			*head = nd;\n"
"		prev = nd;\n"
"	}\n"
"}\n"
"kernel void check_list(global node_t *global *head, uint n, global uint *res)\n"
"{\n"
"	uint count = 0, bad = 0;\n"
"	for (global node_t *nd = *head; nd && count <= n; nd = nd->next) {\n"
"		if (nd->value != count * 7 + 1)\n"
"			bad++;\n"
"		count++;\n"
"	}\n"
"	res[0] = count;\n"
"	res[1] = bad;\n"
"}\n"
"kernel void read_byte(global const uchar *p, global uchar *out, uint idx)\n"
"{\n"
"	out[idx] = *p;\n"
"}\n"
"kernel void xor_words(global uint *a, uint key)\n"
"{\n"
"	a[get_global_id(0)] ^= key;\n"
"}\n"
"kernel void link_halves(global node_t *lo, global node_t *hi, uint n)\n"
"{\n"
"	size_t i = get_global_id(0);\n"
"	lo[i].value = (uint)i;\n"
"	lo[i].next = &hi[i];\n"
"	hi[i].value = (uint)(i + n);\n"
"	hi[i].next = i + 1 < n ? &lo[i + 1] : 0;\n"
"}\n";

static const char atomic_src[] =
"kernel void hash_insert(global atomic_uint *table, uint size, uint first)\n"
"{\n"
"	uint key = first + (uint)get_global_id(0);\n"
"	uint h = (key * 2654435761u) % size;\n"
"	for (uint probe = 0; probe < size; probe++) {\n"
"		uint expected = 0;\n"
"		if (atomic_compare_exchange_strong_explicit(&table[h], &expected, key,\n"
"				memory_order_acq_rel, memory_order_acquire,\n"
"				memory_scope_all_svm_devices) || expected == key)\n"
"			return;\n"
"		h = (h + 1) % size;\n"
"	}\n"
"}\n"
"kernel void ping_pong(global atomic_uint *flag, global atomic_uint *hits, uint rounds)\n"
"{\n"
"	for (uint r = 0; r < rounds; r++) {\n"
"		/* odd: the device's turn is over; even: the host handed back */\n"
"		atomic_fetch_add_explicit(flag, 1, memory_order_acq_rel,\n"
"					  memory_scope_all_svm_devices);\n"
"		while (atomic_load_explicit(flag, memory_order_acquire,\n"
"					    memory_scope_all_svm_devices) != 2 * r + 2)\n"
"			;\n"
"		atomic_exchange_explicit(hits, r + 1, memory_order_release,\n"
"					 memory_scope_all_svm_devices);\n"
"	}\n"
"}\n";

static cl_program base_prog, atomic_prog;
static cl_int base_err = 1, atomic_err = 1;
static char base_log[512], atomic_log[512];

/* The programs, built once (compiling is the slow part under TCG). */
static cl_program get_prog(struct clt *t, bool atomics)
{
	cl_program *p = atomics ? &atomic_prog : &base_prog;
	cl_int *err = atomics ? &atomic_err : &base_err;
	char *log = atomics ? atomic_log : base_log;

	if (*err == 1) {
		*p = clt_build(t, atomics ? atomic_src : base_src, "-cl-std=CL2.0", err);
		snprintf(log, sizeof(base_log), "%s", clt_reason);
	}
	if (!*p)
		snprintf(clt_reason, sizeof(clt_reason), "%.500s", log);
	return *p;
}

static cl_kernel get_kernel(struct clt *t, bool atomics, const char *name)
{
	cl_program p = get_prog(t, atomics);
	cl_kernel k;
	cl_int err;

	if (!p)
		return NULL;
	k = clCreateKernel(p, name, &err);
	if (!k)
		snprintf(clt_reason, sizeof(clt_reason), "clCreateKernel(%s): %s", name,
			 clt_err(err));
	return k;
}

#define KERNEL(k, atomics, name) \
	do { \
		k = get_kernel(t, atomics, name); \
		if (!k) \
			return CLT_FAIL; \
	} while (0)

#define NEED(caps, what) \
	do { \
		if ((t->svm & (caps)) != (caps)) \
			SKIP("the devices lack %s", what); \
	} while (0)

static cl_int run1(cl_command_queue q, cl_kernel k, size_t n, cl_event *e)
{
	return clEnqueueNDRangeKernel(q, k, 1, NULL, &n, NULL, 0, NULL, e);
}

/* ------------------------------------------------------------------ */

struct host_bytes {
	unsigned char *p;
	size_t n, stride;
};

static void *host_write_bytes(void *arg)
{
	struct host_bytes *h = arg;
	size_t i;

	for (i = 0; i < h->n; i += h->stride)
		__atomic_store_n(&h->p[i], 1, __ATOMIC_RELAXED);
	return NULL;
}

static int t_byte_granularity(struct clt *t)
{
	enum { N = 4096 };
	cl_uint stride = t->ndev + 1, d, *bad;
	struct host_bytes hb;
	unsigned char *p;
	cl_kernel w, c;
	pthread_t th;
	size_t i;

	NEED(CL_DEVICE_SVM_FINE_GRAIN_BUFFER, "FINE_GRAIN_BUFFER");
	KERNEL(w, false, "write_bytes");
	KERNEL(c, false, "check_bytes");
	p = clSVMAlloc(t->ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER, N, 0);
	bad = clSVMAlloc(t->ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER, sizeof(cl_uint), 0);
	CHECK(p && bad);
	memset(p, 0, N);
	/* Byte i belongs to the host if i % stride == 0, else device i % stride - 1. */
	for (d = 0; d < t->ndev; d++) {
		cl_uint which = d + 1;
		cl_uchar val = (cl_uchar)(d + 2);

		CHECK_OK(clSetKernelArgSVMPointer(w, 0, p));
		CHECK_OK(clSetKernelArg(w, 1, sizeof(stride), &stride));
		CHECK_OK(clSetKernelArg(w, 2, sizeof(which), &which));
		CHECK_OK(clSetKernelArg(w, 3, sizeof(val), &val));
		CHECK_OK(run1(t->q[d], w, N / stride - 1, NULL));
		CHECK_OK(clFlush(t->q[d]));
	}
	hb.p = p;
	hb.n = N;
	hb.stride = stride;
	CHECK(!pthread_create(&th, NULL, host_write_bytes, &hb));
	pthread_join(th, NULL);
	for (d = 0; d < t->ndev; d++)
		CHECK_OK(clFinish(t->q[d]));
	for (i = 0; i < (N / stride - 1) * stride; i++)
		if (p[i] != i % stride + 1)
			FAIL("host sees byte %zu = %u, expected %zu", i, p[i], i % stride + 1);
	/* And each device sees everyone's bytes. */
	for (d = 0; d < t->ndev; d++) {
		*bad = 0;
		CHECK_OK(clSetKernelArgSVMPointer(c, 0, p));
		CHECK_OK(clSetKernelArg(c, 1, sizeof(stride), &stride));
		CHECK_OK(clSetKernelArgSVMPointer(c, 2, bad));
		CHECK_OK(run1(t->q[d], c, (N / stride - 1) * stride, NULL));
		CHECK_OK(clFinish(t->q[d]));
		if (*bad)
			FAIL("device %u sees %u wrong bytes", d, *bad);
	}
	clReleaseKernel(w);
	clReleaseKernel(c);
	clSVMFree(t->ctx, p);
	clSVMFree(t->ctx, bad);
	return 0;
}

static int t_exec_info_svm_ptrs(struct clt *t)
{
	enum { N = 8 };
	struct { cl_uint *ptr; } *h;
	cl_uint *vals[N], *out, i, n = N, sum = 0;
	cl_bool fgs = CL_FALSE;
	cl_kernel k;
	int pass;

	NEED(CL_DEVICE_SVM_COARSE_GRAIN_BUFFER, "COARSE_GRAIN_BUFFER");
	KERNEL(k, false, "sum_through");
	h = clSVMAlloc(t->ctx, 0, sizeof(*h) * N, 0);
	out = clSVMAlloc(t->ctx, 0, sizeof(cl_uint) * 4, 0);
	CHECK(h && out);
	CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_WRITE, h, sizeof(*h) * N, 0, NULL, NULL));
	for (i = 0; i < N; i++) {
		vals[i] = clSVMAlloc(t->ctx, 0, 64, 0);
		CHECK(vals[i]);
		CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_WRITE, vals[i], 64, 0, NULL, NULL));
		*vals[i] = i * i + 3;
		sum += i * i + 3;
		CHECK_OK(clEnqueueSVMUnmap(t->q[0], vals[i], 0, NULL, NULL));
		h[i].ptr = vals[i];
	}
	CHECK_OK(clEnqueueSVMUnmap(t->q[0], h, 0, NULL, NULL));
	CHECK_OK(clSetKernelArgSVMPointer(k, 0, h));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(n), &n));
	CHECK_OK(clSetKernelArgSVMPointer(k, 2, out));
	/* Only the coarse buffers reached indirectly: no system access. */
	if (!(t->svm & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM))
		CHECK_ERR(clSetKernelExecInfo(k, CL_KERNEL_EXEC_INFO_SVM_FINE_GRAIN_SYSTEM,
					      sizeof(fgs), &(cl_bool){ CL_TRUE }),
			  CL_INVALID_OPERATION);
	CHECK_OK(clSetKernelExecInfo(k, CL_KERNEL_EXEC_INFO_SVM_FINE_GRAIN_SYSTEM, sizeof(fgs), &fgs));
	for (pass = 0; pass < 2; pass++) {
		cl_uint d;

		if (pass == 0)
			CHECK_OK(clSetKernelExecInfo(k, CL_KERNEL_EXEC_INFO_SVM_PTRS,
						     sizeof(vals), vals));
		else	/* cleared: the pointers must still be usable as arguments */
			CHECK_OK(clSetKernelExecInfo(k, CL_KERNEL_EXEC_INFO_SVM_PTRS, 0, NULL));
		if (pass == 1)
			break;
		for (d = 0; d < t->ndev; d++) {
			CHECK_OK(clEnqueueSVMMemFill(t->q[d], out, &(cl_uint){ 0 }, 4, 16, 0, NULL, NULL));
			CHECK_OK(run1(t->q[d], k, 1, NULL));
			CHECK_OK(clEnqueueSVMMap(t->q[d], CL_TRUE, CL_MAP_READ, out, 16, 0, NULL, NULL));
			if (out[0] != sum)
				FAIL("device %u: sum %u, expected %u", d, out[0], sum);
			CHECK_OK(clEnqueueSVMUnmap(t->q[d], out, 0, NULL, NULL));
			CHECK_OK(clFinish(t->q[d]));
		}
	}
	CHECK_ERR(clSetKernelExecInfo(k, CL_KERNEL_EXEC_INFO_SVM_PTRS, 3, vals), CL_INVALID_VALUE);
	CHECK_ERR(clSetKernelExecInfo(k, 0x7777, sizeof(vals), vals), CL_INVALID_VALUE);
	CHECK_ERR(clSetKernelExecInfo(k, CL_KERNEL_EXEC_INFO_SVM_FINE_GRAIN_SYSTEM, 1, &fgs),
		  CL_INVALID_VALUE);
	clReleaseKernel(k);
	for (i = 0; i < N; i++)
		clSVMFree(t->ctx, vals[i]);
	clSVMFree(t->ctx, h);
	clSVMFree(t->ctx, out);
	return 0;
}

/* ------------------------------------------------------------------ */

static uint32_t hash_of(uint32_t key, uint32_t size)
{
	return (uint32_t)((key * 2654435761u) % size);
}

struct host_hash {
	uint32_t *table, size, first, n;
};

static void *host_insert(void *arg)
{
	struct host_hash *h = arg;
	uint32_t i;

	for (i = 0; i < h->n; i++) {
		uint32_t key = h->first + i, s = hash_of(key, h->size), probe;

		for (probe = 0; probe < h->size; probe++) {
			uint32_t expected = 0;

			if (__atomic_compare_exchange_n(&h->table[s], &expected, key, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ||
			    expected == key)
				break;
			s = (s + 1) % h->size;
		}
	}
	return NULL;
}

static int t_hash_table(struct clt *t)
{
	enum { PER_DEV = 512, HOST = 512, SIZE = 4096 };
	uint32_t *table, *seen, total, i, d;
	struct host_hash hh;
	pthread_t th;
	cl_kernel k;

	NEED(CL_DEVICE_SVM_FINE_GRAIN_BUFFER | CL_DEVICE_SVM_ATOMICS,
	     "FINE_GRAIN_BUFFER and ATOMICS");
	KERNEL(k, true, "hash_insert");
	table = clSVMAlloc(t->ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER | CL_MEM_SVM_ATOMICS,
			   SIZE * sizeof(uint32_t), 0);
	CHECK(table);
	memset(table, 0, SIZE * sizeof(uint32_t));
	/* Keys 1..HOST from the host, then PER_DEV for each device. */
	for (d = 0; d < t->ndev; d++) {
		cl_uint size = SIZE, first = HOST + 1 + d * PER_DEV;

		CHECK_OK(clSetKernelArgSVMPointer(k, 0, table));
		CHECK_OK(clSetKernelArg(k, 1, sizeof(size), &size));
		CHECK_OK(clSetKernelArg(k, 2, sizeof(first), &first));
		CHECK_OK(run1(t->q[d], k, PER_DEV, NULL));
		CHECK_OK(clFlush(t->q[d]));
	}
	hh.table = table;
	hh.size = SIZE;
	hh.first = 1;
	hh.n = HOST;
	CHECK(!pthread_create(&th, NULL, host_insert, &hh));
	pthread_join(th, NULL);
	for (d = 0; d < t->ndev; d++)
		CHECK_OK(clFinish(t->q[d]));
	total = HOST + t->ndev * PER_DEV;
	seen = calloc(total + 1, sizeof(*seen));
	for (i = 0; i < SIZE; i++) {
		if (!table[i])
			continue;
		if (table[i] > total)
			FAIL("slot %u holds %u: never inserted", i, table[i]);
		if (seen[table[i]]++)
			FAIL("key %u inserted twice", table[i]);
	}
	for (i = 1; i <= total; i++)
		if (!seen[i])
			FAIL("key %u lost (%s)", i, i <= HOST ? "host's" : "a device's");
	free(seen);
	clReleaseKernel(k);
	clSVMFree(t->ctx, table);
	return 0;
}

static int t_sync_buffers(struct clt *t)
{
	const cl_uint rounds = 4;
	cl_uint *flag, *hits, r, d;
	cl_int status;
	cl_kernel k;
	cl_event e;

	NEED(CL_DEVICE_SVM_FINE_GRAIN_BUFFER | CL_DEVICE_SVM_ATOMICS,
	     "FINE_GRAIN_BUFFER and ATOMICS");
	KERNEL(k, true, "ping_pong");
	flag = clSVMAlloc(t->ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER | CL_MEM_SVM_ATOMICS, 64, 0);
	hits = clSVMAlloc(t->ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER | CL_MEM_SVM_ATOMICS, 64, 0);
	CHECK(flag && hits);
	for (d = 0; d < t->ndev; d++) {
		__atomic_store_n(flag, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(hits, 0, __ATOMIC_SEQ_CST);
		CHECK_OK(clSetKernelArgSVMPointer(k, 0, flag));
		CHECK_OK(clSetKernelArgSVMPointer(k, 1, hits));
		CHECK_OK(clSetKernelArg(k, 2, sizeof(rounds), &rounds));
		CHECK_OK(run1(t->q[d], k, 1, &e));
		CHECK_OK(clFlush(t->q[d]));
		for (r = 0; r < rounds; r++) {
			double t0 = clt_now();

			/* The kernel's turn: it makes the flag odd... */
			while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != 2 * r + 1) {
				if (clt_now() - t0 > 120)
					FAIL("device %u, round %u: no signal from the running kernel (flag %u)",
					     d, r, __atomic_load_n(flag, __ATOMIC_ACQUIRE));
				usleep(100);
			}
			/* ...which it could not do if it were not running. */
			CHECK_OK(clGetEventInfo(e, CL_EVENT_COMMAND_EXECUTION_STATUS,
						sizeof(status), &status, NULL));
			CHECK(status != CL_COMPLETE);
			if (r && __atomic_load_n(hits, __ATOMIC_ACQUIRE) != r)
				FAIL("round %u: the kernel's exchange is not visible", r);
			__atomic_exchange_n(flag, 2 * r + 2, __ATOMIC_ACQ_REL);
		}
		CHECK_OK(clWaitForEvents(1, &e));
		CHECK(*hits == rounds);
		clReleaseEvent(e);
	}
	clReleaseKernel(k);
	clSVMFree(t->ctx, flag);
	clSVMFree(t->ctx, hits);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Linked lists across devices                                         */

struct node {
	struct node *next;
	cl_uint value;
};

enum list_mem { LIST_SYSTEM, LIST_FINE, LIST_COARSE_OLD, LIST_COARSE_NEW };

static int check_host_list(struct node *head, cl_uint n)
{
	cl_uint count = 0;

	for (; head && count <= n; head = head->next, count++)
		if (head->value != count * 7 + 1)
			FAIL("host: node %u holds %u", count, head->value);
	if (count != n)
		FAIL("host: %u nodes, expected %u", count, n);
	return 0;
}

/*
 * Device 0 builds a list alternating between two allocations; every
 * device walks it, then the host.
 */
static int list_test(struct clt *t, enum list_mem kind)
{
	enum { N = 200 };
	size_t pool = (N / 2 + 1) * sizeof(struct node);
	struct node *a, *b, **head;
	cl_uint *res, n = N, d;
	cl_mem ma = NULL, mhead = NULL, mres = NULL;
	cl_kernel bk, ck;
	cl_int err;

	KERNEL(bk, false, "build_list");
	KERNEL(ck, false, "check_list");
	if (kind == LIST_SYSTEM) {
		a = aligned_alloc(64, pool);
		b = aligned_alloc(64, pool);
		head = malloc(sizeof(*head));
		res = malloc(2 * sizeof(cl_uint));
	} else {
		cl_svm_mem_flags f = kind == LIST_FINE ? CL_MEM_SVM_FINE_GRAIN_BUFFER : 0;

		a = clSVMAlloc(t->ctx, f, pool, 0);
		b = clSVMAlloc(t->ctx, f, pool, 0);
		head = clSVMAlloc(t->ctx, f, sizeof(*head), 0);
		res = clSVMAlloc(t->ctx, f, 2 * sizeof(cl_uint), 0);
	}
	CHECK(a && b && head && res);
	if (kind == LIST_COARSE_OLD) {
		/* cl_mem objects over the SVM pointers, for clEnqueueMapBuffer */
		ma = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR, pool, a, &err);
		CHECK_OK(err);
		mhead = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR, sizeof(*head), head, &err);
		CHECK_OK(err);
		mres = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR, 2 * sizeof(cl_uint), res, &err);
		CHECK_OK(err);
	}
	CHECK_OK(clSetKernelArgSVMPointer(bk, 0, a));
	CHECK_OK(clSetKernelArgSVMPointer(bk, 1, b));
	CHECK_OK(clSetKernelArg(bk, 2, sizeof(n), &n));
	CHECK_OK(clSetKernelArgSVMPointer(bk, 3, head));
	if (kind != LIST_SYSTEM)
		CHECK_OK(clSetKernelExecInfo(bk, CL_KERNEL_EXEC_INFO_SVM_PTRS,
					     2 * sizeof(void *), (void *[]){ a, b }));
	CHECK_OK(run1(t->q[0], bk, 1, NULL));
	CHECK_OK(clFinish(t->q[0]));
	for (d = 0; d < t->ndev; d++) {
		cl_uint *r = res;

		CHECK_OK(clSetKernelArgSVMPointer(ck, 0, head));
		CHECK_OK(clSetKernelArg(ck, 1, sizeof(n), &n));
		CHECK_OK(clSetKernelArgSVMPointer(ck, 2, res));
		if (kind != LIST_SYSTEM)
			CHECK_OK(clSetKernelExecInfo(ck, CL_KERNEL_EXEC_INFO_SVM_PTRS,
						     2 * sizeof(void *), (void *[]){ a, b }));
		CHECK_OK(run1(t->q[d], ck, 1, NULL));
		if (kind == LIST_COARSE_OLD) {
			r = clEnqueueMapBuffer(t->q[d], mres, CL_TRUE, CL_MAP_READ, 0,
					       2 * sizeof(cl_uint), 0, NULL, NULL, &err);
			CHECK_OK(err);
		} else if (kind == LIST_COARSE_NEW) {
			CHECK_OK(clEnqueueSVMMap(t->q[d], CL_TRUE, CL_MAP_READ, res,
						 2 * sizeof(cl_uint), 0, NULL, NULL));
		} else {
			CHECK_OK(clFinish(t->q[d]));
		}
		if (r[0] != N || r[1])
			FAIL("device %u walked %u nodes, %u wrong", d, r[0], r[1]);
		if (kind == LIST_COARSE_OLD)
			CHECK_OK(clEnqueueUnmapMemObject(t->q[d], mres, r, 0, NULL, NULL));
		else if (kind == LIST_COARSE_NEW)
			CHECK_OK(clEnqueueSVMUnmap(t->q[d], res, 0, NULL, NULL));
		CHECK_OK(clFinish(t->q[d]));
	}
	/* The host walks it too (mapping whole allocations when coarse). */
	if (kind == LIST_COARSE_OLD) {
		void *p1 = clEnqueueMapBuffer(t->q[0], ma, CL_TRUE, CL_MAP_READ, 0, pool,
					      0, NULL, NULL, &err);
		void *p2 = clEnqueueMapBuffer(t->q[0], mhead, CL_TRUE, CL_MAP_READ, 0,
					      sizeof(*head), 0, NULL, NULL, &err);

		CHECK(p1 == a && p2 == head);
		CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_READ, b, pool, 0, NULL, NULL));
		if (check_host_list(*head, N))
			return CLT_FAIL;
		CHECK_OK(clEnqueueUnmapMemObject(t->q[0], ma, p1, 0, NULL, NULL));
		CHECK_OK(clEnqueueUnmapMemObject(t->q[0], mhead, p2, 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMUnmap(t->q[0], b, 0, NULL, NULL));
	} else if (kind == LIST_COARSE_NEW) {
		CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_READ, a, pool, 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_READ, b, pool, 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_READ, head, sizeof(*head),
					 0, NULL, NULL));
		if (check_host_list(*head, N))
			return CLT_FAIL;
		CHECK_OK(clEnqueueSVMUnmap(t->q[0], a, 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMUnmap(t->q[0], b, 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMUnmap(t->q[0], head, 0, NULL, NULL));
	} else if (check_host_list(*head, N)) {
		return CLT_FAIL;
	}
	CHECK_OK(clFinish(t->q[0]));
	if (ma) {
		clReleaseMemObject(ma);
		clReleaseMemObject(mhead);
		clReleaseMemObject(mres);
	}
	if (kind == LIST_SYSTEM) {
		free(a);
		free(b);
		free(head);
		free(res);
	} else {
		clSVMFree(t->ctx, a);
		clSVMFree(t->ctx, b);
		clSVMFree(t->ctx, head);
		clSVMFree(t->ctx, res);
	}
	clReleaseKernel(bk);
	clReleaseKernel(ck);
	return 0;
}

static int t_list_system(struct clt *t)
{
	NEED(CL_DEVICE_SVM_FINE_GRAIN_SYSTEM, "FINE_GRAIN_SYSTEM");
	return list_test(t, LIST_SYSTEM);
}

static int t_list_fine_buffers(struct clt *t)
{
	NEED(CL_DEVICE_SVM_FINE_GRAIN_BUFFER, "FINE_GRAIN_BUFFER");
	return list_test(t, LIST_FINE);
}

static int t_list_coarse_old_api(struct clt *t)
{
	NEED(CL_DEVICE_SVM_COARSE_GRAIN_BUFFER, "COARSE_GRAIN_BUFFER");
	return list_test(t, LIST_COARSE_OLD);
}

static int t_list_coarse_new_api(struct clt *t)
{
	NEED(CL_DEVICE_SVM_COARSE_GRAIN_BUFFER, "COARSE_GRAIN_BUFFER");
	return list_test(t, LIST_COARSE_NEW);
}

/* Nodes of one allocation point into another, both ways. */
static int t_cross_buffer_pointers(struct clt *t)
{
	enum { N = 64 };
	struct node *lo, *hi, *nd;
	cl_uint n = N, count = 0;
	cl_kernel k;

	NEED(CL_DEVICE_SVM_COARSE_GRAIN_BUFFER, "COARSE_GRAIN_BUFFER");
	KERNEL(k, false, "link_halves");
	lo = clSVMAlloc(t->ctx, 0, N * sizeof(*lo), 0);
	hi = clSVMAlloc(t->ctx, 0, N * sizeof(*hi), 0);
	CHECK(lo && hi);
	CHECK_OK(clSetKernelArgSVMPointer(k, 0, lo));
	CHECK_OK(clSetKernelArgSVMPointer(k, 1, hi));
	CHECK_OK(clSetKernelArg(k, 2, sizeof(n), &n));
	CHECK_OK(run1(t->q[t->ndev - 1], k, N, NULL));
	CHECK_OK(clEnqueueSVMMap(t->q[t->ndev - 1], CL_TRUE, CL_MAP_READ, lo, N * sizeof(*lo), 0, NULL, NULL));
	CHECK_OK(clEnqueueSVMMap(t->q[t->ndev - 1], CL_TRUE, CL_MAP_READ, hi, N * sizeof(*hi), 0, NULL, NULL));
	for (nd = lo; nd && count <= 2 * N; nd = nd->next, count++) {
		cl_uint want = count % 2 ? count / 2 + N : count / 2;

		if (nd->value != want)
			FAIL("node %u holds %u, expected %u", count, nd->value, want);
		if (nd != (count % 2 ? &hi[count / 2] : &lo[count / 2]))
			FAIL("node %u is at the wrong address", count);
	}
	CHECK(count == 2 * N);
	CHECK_OK(clEnqueueSVMUnmap(t->q[t->ndev - 1], lo, 0, NULL, NULL));
	CHECK_OK(clEnqueueSVMUnmap(t->q[t->ndev - 1], hi, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[t->ndev - 1]));
	clReleaseKernel(k);
	clSVMFree(t->ctx, lo);
	clSVMFree(t->ctx, hi);
	return 0;
}

/* Sub-buffers of a cl_mem over an SVM allocation, passed as cl_mem. */
static int t_shared_sub_buffers(struct clt *t)
{
	enum { N = 64 };
	size_t half = 4096;
	cl_buffer_region r0 = { 0, half }, r1 = { half, half };
	struct node *base, *nd;
	cl_mem whole, s0, s1;
	cl_mem_flags f;
	cl_uint n = N, count = 0;
	cl_bool uses;
	cl_kernel k;
	cl_int err;

	NEED(CL_DEVICE_SVM_COARSE_GRAIN_BUFFER, "COARSE_GRAIN_BUFFER");
	KERNEL(k, false, "link_halves");
	base = clSVMAlloc(t->ctx, CL_MEM_READ_WRITE, 2 * half, 0);
	CHECK(base);
	whole = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR | CL_MEM_READ_WRITE, 2 * half, base, &err);
	CHECK_OK(err);
	s0 = clCreateSubBuffer(whole, 0, CL_BUFFER_CREATE_TYPE_REGION, &r0, &err);
	CHECK_OK(err);
	s1 = clCreateSubBuffer(whole, 0, CL_BUFFER_CREATE_TYPE_REGION, &r1, &err);
	CHECK_OK(err);
	CHECK_OK(clGetMemObjectInfo(s1, CL_MEM_FLAGS, sizeof(f), &f, NULL));
	CHECK((f & CL_MEM_READ_WRITE) && (f & CL_MEM_USE_HOST_PTR));
	CHECK_OK(clGetMemObjectInfo(s1, CL_MEM_USES_SVM_POINTER, sizeof(uses), &uses, NULL));
	CHECK(uses);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(s0), &s0));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(s1), &s1));
	CHECK_OK(clSetKernelArg(k, 2, sizeof(n), &n));
	CHECK_OK(run1(t->q[0], k, N, NULL));
	CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_READ, base, 2 * half, 0, NULL, NULL));
	for (nd = base; nd && count <= 2 * N; nd = nd->next, count++)
		if (nd->value != (count % 2 ? count / 2 + N : count / 2))
			FAIL("node %u holds %u", count, nd->value);
	CHECK(count == 2 * N);
	CHECK((char *)base[1].next == (char *)base + half + sizeof(struct node));
	CHECK_OK(clEnqueueSVMUnmap(t->q[0], base, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(s0);
	clReleaseMemObject(s1);
	clReleaseMemObject(whole);
	clReleaseKernel(k);
	clSVMFree(t->ctx, base);
	return 0;
}

static int t_pointer_passing(struct clt *t)
{
	enum { N = 64 };
	unsigned char *p, *out;
	cl_kernel k;
	cl_uint i;

	NEED(CL_DEVICE_SVM_COARSE_GRAIN_BUFFER, "COARSE_GRAIN_BUFFER");
	KERNEL(k, false, "read_byte");
	p = clSVMAlloc(t->ctx, CL_MEM_READ_ONLY, N, 0);
	out = clSVMAlloc(t->ctx, CL_MEM_WRITE_ONLY, N, 0);
	CHECK(p && out);
	CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_WRITE, p, N, 0, NULL, NULL));
	for (i = 0; i < N; i++)
		p[i] = (unsigned char)(i * 5 + 9);
	CHECK_OK(clEnqueueSVMUnmap(t->q[0], p, 0, NULL, NULL));
	CHECK_OK(clEnqueueSVMMemFill(t->q[0], out, &(cl_uchar){ 0 }, 1, N, 0, NULL, NULL));
	for (i = 0; i < N; i++) {
		CHECK_OK(clSetKernelArgSVMPointer(k, 0, p + i));
		CHECK_OK(clSetKernelArgSVMPointer(k, 1, out));
		CHECK_OK(clSetKernelArg(k, 2, sizeof(i), &i));
		CHECK_OK(run1(t->q[0], k, 1, NULL));
	}
	CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_READ, out, N, 0, NULL, NULL));
	for (i = 0; i < N; i++)
		if (out[i] != (unsigned char)(i * 5 + 9))
			FAIL("offset %u: read %u", i, out[i]);
	CHECK_OK(clEnqueueSVMUnmap(t->q[0], out, 0, NULL, NULL));
	CHECK_ERR(clSetKernelArgSVMPointer(k, 3, p), CL_INVALID_ARG_INDEX);
	CHECK_ERR(clSetKernelArgSVMPointer(k, 2, p), CL_INVALID_ARG_VALUE);
	CHECK_OK(clFinish(t->q[0]));
	clReleaseKernel(k);
	clSVMFree(t->ctx, p);
	clSVMFree(t->ctx, out);
	return 0;
}

/* Migrate to each queue's device in turn, with a kernel using the data there. */
static int t_migrate(struct clt *t)
{
	enum { N = 16384 };
	static const cl_mem_migration_flags flags[] = {
		0, CL_MIGRATE_MEM_OBJECT_HOST, 0, CL_MIGRATE_MEM_OBJECT_HOST,
	};
	cl_uint *a, *exp = malloc(N * sizeof(cl_uint)), key, i, k;
	const void *ptrs[2];
	size_t sizes[2];
	cl_kernel x;

	NEED(CL_DEVICE_SVM_COARSE_GRAIN_BUFFER, "COARSE_GRAIN_BUFFER");
	KERNEL(x, false, "xor_words");
	a = clSVMAlloc(t->ctx, 0, N * sizeof(cl_uint), 0);
	CHECK(a);
	for (i = 0; i < N; i++)
		exp[i] = i * 0x9e3779b9u;
	CHECK_OK(clEnqueueSVMMemcpy(t->q[0], CL_TRUE, a, exp, N * sizeof(cl_uint), 0, NULL, NULL));
	for (k = 0; k < 4; k++) {
		cl_command_queue q = t->q[k % t->ndev];
		size_t n = N;

		ptrs[0] = a;
		sizes[0] = N / 2 * sizeof(cl_uint);
		ptrs[1] = a + N / 4;	/* overlaps the first */
		sizes[1] = N / 2 * sizeof(cl_uint);
		CHECK_OK(clEnqueueSVMMigrateMem(q, 2, ptrs, sizes, flags[k], 0, NULL, NULL));
		key = 0x13579bdf + k;
		CHECK_OK(clSetKernelArgSVMPointer(x, 0, a));
		CHECK_OK(clSetKernelArg(x, 1, sizeof(key), &key));
		CHECK_OK(clEnqueueNDRangeKernel(q, x, 1, NULL, &n, NULL, 0, NULL, NULL));
		for (i = 0; i < N; i++)
			exp[i] ^= key;
		CHECK_OK(clEnqueueSVMMigrateMem(q, 1, ptrs, NULL, flags[(k + 1) % 4], 0, NULL, NULL));
		CHECK_OK(clFinish(q));
	}
	CHECK_OK(clEnqueueSVMMap(t->q[0], CL_TRUE, CL_MAP_READ, a, N * sizeof(cl_uint), 0, NULL, NULL));
	for (i = 0; i < N; i++)
		if (a[i] != exp[i])
			FAIL("word %u is 0x%x, expected 0x%x", i, a[i], exp[i]);
	CHECK_OK(clEnqueueSVMUnmap(t->q[0], a, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	clReleaseKernel(x);
	clSVMFree(t->ctx, a);
	free(exp);
	return 0;
}

CLT_MAIN(T(byte_granularity), T(exec_info_svm_ptrs), T(hash_table),
	 T(sync_buffers), T(list_system), T(list_fine_buffers),
	 T(list_coarse_old_api), T(list_coarse_new_api),
	 T(cross_buffer_pointers), T(shared_sub_buffers), T(pointer_passing),
	 T(migrate))
