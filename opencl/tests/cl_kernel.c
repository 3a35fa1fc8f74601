// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * cl_kernel: programs and kernels: build options and logs, binaries,
 * separate compilation, kernel and argument queries, argument kinds
 * (by-value structs and vectors, __local sizes, NULL buffers), 1D-3D
 * NDRanges with offsets and with a NULL local size, non-uniform
 * work-groups, barriers and local memory, atomics, program-scope globals,
 * profiling of a kernel, a kernel's fault reported without harm, and the
 * error of every bad call.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "clt.h"

static const char src[] =
"typedef struct { int a; float b; long c; char d; } args_t;\n"
"kernel void ids(global uint *out, uint stride_y, uint stride_z)\n"
"{\n"
"	size_t x = get_global_id(0) - get_global_offset(0);\n"
"	size_t y = get_global_id(1) - get_global_offset(1);\n"
"	size_t z = get_global_id(2) - get_global_offset(2);\n"
"	global uint *o = out + 8 * (z * stride_z + y * stride_y + x);\n"
"	o[0] = (uint)get_global_id(0) | (uint)get_global_id(1) << 10 | (uint)get_global_id(2) << 20;\n"
"	o[1] = (uint)get_local_id(0) | (uint)get_local_id(1) << 10 | (uint)get_local_id(2) << 20;\n"
"	o[2] = (uint)get_group_id(0) | (uint)get_group_id(1) << 10 | (uint)get_group_id(2) << 20;\n"
"	o[3] = (uint)get_local_size(0) | (uint)get_local_size(1) << 10 | (uint)get_local_size(2) << 20;\n"
"	o[4] = (uint)get_global_size(0) | (uint)get_global_size(1) << 10 | (uint)get_global_size(2) << 20;\n"
"	o[5] = (uint)get_num_groups(0) | (uint)get_num_groups(1) << 10 | (uint)get_num_groups(2) << 20;\n"
"	o[6] = get_work_dim();\n"
"	o[7] = (uint)get_enqueued_local_size(0);\n"
"}\n"
"kernel void args(global long *out, args_t s, float4 v, char c, short h, ulong u,\n"
"		 double d, global int *maybe_null, constant int *k)\n"
"{\n"
"	out[0] = s.a; out[1] = (long)(s.b * 4); out[2] = s.c; out[3] = s.d;\n"
"	out[4] = (long)(v.x + 10 * v.y + 100 * v.z + 1000 * v.w);\n"
"	out[5] = c; out[6] = h; out[7] = (long)u; out[8] = (long)(d * 8);\n"
"	out[9] = maybe_null == 0; out[10] = k[0] + k[1];\n"
"}\n"
"kernel void reduce(global const uint *in, global uint *out, local uint *scratch)\n"
"{\n"
"	local uint total;\n"
"	size_t l = get_local_id(0), n = get_local_size(0);\n"
"	if (l == 0)\n"
"		total = 0;\n"
"	scratch[l] = in[get_global_id(0)];\n"
"	barrier(CLK_LOCAL_MEM_FENCE);\n"
"	for (size_t s = n / 2; s > 0; s >>= 1) {\n"
"		if (l < s)\n"
"			scratch[l] += scratch[l + s];\n"
"		barrier(CLK_LOCAL_MEM_FENCE);\n"
"	}\n"
"	atomic_add(&total, scratch[l] & 1);\n"
"	barrier(CLK_LOCAL_MEM_FENCE);\n"
"	if (l == 0) {\n"
"		out[2 * get_group_id(0)] = scratch[0];\n"
"		out[2 * get_group_id(0) + 1] = total;\n"
"	}\n"
"}\n"
"kernel void atomics(global int *g, global long *g64, global uint *bits)\n"
"{\n"
"	int i = (int)get_global_id(0);\n"
"	atomic_add(&g[0], i);\n"
"	atomic_max(&g[1], i);\n"
"	atomic_min(&g[2], -i);\n"
"	atomic_inc(&g[3]);\n"
"	atomic_or(&bits[i / 32], 1u << (i % 32));\n"
"	atom_add(&g64[0], (long)i << 32);\n"
"	atomic_xchg(&g[4], 7);\n"
"}\n"
"kernel void math(global float *f, global double *d, global uint *u)\n"
"{\n"
"	f[0] = sqrt(f[0]); f[1] = sin(f[1]); f[2] = exp(f[2]); f[3] = fma(f[3], 2.0f, 1.0f);\n"
"	f[4] = clamp(f[4], 0.0f, 1.0f); f[5] = (float)(int)f[5]; f[6] = fabs(f[6]);\n"
"	d[0] = sqrt(d[0]); d[1] = d[1] / 3.0; d[2] = log(d[2]);\n"
"	u[0] = popcount(u[0]); u[1] = mul_hi(u[1], u[2]); u[2] = clz(u[2]);\n"
"	u[3] = rotate(u[3], 8u); u[4] = max(u[4], 9u);\n"
"}\n"
"global int counter_g = 5;\n"
"kernel void globals(global int *out, int inc)\n"
"{\n"
"	out[get_global_id(0)] = counter_g;\n"
"	if (get_global_id(0) == 0)\n"
"		counter_g += inc;\n"
"}\n"
"kernel void empty(void)\n"
"{\n"
"}\n"
"kernel void fault(global int *p)\n"
"{\n"
"	*p = 1;\n"
"}\n"
"kernel __attribute__((reqd_work_group_size(4, 1, 1))) void fixed(global int *p)\n"
"{\n"
"	p[get_global_id(0)] = (int)get_local_size(0);\n"
"}\n";

static cl_program prog;
static cl_int prog_err = 1;
static char prog_log[512];

static cl_program get_prog(struct clt *t)
{
	if (prog_err == 1) {
		prog = clt_build(t, src, "-cl-std=CL2.0 -cl-kernel-arg-info", &prog_err);
		snprintf(prog_log, sizeof(prog_log), "%s", clt_reason);
	}
	if (!prog)
		snprintf(clt_reason, sizeof(clt_reason), "%.500s", prog_log);
	return prog;
}

#define KERNEL(k, name) \
	do { \
		cl_int e_; \
		if (!get_prog(t)) \
			return CLT_FAIL; \
		k = clCreateKernel(prog, name, &e_); \
		if (!k) \
			FAIL("clCreateKernel(%s): %s", name, clt_err(e_)); \
	} while (0)

static bool has_compiler(struct clt *t)
{
	cl_bool c = CL_FALSE;

	clGetDeviceInfo(t->dev[0], CL_DEVICE_COMPILER_AVAILABLE, sizeof(c), &c, NULL);
	return c;
}

#define NEED_COMPILER() \
	do { \
		if (!has_compiler(t)) \
			SKIP("no compiler (CL_DEVICE_COMPILER_AVAILABLE is false)"); \
	} while (0)

static int t_build(struct clt *t)
{
	const char *bad = "kernel void f(global int *p) { p[0] = undeclared_thing; }";
	const char *ok = "kernel void f(global int *p) { p[0] = FOO; }";
	cl_build_status st;
	cl_program p;
	cl_kernel k;
	cl_int err;
	char log[4096], opts[64];
	size_t n;

	NEED_COMPILER();
	p = clCreateProgramWithSource(t->ctx, 1, &bad, NULL, &err);
	CHECK_OK(err);
	CHECK_ERR(clCreateKernel(p, "f", &err) ? CL_SUCCESS : err, CL_INVALID_PROGRAM_EXECUTABLE);
	CHECK_ERR(clBuildProgram(p, 0, NULL, "-cl-no-such-option", NULL, NULL),
		  CL_INVALID_BUILD_OPTIONS);
	CHECK_ERR(clBuildProgram(p, 0, NULL, NULL, NULL, NULL), CL_BUILD_PROGRAM_FAILURE);
	CHECK_OK(clGetProgramBuildInfo(p, t->dev[0], CL_PROGRAM_BUILD_STATUS, sizeof(st), &st, NULL));
	CHECK(st == CL_BUILD_ERROR);
	CHECK_OK(clGetProgramBuildInfo(p, t->dev[0], CL_PROGRAM_BUILD_LOG, sizeof(log), log, &n));
	if (!strstr(log, "undeclared_thing"))
		FAIL("the build log does not name the error: \"%.200s\"", log);
	CHECK_ERR(clGetProgramInfo(p, CL_PROGRAM_NUM_KERNELS, sizeof(n), &n, NULL),
		  CL_INVALID_PROGRAM_EXECUTABLE);
	clReleaseProgram(p);

	p = clCreateProgramWithSource(t->ctx, 1, &ok, NULL, &err);
	CHECK_OK(err);
	CHECK_ERR(clBuildProgram(p, 1, NULL, NULL, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clBuildProgram(p, 0, t->dev, NULL, NULL, NULL), CL_INVALID_VALUE);
	CHECK_OK(clBuildProgram(p, 0, NULL, "-D FOO=42 -cl-std=CL1.2 -w", NULL, NULL));
	CHECK_OK(clGetProgramBuildInfo(p, t->dev[0], CL_PROGRAM_BUILD_OPTIONS, sizeof(opts), opts, NULL));
	CHECK(strstr(opts, "FOO=42"));
	CHECK_OK(clGetProgramInfo(p, CL_PROGRAM_NUM_KERNELS, sizeof(n), &n, NULL));
	CHECK(n == 1);
	CHECK_OK(clGetProgramInfo(p, CL_PROGRAM_KERNEL_NAMES, sizeof(log), log, NULL));
	CHECK(!strcmp(log, "f"));
	k = clCreateKernel(p, "g", &err);
	CHECK(!k && err == CL_INVALID_KERNEL_NAME);
	k = clCreateKernel(p, NULL, &err);
	CHECK(!k && err == CL_INVALID_VALUE);
	k = clCreateKernel(p, "f", &err);
	CHECK_OK(err);
	/* No rebuild while a kernel is attached. */
	CHECK_ERR(clBuildProgram(p, 0, NULL, NULL, NULL, NULL), CL_INVALID_OPERATION);
	clReleaseKernel(k);
	clReleaseProgram(p);
	CHECK(!clCreateProgramWithSource(t->ctx, 0, &ok, NULL, &err) && err == CL_INVALID_VALUE);
	CHECK(!clCreateProgramWithSource(NULL, 1, &ok, NULL, &err) && err == CL_INVALID_CONTEXT);
	return 0;
}

static int t_binary(struct clt *t)
{
	unsigned char *bins[CLT_MAX_DEV], junk[64] = { 1, 2, 3 };
	const unsigned char *cbins[CLT_MAX_DEV];
	size_t sizes[CLT_MAX_DEV], jsize = sizeof(junk);
	cl_int status[CLT_MAX_DEV], err, *out;
	const unsigned char *jp = junk;
	cl_program p;
	cl_kernel k;
	cl_mem b;
	size_t one = 1;
	cl_uint d;

	NEED_COMPILER();
	if (!get_prog(t))
		return CLT_FAIL;
	CHECK_OK(clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof(sizes), sizes, NULL));
	for (d = 0; d < t->ndev; d++) {
		CHECK(sizes[d] > 0);
		bins[d] = malloc(sizes[d]);
		cbins[d] = bins[d];
	}
	CHECK_OK(clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof(bins), bins, NULL));
	p = clCreateProgramWithBinary(t->ctx, t->ndev, t->dev, sizes, cbins, status, &err);
	CHECK_OK(err);
	CHECK(status[0] == CL_SUCCESS);
	CHECK_OK(clBuildProgram(p, 0, NULL, NULL, NULL, NULL));
	k = clCreateKernel(p, "globals", &err);
	CHECK_OK(err);
	b = clCreateBuffer(t->ctx, 0, 64, NULL, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(b), &b));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(cl_int), &(cl_int){ 0 }));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &one, NULL, 0, NULL, NULL));
	out = clEnqueueMapBuffer(t->q[0], b, CL_TRUE, CL_MAP_READ, 0, 4, 0, NULL, NULL, &err);
	CHECK_OK(err);
	CHECK(*out == 5);
	CHECK_OK(clEnqueueUnmapMemObject(t->q[0], b, out, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(b);
	clReleaseKernel(k);
	clReleaseProgram(p);
	/* Something that is not a binary is refused. */
	p = clCreateProgramWithBinary(t->ctx, 1, t->dev, &jsize, &jp, status, &err);
	CHECK(!p && err == CL_INVALID_BINARY && status[0] == CL_INVALID_BINARY);
	for (d = 0; d < t->ndev; d++)
		free(bins[d]);
	return 0;
}

static int t_compile_link(struct clt *t)
{
	const char *hdr = "#define TWICE(x) ((x) * 2)\nint helper(int x);\n";
	const char *a = "#include \"inc/twice.h\"\nint helper(int x) { return TWICE(x) + 1; }\n";
	const char *b = "#include \"inc/twice.h\"\nkernel void use(global int *p) { p[0] = helper(TWICE(p[0])); }\n";
	cl_program h, pa, pb, linked;
	const char *name = "inc/twice.h";
	cl_program objs[2];
	cl_program_binary_type bt;
	cl_int err, *v;
	cl_kernel k;
	cl_mem m;
	size_t one = 1;

	NEED_COMPILER();
	h = clCreateProgramWithSource(t->ctx, 1, &hdr, NULL, &err);
	pa = clCreateProgramWithSource(t->ctx, 1, &a, NULL, &err);
	pb = clCreateProgramWithSource(t->ctx, 1, &b, NULL, &err);
	CHECK_OK(err);
	CHECK_OK(clCompileProgram(pa, 0, NULL, NULL, 1, &h, &name, NULL, NULL));
	CHECK_OK(clCompileProgram(pb, 0, NULL, NULL, 1, &h, &name, NULL, NULL));
	CHECK_OK(clGetProgramBuildInfo(pa, t->dev[0], CL_PROGRAM_BINARY_TYPE, sizeof(bt), &bt, NULL));
	CHECK(bt == CL_PROGRAM_BINARY_TYPE_COMPILED_OBJECT);
	objs[0] = pa;
	objs[1] = pb;
	linked = clLinkProgram(t->ctx, 0, NULL, NULL, 2, objs, NULL, NULL, &err);
	CHECK_OK(err);
	k = clCreateKernel(linked, "use", &err);
	CHECK_OK(err);
	m = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(cl_int), &(cl_int){ 5 }, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(m), &m));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &one, NULL, 0, NULL, NULL));
	v = clEnqueueMapBuffer(t->q[0], m, CL_TRUE, CL_MAP_READ, 0, 4, 0, NULL, NULL, &err);
	CHECK_OK(err);
	CHECK(*v == 21);
	CHECK_OK(clEnqueueUnmapMemObject(t->q[0], m, v, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	CHECK_ERR(clLinkProgram(t->ctx, 0, NULL, NULL, 0, objs, NULL, NULL, &err) ? CL_SUCCESS : err,
		  CL_INVALID_VALUE);
	clReleaseMemObject(m);
	clReleaseKernel(k);
	clReleaseProgram(linked);
	clReleaseProgram(pa);
	clReleaseProgram(pb);
	clReleaseProgram(h);
	return 0;
}

static int t_kernel_info(struct clt *t)
{
	char name[64];
	cl_uint nargs;
	cl_kernel k, clone;
	cl_kernel_arg_address_qualifier aq;
	size_t wg, cwg[3];
	cl_ulong lmem;
	cl_int err;

	NEED_COMPILER();
	KERNEL(k, "reduce");
	CHECK_OK(clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, sizeof(name), name, NULL));
	CHECK(!strcmp(name, "reduce"));
	CHECK_OK(clGetKernelInfo(k, CL_KERNEL_NUM_ARGS, sizeof(nargs), &nargs, NULL));
	CHECK(nargs == 3);
	CHECK_OK(clGetKernelArgInfo(k, 2, CL_KERNEL_ARG_ADDRESS_QUALIFIER, sizeof(aq), &aq, NULL));
	CHECK(aq == CL_KERNEL_ARG_ADDRESS_LOCAL);
	CHECK_OK(clGetKernelArgInfo(k, 0, CL_KERNEL_ARG_ADDRESS_QUALIFIER, sizeof(aq), &aq, NULL));
	CHECK(aq == CL_KERNEL_ARG_ADDRESS_GLOBAL);
	CHECK_OK(clGetKernelArgInfo(k, 1, CL_KERNEL_ARG_NAME, sizeof(name), name, NULL));
	CHECK(!strcmp(name, "out"));
	CHECK_OK(clGetKernelArgInfo(k, 0, CL_KERNEL_ARG_TYPE_NAME, sizeof(name), name, NULL));
	CHECK(!strcmp(name, "uint*"));
	CHECK_ERR(clGetKernelArgInfo(k, 3, CL_KERNEL_ARG_NAME, sizeof(name), name, NULL),
		  CL_INVALID_ARG_INDEX);
	CHECK_OK(clGetKernelWorkGroupInfo(k, t->dev[0], CL_KERNEL_WORK_GROUP_SIZE, sizeof(wg), &wg, NULL));
	CHECK(wg >= 1);
	CHECK_OK(clSetKernelArg(k, 2, 256, NULL));
	CHECK_OK(clGetKernelWorkGroupInfo(k, t->dev[0], CL_KERNEL_LOCAL_MEM_SIZE, sizeof(lmem), &lmem, NULL));
	CHECK(lmem >= 256 + 4);
	CHECK_ERR(clGetKernelWorkGroupInfo(k, t->dev[0], CL_KERNEL_GLOBAL_WORK_SIZE, sizeof(cwg), cwg, NULL),
		  CL_INVALID_VALUE);
	/* Argument errors. */
	CHECK_ERR(clSetKernelArg(k, 3, 4, &nargs), CL_INVALID_ARG_INDEX);
	CHECK_ERR(clSetKernelArg(k, 2, 0, NULL), CL_INVALID_ARG_SIZE);
	CHECK_ERR(clSetKernelArg(k, 2, 16, &nargs), CL_INVALID_ARG_VALUE);
	CHECK_ERR(clSetKernelArg(k, 0, 4, &nargs), CL_INVALID_ARG_SIZE);
	{
		static char not_a_mem[256];

		CHECK_ERR(clSetKernelArg(k, 0, sizeof(cl_mem), &(cl_mem){ (cl_mem)not_a_mem }),
			  CL_INVALID_MEM_OBJECT);
	}
	clone = clCloneKernel(k, &err);
	CHECK_OK(err);
	CHECK_OK(clGetKernelWorkGroupInfo(clone, t->dev[0], CL_KERNEL_LOCAL_MEM_SIZE, sizeof(lmem), &lmem, NULL));
	CHECK(lmem >= 256 + 4);
	clReleaseKernel(clone);
	clReleaseKernel(k);
	KERNEL(k, "fixed");
	CHECK_OK(clGetKernelWorkGroupInfo(k, t->dev[0], CL_KERNEL_COMPILE_WORK_GROUP_SIZE,
					  sizeof(cwg), cwg, NULL));
	CHECK(cwg[0] == 4 && cwg[1] == 1 && cwg[2] == 1);
	clReleaseKernel(k);
	return 0;
}

/* Check the ids kernel's output of one work-item. */
static int check_ids(const cl_uint *o, const size_t *gid, const size_t *lid,
		     const size_t *grp, const size_t *lsz, const size_t *gsz,
		     const size_t *ngr, cl_uint dim, size_t enq)
{
#define PACK(v) ((cl_uint)(v)[0] | (cl_uint)(v)[1] << 10 | (cl_uint)(v)[2] << 20)
	if (o[0] != PACK(gid) || o[1] != PACK(lid) || o[2] != PACK(grp) ||
	    o[3] != PACK(lsz) || o[4] != PACK(gsz) || o[5] != PACK(ngr) ||
	    o[6] != dim || o[7] != enq)
		FAIL("work-item (%zu,%zu,%zu): got %x %x %x %x %x %x %u %u", gid[0], gid[1],
		     gid[2], o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]);
	return 0;
#undef PACK
}

static int run_ids(struct clt *t, cl_kernel k, cl_uint dim, const size_t *off,
		   const size_t *gsz, const size_t *lsz_in, bool uniform)
{
	size_t g[3] = { 1, 1, 1 }, l[3] = { 1, 1, 1 }, o[3] = { 0, 0, 0 };
	size_t x, y, z, total, i;
	cl_uint sy, sz, *out;
	cl_mem m;
	cl_int err;

	for (i = 0; i < dim; i++) {
		g[i] = gsz[i];
		o[i] = off ? off[i] : 0;
		l[i] = lsz_in ? lsz_in[i] : 0;
	}
	total = g[0] * g[1] * g[2];
	sy = (cl_uint)g[0];
	sz = (cl_uint)(g[0] * g[1]);
	m = clCreateBuffer(t->ctx, 0, total * 8 * sizeof(cl_uint), NULL, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(m), &m));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(sy), &sy));
	CHECK_OK(clSetKernelArg(k, 2, sizeof(sz), &sz));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, dim, off, gsz, lsz_in, 0, NULL, NULL));
	out = clEnqueueMapBuffer(t->q[0], m, CL_TRUE, CL_MAP_READ, 0, total * 8 * sizeof(cl_uint),
				 0, NULL, NULL, &err);
	CHECK_OK(err);
	if (!lsz_in) {
		/* The implementation chose: read it back from work-item 0. */
		for (i = 0; i < 3; i++)
			l[i] = (out[3] >> (10 * i)) & 1023;
		for (i = 0; i < dim; i++)
			if (!l[i] || (uniform && g[i] % l[i]))
				FAIL("chosen local size %zu in dimension %zu of %zu", l[i], i, g[i]);
	}
	for (z = 0; z < g[2]; z++)
		for (y = 0; y < g[1]; y++)
			for (x = 0; x < g[0]; x++) {
				size_t id[3] = { x, y, z }, gid[3], lid[3], grp[3], ls[3], ngr[3];

				for (i = 0; i < 3; i++) {
					gid[i] = id[i] + o[i];
					lid[i] = id[i] % l[i];
					grp[i] = id[i] / l[i];
					ngr[i] = (g[i] + l[i] - 1) / l[i];
					ls[i] = grp[i] == ngr[i] - 1 && g[i] % l[i] ? g[i] % l[i] : l[i];
				}
				if (check_ids(out + 8 * (z * sz + y * sy + x), gid, lid, grp, ls,
					      g, ngr, dim, l[0]))
					return CLT_FAIL;
			}
	CHECK_OK(clEnqueueUnmapMemObject(t->q[0], m, out, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(m);
	return 0;
}

static int t_ndrange(struct clt *t)
{
	size_t g1[] = { 37 }, o1[] = { 5 }, l1[] = { 37 };
	size_t g2[] = { 12, 6 }, l2[] = { 4, 3 }, o2[] = { 1, 2 };
	size_t g3[] = { 4, 3, 5 }, l3[] = { 2, 3, 1 }, o3[] = { 7, 0, 9 };
	size_t gn[] = { 10 }, ln[] = { 4 };
	cl_uint dummy = 0;
	cl_bool nonuni = CL_FALSE;
	size_t wg, big[3];
	cl_kernel k;

	NEED_COMPILER();
	KERNEL(k, "ids");
	if (run_ids(t, k, 1, o1, g1, l1, true) || run_ids(t, k, 1, NULL, g1, NULL, true) ||
	    run_ids(t, k, 2, o2, g2, l2, true) || run_ids(t, k, 2, NULL, g2, NULL, true) ||
	    run_ids(t, k, 3, o3, g3, l3, true) || run_ids(t, k, 3, o3, g3, NULL, true))
		return CLT_FAIL;
	/* Non-uniform groups: OpenCL C 2.0 programs on devices that have them. */
	clGetDeviceInfo(t->dev[0], CL_DEVICE_NON_UNIFORM_WORK_GROUP_SUPPORT, sizeof(nonuni),
			&nonuni, NULL);
	if (nonuni && run_ids(t, k, 1, NULL, gn, ln, false))
		return CLT_FAIL;
	/* Errors. */
	CHECK_ERR(clEnqueueNDRangeKernel(t->q[0], k, 0, NULL, g1, NULL, 0, NULL, NULL),
		  CL_INVALID_WORK_DIMENSION);
	CHECK_ERR(clEnqueueNDRangeKernel(t->q[0], k, 4, NULL, g3, NULL, 0, NULL, NULL),
		  CL_INVALID_WORK_DIMENSION);
	CHECK_ERR(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, g1, (size_t[]){ 0 }, 0, NULL, NULL),
		  CL_INVALID_WORK_GROUP_SIZE);
	CHECK_OK(clGetDeviceInfo(t->dev[0], CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof(big), big, NULL));
	CHECK_OK(clGetDeviceInfo(t->dev[0], CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof(wg), &wg, NULL));
	big[0] = wg * 2;
	CHECK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, big, big, 0, NULL, NULL) != CL_SUCCESS);
	CHECK_ERR(clEnqueueNDRangeKernel(NULL, k, 1, NULL, g1, NULL, 0, NULL, NULL),
		  CL_INVALID_COMMAND_QUEUE);
	CHECK_ERR(clEnqueueNDRangeKernel(t->q[0], NULL, 1, NULL, g1, NULL, 0, NULL, NULL),
		  CL_INVALID_KERNEL);
	clReleaseKernel(k);
	/* Unset arguments. */
	KERNEL(k, "ids");
	CHECK_OK(clSetKernelArg(k, 1, sizeof(dummy), &dummy));
	CHECK_ERR(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, g1, NULL, 0, NULL, NULL),
		  CL_INVALID_KERNEL_ARGS);
	clReleaseKernel(k);
	KERNEL(k, "fixed");
	CHECK_ERR(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, (size_t[]){ 8 }, (size_t[]){ 4 },
					 0, NULL, NULL), CL_INVALID_KERNEL_ARGS);
	{
		cl_int err, *out;
		cl_mem m = clCreateBuffer(t->ctx, 0, 8 * sizeof(cl_int), NULL, &err);

		CHECK_OK(err);
		CHECK_OK(clSetKernelArg(k, 0, sizeof(m), &m));
		/* reqd_work_group_size(4,1,1): 2 is refused, NULL means 4. */
		CHECK_ERR(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, (size_t[]){ 8 },
						 (size_t[]){ 2 }, 0, NULL, NULL),
			  CL_INVALID_WORK_GROUP_SIZE);
		CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, (size_t[]){ 8 }, NULL,
						0, NULL, NULL));
		out = clEnqueueMapBuffer(t->q[0], m, CL_TRUE, CL_MAP_READ, 0, 8 * sizeof(cl_int),
					 0, NULL, NULL, &err);
		CHECK_OK(err);
		CHECK(out[0] == 4 && out[7] == 4);
		CHECK_OK(clEnqueueUnmapMemObject(t->q[0], m, out, 0, NULL, NULL));
		CHECK_OK(clFinish(t->q[0]));
		clReleaseMemObject(m);
	}
	clReleaseKernel(k);
	return 0;
}

static int t_args(struct clt *t)
{
	struct { cl_int a; cl_float b; cl_long c; cl_char d; } s = { -7, 2.5f, 1ll << 40, 'x' };
	cl_float4 v = { { 1, 2, 3, 4 } };
	cl_char c = -3;
	cl_short h = 30000;
	cl_ulong u = 0x123456789abcull;
	cl_double dd = 1.25;
	cl_int consts[2] = { 40, 2 }, err;
	cl_long *out;
	cl_mem o, k2;
	cl_kernel k;
	size_t one = 1;

	NEED_COMPILER();
	KERNEL(k, "args");
	o = clCreateBuffer(t->ctx, 0, 16 * sizeof(cl_long), NULL, &err);
	CHECK_OK(err);
	k2 = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR | CL_MEM_READ_ONLY, sizeof(consts), consts, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(o), &o));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(s), &s));
	CHECK_OK(clSetKernelArg(k, 2, sizeof(v), &v));
	CHECK_OK(clSetKernelArg(k, 3, sizeof(c), &c));
	CHECK_OK(clSetKernelArg(k, 4, sizeof(h), &h));
	CHECK_OK(clSetKernelArg(k, 5, sizeof(u), &u));
	CHECK_OK(clSetKernelArg(k, 6, sizeof(dd), &dd));
	CHECK_OK(clSetKernelArg(k, 7, sizeof(cl_mem), NULL));
	CHECK_OK(clSetKernelArg(k, 8, sizeof(k2), &k2));
	CHECK_ERR(clSetKernelArg(k, 1, sizeof(s) - 8, &s), CL_INVALID_ARG_SIZE);
	CHECK_ERR(clSetKernelArg(k, 3, 1, NULL), CL_INVALID_ARG_VALUE);
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &one, &one, 0, NULL, NULL));
	out = clEnqueueMapBuffer(t->q[0], o, CL_TRUE, CL_MAP_READ, 0, 16 * sizeof(cl_long), 0,
				 NULL, NULL, &err);
	CHECK_OK(err);
	CHECK(out[0] == -7 && out[1] == 10 && out[2] == 1ll << 40 && out[3] == 'x');
	CHECK(out[4] == 4321 && out[5] == -3 && out[6] == 30000 && out[7] == (cl_long)u);
	CHECK(out[8] == 10 && out[9] == 1 && out[10] == 42);
	CHECK_OK(clEnqueueUnmapMemObject(t->q[0], o, out, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(o);
	clReleaseMemObject(k2);
	clReleaseKernel(k);
	return 0;
}

static int t_local_barrier(struct clt *t)
{
	enum { GROUPS = 4, L = 16 };
	cl_uint in[GROUPS * L], *out, exp, odd, g, i;
	size_t gs = GROUPS * L, ls = L;
	cl_mem mi, mo;
	cl_kernel k;
	cl_int err;

	NEED_COMPILER();
	KERNEL(k, "reduce");
	for (i = 0; i < GROUPS * L; i++)
		in[i] = i * 3 + 1;
	mi = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(in), in, &err);
	CHECK_OK(err);
	mo = clCreateBuffer(t->ctx, 0, 2 * GROUPS * sizeof(cl_uint), NULL, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(mi), &mi));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(mo), &mo));
	CHECK_OK(clSetKernelArg(k, 2, L * sizeof(cl_uint), NULL));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &gs, &ls, 0, NULL, NULL));
	out = clEnqueueMapBuffer(t->q[0], mo, CL_TRUE, CL_MAP_READ, 0, 2 * GROUPS * sizeof(cl_uint),
				 0, NULL, NULL, &err);
	CHECK_OK(err);
	for (g = 0; g < GROUPS; g++) {
		exp = 0;
		for (i = 0; i < L; i++)
			exp += in[g * L + i];
		/* scratch[l] after the tree: item 0 has the sum, others partials */
		odd = exp & 1;
		if (out[2 * g] != exp)
			FAIL("group %u: sum %u, expected %u", g, out[2 * g], exp);
		CHECK(out[2 * g + 1] >= odd);
	}
	CHECK_OK(clEnqueueUnmapMemObject(t->q[0], mo, out, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(mi);
	clReleaseMemObject(mo);
	clReleaseKernel(k);
	return 0;
}

static int t_atomics(struct clt *t)
{
	enum { N = 200 };
	cl_int g[5] = { 0, -1, 0, 0, 0 }, *og, err;
	cl_long g64 = 0, *o64;
	cl_uint bits[8] = { 0 }, *ob, i;
	size_t n = N;
	cl_mem mg, m64, mb;
	cl_kernel k;

	NEED_COMPILER();
	KERNEL(k, "atomics");
	mg = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(g), g, &err);
	m64 = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(g64), &g64, &err);
	mb = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(bits), bits, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(mg), &mg));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(m64), &m64));
	CHECK_OK(clSetKernelArg(k, 2, sizeof(mb), &mb));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[t->ndev - 1], k, 1, NULL, &n, NULL, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[t->ndev - 1]));
	og = clEnqueueMapBuffer(t->q[0], mg, CL_TRUE, CL_MAP_READ, 0, sizeof(g), 0, NULL, NULL, &err);
	o64 = clEnqueueMapBuffer(t->q[0], m64, CL_TRUE, CL_MAP_READ, 0, sizeof(g64), 0, NULL, NULL, &err);
	ob = clEnqueueMapBuffer(t->q[0], mb, CL_TRUE, CL_MAP_READ, 0, sizeof(bits), 0, NULL, NULL, &err);
	CHECK_OK(err);
	if (og[0] != N * (N - 1) / 2 || og[1] != N - 1 || og[2] != -(N - 1) || og[3] != N ||
	    og[4] != 7)
		FAIL("32-bit atomics: %d %d %d %d %d", og[0], og[1], og[2], og[3], og[4]);
	CHECK(*o64 == ((cl_long)N * (N - 1) / 2) << 32);
	for (i = 0; i < N; i++)
		if (!(ob[i / 32] & (1u << (i % 32))))
			FAIL("bit %u not set", i);
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(mg);
	clReleaseMemObject(m64);
	clReleaseMemObject(mb);
	clReleaseKernel(k);
	return 0;
}

static int t_math(struct clt *t)
{
	cl_float f[7] = { 2.0f, 0.5f, 1.0f, 3.0f, 1.5f, -2.7f, -4.0f }, *of;
	cl_double d[3] = { 2.0, 1.0, 10.0 }, *od;
	cl_uint u[5] = { 0xf0f0u, 0x80000000u, 0x10u, 0x11223344u, 3 }, *ou;
	size_t one = 1;
	cl_mem mf, md, mu;
	cl_kernel k;
	cl_int err;

	NEED_COMPILER();
	KERNEL(k, "math");
	mf = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(f), f, &err);
	md = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(d), d, &err);
	mu = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, sizeof(u), u, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(mf), &mf));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(md), &md));
	CHECK_OK(clSetKernelArg(k, 2, sizeof(mu), &mu));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &one, NULL, 0, NULL, NULL));
	of = clEnqueueMapBuffer(t->q[0], mf, CL_TRUE, CL_MAP_READ, 0, sizeof(f), 0, NULL, NULL, &err);
	od = clEnqueueMapBuffer(t->q[0], md, CL_TRUE, CL_MAP_READ, 0, sizeof(d), 0, NULL, NULL, &err);
	ou = clEnqueueMapBuffer(t->q[0], mu, CL_TRUE, CL_MAP_READ, 0, sizeof(u), 0, NULL, NULL, &err);
	CHECK_OK(err);
	/* sqrt is correctly rounded; sin and exp within a few ulp. */
	CHECK(of[0] == sqrtf(2.0f));
	CHECK(fabsf(of[1] - sinf(0.5f)) < 4e-7f);
	CHECK(fabsf(of[2] - expf(1.0f)) < 1e-6f);
	CHECK(of[3] == 7.0f && of[4] == 1.0f && of[5] == -2.0f && of[6] == 4.0f);
	CHECK(od[0] == sqrt(2.0) && od[1] == 1.0 / 3.0 && fabs(od[2] - log(10.0)) < 1e-15);
	if (ou[0] != 8 || ou[1] != 8 || ou[2] != 27 || ou[3] != 0x22334411u || ou[4] != 9)
		FAIL("integer builtins: %u %x %u %x %u", ou[0], ou[1], ou[2], ou[3], ou[4]);
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(mf);
	clReleaseMemObject(md);
	clReleaseMemObject(mu);
	clReleaseKernel(k);
	return 0;
}

static int t_globals(struct clt *t)
{
	size_t n = 4, one = 1;
	cl_int *out, err;
	size_t total = 0;
	cl_kernel k;
	cl_mem m;

	NEED_COMPILER();
	KERNEL(k, "globals");
	CHECK_OK(clGetProgramBuildInfo(prog, t->dev[0], CL_PROGRAM_BUILD_GLOBAL_VARIABLE_TOTAL_SIZE,
				       sizeof(total), &total, NULL));
	CHECK(total >= sizeof(cl_int));
	m = clCreateBuffer(t->ctx, 0, 16, NULL, &err);
	CHECK_OK(err);
	CHECK_OK(clSetKernelArg(k, 0, sizeof(m), &m));
	/* The variable keeps its value from one launch to the next. */
	CHECK_OK(clSetKernelArg(k, 1, sizeof(cl_int), &(cl_int){ 10 }));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &one, NULL, 0, NULL, NULL));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(cl_int), &(cl_int){ 0 }));
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &n, NULL, 0, NULL, NULL));
	out = clEnqueueMapBuffer(t->q[0], m, CL_TRUE, CL_MAP_READ, 0, 16, 0, NULL, NULL, &err);
	CHECK_OK(err);
	if (out[0] != 15 || out[3] != 15)
		FAIL("program-scope global: %d %d, expected 15 15", out[0], out[3]);
	CHECK_OK(clEnqueueUnmapMemObject(t->q[0], m, out, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(m);
	clReleaseKernel(k);
	return 0;
}

static int t_profiling(struct clt *t)
{
	cl_ulong q, s, st, e;
	size_t n = 64;
	cl_event ev;
	cl_kernel k;

	NEED_COMPILER();
	KERNEL(k, "empty");
	CHECK_OK(clEnqueueNDRangeKernel(t->q[0], k, 1, NULL, &n, NULL, 0, NULL, &ev));
	CHECK_OK(clWaitForEvents(1, &ev));
	CHECK_OK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_QUEUED, sizeof(q), &q, NULL));
	CHECK_OK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_SUBMIT, sizeof(s), &s, NULL));
	CHECK_OK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof(st), &st, NULL));
	CHECK_OK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof(e), &e, NULL));
	CHECK(q <= s && s <= st && st <= e);
	clt_info("empty_kernel_device_us", "%.1f", (e - st) / 1000.0);
	clReleaseEvent(ev);
	clReleaseKernel(k);
	return 0;
}

static char notified[512];

static void CL_CALLBACK notify(const char *msg, const void *info, size_t size, void *data)
{
	(void)info; (void)size; (void)data;
	snprintf(notified, sizeof(notified), "%s", msg);
}

/*
 * A kernel storing through a bad pointer: the command fails, the context
 * is told where, and the queue goes on. Only on vsvm (a CPU device would
 * crash the process, as the spec allows).
 */
static int t_fault(struct clt *t)
{
	cl_context ctx;
	cl_command_queue q;
	cl_program p;
	cl_kernel k;
	cl_event ev;
	cl_int err, status;
	size_t one = 1;

	NEED_COMPILER();
	if (!t->vsvm)
		SKIP("a fault in a kernel may kill the process on this platform");
	if (!(t->svm & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM))
		SKIP("no FINE_GRAIN_SYSTEM: arbitrary pointers are not arguments");
	ctx = clCreateContext(NULL, 1, t->dev, notify, NULL, &err);
	CHECK_OK(err);
	q = clCreateCommandQueueWithProperties(ctx, t->dev[0], NULL, &err);
	CHECK_OK(err);
	p = clCreateProgramWithSource(ctx, 1, (const char *[]){ src }, NULL, &err);
	CHECK_OK(clBuildProgram(p, 0, NULL, "-cl-std=CL2.0", NULL, NULL));
	k = clCreateKernel(p, "fault", &err);
	CHECK_OK(err);
	notified[0] = 0;
	CHECK_OK(clSetKernelArgSVMPointer(k, 0, (void *)0x10));
	CHECK_OK(clEnqueueNDRangeKernel(q, k, 1, NULL, &one, NULL, 0, NULL, &ev));
	CHECK_ERR(clWaitForEvents(1, &ev), CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
	CHECK_OK(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, NULL));
	CHECK(status < 0);
	clReleaseEvent(ev);
	CHECK_OK(clFinish(q));
	usleep(100000);
	if (!strstr(notified, "fault at 0x10"))
		FAIL("context notification: \"%s\"", notified);
	clt_info("message", "%s", notified);
	/* The queue still works. */
	{
		int x = 0;

		CHECK_OK(clSetKernelArgSVMPointer(k, 0, &x));
		CHECK_OK(clEnqueueNDRangeKernel(q, k, 1, NULL, &one, NULL, 0, NULL, NULL));
		CHECK_OK(clFinish(q));
		CHECK(x == 1);
	}
	clReleaseKernel(k);
	clReleaseProgram(p);
	clReleaseCommandQueue(q);
	clReleaseContext(ctx);
	return 0;
}

CLT_MAIN(T(build), T(binary), T(compile_link), T(kernel_info), T(ndrange),
	 T(args), T(local_barrier), T(atomics), T(math), T(globals),
	 T(profiling), T(fault))
