// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: programs. OpenCL C is compiled by libvsvm_cc (compiler/vsvm_cc.h)
 * into one RV64 program image, the same for every device (they all run
 * the ISA the compiler emits); the image is uploaded to a device
 * (DRM_IOCTL_VSVM_PROGRAM_CREATE) the first time a kernel of the program
 * runs there. Program binaries are the compiler's blobs (image plus kernel
 * descriptions), checked when loaded.
 *
 * clCompileProgram keeps the source (and its headers) after checking that
 * it compiles; clLinkProgram builds the sources of its inputs together.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vcl.h"
#include "vsvm_cc.h"

pthread_mutex_t vcl_cc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vsvm_cc *compiler;
static cl_int compiler_err = 1;

struct vsvm_cc *vcl_compiler(cl_int *err)
{
	pthread_mutex_lock(&vcl_cc_lock);
	if (compiler_err == 1) {
		int rc = vsvm_cc_new(&compiler);

		compiler_err = rc == -ENOMEM ? CL_OUT_OF_HOST_MEMORY :
			       rc ? CL_COMPILER_NOT_AVAILABLE : CL_SUCCESS;
		if (rc)
			compiler = NULL;
	}
	*err = compiler_err;
	pthread_mutex_unlock(&vcl_cc_lock);
	return compiler;
}

/* A header of clCompileProgram, kept for clLinkProgram. */
struct vcl_header {
	char *name;
	char *text;
	size_t len;
};

struct vcl_program_src {
	struct vcl_header *headers;
	size_t num_headers;
};

static void free_headers(struct vcl_program_src *src);

static bool valid_program(cl_program p)
{
	return vcl_obj_valid(p, VCL_PROGRAM);
}

static int dev_slot(cl_program p, cl_device_id dev)
{
	cl_uint i;

	for (i = 0; i < p->num_devices; i++)
		if (p->devices[i] == dev)
			return (int)i;
	return -1;
}

/* Drop what a build made. p->lock held. */
static void clear_build(cl_program p)
{
	cl_uint i;

	for (i = 0; i < VCL_MAX_DEVICES; i++) {
		vcl_gpu_program_del(p->gpu[i]);
		p->gpu[i] = NULL;
	}
	vsvm_cc_program_del(p->cc);
	p->cc = NULL;
	free(p->log);
	p->log = NULL;
	free(p->options);
	p->options = NULL;
}

static void program_destroy(struct vcl_obj *obj)
{
	cl_program p = (cl_program)obj;
	struct vcl_prog_cb *cb, *next;

	for (cb = p->release_cbs; cb; cb = next) {
		next = cb->next;
		cb->fn(p, cb->data);
		free(cb);
	}
	clear_build(p);
	free_headers(p->payload_src);
	free(p->source);
	pthread_mutex_destroy(&p->lock);
	VCL_PUT(p->ctx);
	free(p);
}

static cl_program program_new(cl_context ctx, cl_int *err)
{
	cl_program p = calloc(1, sizeof(*p));

	if (!p) {
		*err = CL_OUT_OF_HOST_MEMORY;
		return NULL;
	}
	vcl_obj_init(&p->obj, VCL_PROGRAM, program_destroy, NULL);
	pthread_mutex_init(&p->lock, NULL);
	p->ctx = ctx;
	VCL_GET(ctx);
	p->build_status = CL_BUILD_NONE;
	p->binary_type = CL_PROGRAM_BINARY_TYPE_NONE;
	p->uniform_wg = true;
	*err = CL_SUCCESS;
	return p;
}

cl_program CL_API_CALL vclCreateProgramWithSource(cl_context ctx,
						  cl_uint count,
						  const char **strings,
						  const size_t *lengths,
						  cl_int *errcode_ret)
{
	cl_program p = NULL;
	size_t total = 0, off = 0;
	cl_int err;
	cl_uint i;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT)) {
		err = CL_INVALID_CONTEXT;
		goto out;
	}
	err = CL_INVALID_VALUE;
	if (!count || !strings)
		goto out;
	for (i = 0; i < count; i++) {
		if (!strings[i])
			goto out;
		total += lengths && lengths[i] ? lengths[i] : strlen(strings[i]);
	}
	p = program_new(ctx, &err);
	if (!p)
		goto out;
	p->source = malloc(total + 1);
	if (!p->source) {
		VCL_PUT(p);
		p = NULL;
		err = CL_OUT_OF_HOST_MEMORY;
		goto out;
	}
	for (i = 0; i < count; i++) {
		size_t n = lengths && lengths[i] ? lengths[i] : strlen(strings[i]);

		memcpy(p->source + off, strings[i], n);
		off += n;
	}
	p->source[total] = 0;
	p->source_len = total;
	p->num_devices = ctx->num_devices;
	memcpy(p->devices, ctx->devices, ctx->num_devices * sizeof(cl_device_id));
out:
	if (errcode_ret)
		*errcode_ret = err;
	return p;
}

cl_program CL_API_CALL vclCreateProgramWithBinary(
	cl_context ctx, cl_uint n, const cl_device_id *devices,
	const size_t *lengths, const unsigned char **binaries,
	cl_int *binary_status, cl_int *errcode_ret)
{
	struct vsvm_cc_program *cc = NULL;
	cl_program p = NULL;
	cl_int err;
	cl_uint i;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT)) {
		err = CL_INVALID_CONTEXT;
		goto out;
	}
	if (!devices || !n || !lengths || !binaries) {
		err = CL_INVALID_VALUE;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!vcl_device_valid(devices[i]) ||
		    !vcl_context_has_device(ctx, devices[i])) {
			err = CL_INVALID_DEVICE;
			goto out;
		}
	}
	err = CL_SUCCESS;
	for (i = 0; i < n; i++) {
		struct vsvm_cc_program *one = NULL;
		int rc;

		if (!lengths[i] || !binaries[i]) {
			if (binary_status)
				binary_status[i] = CL_INVALID_VALUE;
			err = CL_INVALID_VALUE;
			continue;
		}
		rc = vsvm_cc_program_from_binary(binaries[i], lengths[i], &one);
		if (rc) {
			if (binary_status)
				binary_status[i] = CL_INVALID_BINARY;
			if (!err)
				err = rc == -ENOMEM ? CL_OUT_OF_HOST_MEMORY :
						      CL_INVALID_BINARY;
			continue;
		}
		if (binary_status)
			binary_status[i] = CL_SUCCESS;
		/* Every device runs the same ISA: one image serves them all. */
		if (!cc)
			cc = one;
		else
			vsvm_cc_program_del(one);
	}
	if (err)
		goto out;
	p = program_new(ctx, &err);
	if (!p)
		goto out;
	p->cc = cc;
	cc = NULL;
	p->binary_type = CL_PROGRAM_BINARY_TYPE_EXECUTABLE;
	p->num_devices = n;
	memcpy(p->devices, devices, n * sizeof(cl_device_id));
out:
	vsvm_cc_program_del(cc);
	if (errcode_ret)
		*errcode_ret = err;
	return p;
}

cl_program CL_API_CALL vclCreateProgramWithBuiltInKernels(
	cl_context ctx, cl_uint n, const cl_device_id *devices,
	const char *names, cl_int *errcode_ret)
{
	cl_int err = CL_INVALID_VALUE;
	cl_uint i;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		err = CL_INVALID_CONTEXT;
	else if (!n || !devices || !names)
		err = CL_INVALID_VALUE;
	else
		for (i = 0; i < n; i++)
			if (!vcl_device_valid(devices[i]) ||
			    !vcl_context_has_device(ctx, devices[i]))
				err = CL_INVALID_DEVICE;
	/* CL_DEVICE_BUILT_IN_KERNELS is empty: no name is valid. */
	if (errcode_ret)
		*errcode_ret = err;
	return NULL;
}

cl_program CL_API_CALL vclCreateProgramWithIL(cl_context ctx, const void *il,
					      size_t length,
					      cl_int *errcode_ret)
{
	cl_int err;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		err = CL_INVALID_CONTEXT;
	else if (!il || !length)
		err = CL_INVALID_VALUE;
	else
		err = CL_INVALID_OPERATION;	/* no device takes an IL */
	if (errcode_ret)
		*errcode_ret = err;
	return NULL;
}

cl_int CL_API_CALL vclRetainProgram(cl_program p)
{
	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	vcl_obj_retain(&p->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclReleaseProgram(cl_program p)
{
	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	vcl_obj_release(&p->obj);
	return CL_SUCCESS;
}

/*
 * The next word of @*s into @buf (quotes group, and are dropped): its
 * length, 0 at the end, -1 for an unbalanced quote or a word too long.
 */
static int next_word(const char **s, char *buf, size_t size)
{
	const char *c = *s;
	size_t n = 0;
	char quote = 0;

	while (*c == ' ' || *c == '\t' || *c == '\n')
		c++;
	while (*c && (quote || (*c != ' ' && *c != '\t' && *c != '\n'))) {
		if (!quote && (*c == '"' || *c == '\'')) {
			quote = *c++;
			continue;
		}
		if (quote && *c == quote) {
			quote = 0;
			c++;
			continue;
		}
		if (n + 1 >= size)
			return -1;
		buf[n++] = *c++;
	}
	buf[n] = 0;
	*s = c;
	if (quote)
		return -1;
	return n ? (int)n : (*c ? 1 : 0);
}

/*
 * The build options libvsvm_cc accepts. Anything else is
 * CL_INVALID_BUILD_OPTIONS before the compiler runs, so that a build
 * failure always means the source.
 */
static cl_int check_options(const char *options, bool *uniform_wg)
{
	static const char *const flags[] = {
		"-w", "-Werror", "-g", "-cl-opt-disable", "-cl-kernel-arg-info",
		"-cl-single-precision-constant", "-cl-denorms-are-zero",
		"-cl-fp32-correctly-rounded-divide-sqrt", "-cl-mad-enable",
		"-cl-no-signed-zeros", "-cl-unsafe-math-optimizations",
		"-cl-finite-math-only", "-cl-fast-relaxed-math",
		"-cl-uniform-work-group-size", "-cl-no-subgroup-ifp",
		"-cl-strict-aliasing",
	};
	static const char *const stds[] = {
		"CL1.0", "CL1.1", "CL1.2", "CL2.0", "CL3.0",
	};
	const char *s = options ? options : "";
	bool cl2 = false, uniform = false, want_value = false;
	char tok[512];
	int n;

	while ((n = next_word(&s, tok, sizeof(tok))) > 0) {
		size_t i;
		bool ok = false;

		if (want_value) {	/* the value of "-D" or "-I" */
			want_value = false;
			continue;
		}
		if (!strcmp(tok, "-D") || !strcmp(tok, "-I")) {
			want_value = true;
			continue;
		}
		if (!strncmp(tok, "-D", 2) || !strncmp(tok, "-I", 2))
			continue;
		if (!strncmp(tok, "-cl-std=", 8)) {
			for (i = 0; i < sizeof(stds) / sizeof(stds[0]); i++)
				if (!strcmp(tok + 8, stds[i]))
					ok = true;
			if (!ok)
				return CL_INVALID_BUILD_OPTIONS;
			cl2 = tok[10] == '2' || tok[10] == '3';
			continue;
		}
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (!strcmp(tok, flags[i]))
				ok = true;
		if (!ok)
			return CL_INVALID_BUILD_OPTIONS;
		if (!strcmp(tok, "-cl-uniform-work-group-size"))
			uniform = true;
	}
	if (n < 0 || want_value)
		return CL_INVALID_BUILD_OPTIONS;
	/* OpenCL C 1.x work-groups divide the range; 2.0 and later need not. */
	*uniform_wg = !cl2 || uniform;
	return CL_SUCCESS;
}

static cl_int check_devices(cl_program p, cl_uint n, const cl_device_id *devs)
{
	cl_uint i;

	if ((!devs && n) || (devs && !n))
		return CL_INVALID_VALUE;
	for (i = 0; i < n; i++)
		if (dev_slot(p, devs[i]) < 0)
			return CL_INVALID_DEVICE;
	return CL_SUCCESS;
}

static char *dup_str(const char *s)
{
	return strdup(s ? s : "");
}

/*
 * Compile @source with @options into @p (p->lock held): sets the build
 * status, log and program.
 */
static cl_int compile_into(cl_program p, const char *source, size_t len,
			   const char *options)
{
	struct vsvm_cc_program *prog = NULL;
	bool zacas = true;
	struct vsvm_cc *cc;
	char *opts;
	cl_int err;
	cl_uint i;
	int rc;

	for (i = 0; i < p->num_devices; i++) {
		if (!p->devices[i]->shader)
			return CL_COMPILER_NOT_AVAILABLE;
		if (!(p->devices[i]->isa & DRM_VSVM_ISA_ZACAS))
			zacas = false;
	}
	cc = vcl_compiler(&err);
	if (!cc)
		return err;
	/* amocas for compare-and-exchange when every engine has Zacas. */
	opts = malloc((options ? strlen(options) : 0) + 16);
	if (!opts)
		return CL_OUT_OF_HOST_MEMORY;
	sprintf(opts, "%s%s", options ? options : "", zacas ? " -vsvm-zacas" : "");
	pthread_mutex_lock(&vcl_cc_lock);
	rc = vsvm_cc_build(cc, VSVM_CC_OPENCL_C, &source, &len, 1, opts, &prog);
	pthread_mutex_unlock(&vcl_cc_lock);
	free(opts);
	clear_build(p);
	p->options = dup_str(options);
	if (prog)
		p->log = dup_str(vsvm_cc_program_log(prog));
	else if (rc)
		p->log = dup_str(vsvm_cc_error(cc));
	if (!rc) {
		p->cc = prog;
		p->build_status = CL_BUILD_SUCCESS;
		return CL_SUCCESS;
	}
	vsvm_cc_program_del(prog);
	p->build_status = CL_BUILD_ERROR;
	if (rc == -ENOMEM)
		return CL_OUT_OF_HOST_MEMORY;
	return rc == -EINVAL ? CL_BUILD_PROGRAM_FAILURE : CL_OUT_OF_RESOURCES;
}

cl_int CL_API_CALL vclBuildProgram(cl_program p, cl_uint n,
				   const cl_device_id *devs,
				   const char *options,
				   void (CL_CALLBACK *notify)(cl_program, void *),
				   void *data)
{
	bool uniform = true;
	cl_int err;

	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	err = check_devices(p, n, devs);
	if (err)
		return err;
	if (!notify && data)
		return CL_INVALID_VALUE;
	err = check_options(options, &uniform);
	if (err)
		return err;
	pthread_mutex_lock(&p->lock);
	if (p->kernels_attached || p->build_status == CL_BUILD_IN_PROGRESS) {
		pthread_mutex_unlock(&p->lock);
		return CL_INVALID_OPERATION;
	}
	if (!p->source) {
		/* From a binary: already an executable. */
		if (p->binary_type == CL_PROGRAM_BINARY_TYPE_EXECUTABLE && p->cc) {
			free(p->options);
			p->options = dup_str(options);
			p->build_status = CL_BUILD_SUCCESS;
			p->uniform_wg = uniform;
			err = CL_SUCCESS;
		} else {
			p->build_status = CL_BUILD_ERROR;
			err = CL_INVALID_BINARY;
		}
	} else {
		p->build_status = CL_BUILD_IN_PROGRESS;
		err = compile_into(p, p->source, p->source_len, options);
		if (err == CL_COMPILER_NOT_AVAILABLE)
			p->build_status = CL_BUILD_NONE;
		if (!err) {
			p->binary_type = CL_PROGRAM_BINARY_TYPE_EXECUTABLE;
			p->uniform_wg = uniform;
		}
	}
	pthread_mutex_unlock(&p->lock);
	if (notify)
		notify(p, data);
	return err;
}

/* ------------------------------------------------------------------ */
/* Separate compilation                                                */

static void free_headers(struct vcl_program_src *src)
{
	size_t i;

	if (!src)
		return;
	for (i = 0; i < src->num_headers; i++) {
		free(src->headers[i].name);
		free(src->headers[i].text);
	}
	free(src->headers);
	free(src);
}

static void rm_tree(const char *dir, const struct vcl_program_src *const *srcs,
		    size_t n)
{
	char path[4096];
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; srcs[i] && j < srcs[i]->num_headers; j++) {
			char *slash;

			snprintf(path, sizeof(path), "%s/%s", dir,
				 srcs[i]->headers[j].name);
			unlink(path);
			/* Remove the directories the name created, deepest first. */
			while ((slash = strrchr(path, '/')) &&
			       (size_t)(slash - path) > strlen(dir)) {
				*slash = 0;
				rmdir(path);
			}
		}
	}
	rmdir(dir);
}

/*
 * Whether the last failed build got past the front end: it failed when
 * linking (a function another object defines) or cutting the image (no
 * kernel of its own). vsvm_cc_error() names the step first.
 */
static bool compiled_until_link(void)
{
	cl_int err;
	struct vsvm_cc *cc = vcl_compiler(&err);
	const char *e;
	bool ok;

	if (!cc)
		return false;
	pthread_mutex_lock(&vcl_cc_lock);
	e = vsvm_cc_error(cc);
	ok = !strncmp(e, "link: undefined symbols", 23) ||
	     !strncmp(e, "image: no code", 14);
	pthread_mutex_unlock(&vcl_cc_lock);
	return ok;
}

/* Write the headers under a new directory; its name goes to @dir. */
static cl_int write_headers(const struct vcl_program_src *const *srcs,
			    size_t n, char *dir, size_t dir_size)
{
	char path[4096];
	size_t i, j;
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, dir_size, "%s/vsvm-cl-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return CL_OUT_OF_HOST_MEMORY;
	for (i = 0; i < n; i++) {
		for (j = 0; srcs[i] && j < srcs[i]->num_headers; j++) {
			const struct vcl_header *h = &srcs[i]->headers[j];
			char *c;
			FILE *f;

			if (snprintf(path, sizeof(path), "%s/%s", dir, h->name) >=
			    (int)sizeof(path))
				goto fail;
			for (c = path + strlen(dir) + 1; (c = strchr(c, '/')); c++) {
				*c = 0;
				mkdir(path, 0700);
				*c = '/';
			}
			f = fopen(path, "w");
			if (!f)
				goto fail;
			fwrite(h->text, 1, h->len, f);
			if (fclose(f))
				goto fail;
		}
	}
	return CL_SUCCESS;
fail:
	rm_tree(dir, srcs, n);
	return CL_OUT_OF_HOST_MEMORY;
}

/* "-I dir " followed by @options. */
static char *with_include(const char *dir, const char *options)
{
	size_t n = strlen(dir) + (options ? strlen(options) : 0) + 8;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "-I %s %s", dir, options ? options : "");
	return s;
}

cl_int CL_API_CALL vclCompileProgram(
	cl_program p, cl_uint n, const cl_device_id *devs, const char *options,
	cl_uint num_headers, const cl_program *headers,
	const char **header_names,
	void (CL_CALLBACK *notify)(cl_program, void *), void *data)
{
	struct vcl_program_src *src = NULL;
	char dir[4096], *opts = NULL;
	bool uniform;
	cl_int err;
	cl_uint i;

	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	err = check_devices(p, n, devs);
	if (err)
		return err;
	if (!notify && data)
		return CL_INVALID_VALUE;
	if ((num_headers && (!headers || !header_names)) ||
	    (!num_headers && (headers || header_names)))
		return CL_INVALID_VALUE;
	for (i = 0; i < num_headers; i++) {
		if (!valid_program(headers[i]) || !headers[i]->source)
			return CL_INVALID_PROGRAM;
		if (!header_names[i] || !*header_names[i] ||
		    header_names[i][0] == '/' || strstr(header_names[i], ".."))
			return CL_INVALID_VALUE;
	}
	err = check_options(options, &uniform);
	if (err)
		return err;
	if (!p->source)
		return CL_INVALID_OPERATION;
	src = calloc(1, sizeof(*src));
	if (!src)
		return CL_OUT_OF_HOST_MEMORY;
	if (num_headers) {
		src->headers = calloc(num_headers, sizeof(*src->headers));
		if (!src->headers) {
			free(src);
			return CL_OUT_OF_HOST_MEMORY;
		}
		src->num_headers = num_headers;
		for (i = 0; i < num_headers; i++) {
			src->headers[i].name = strdup(header_names[i]);
			src->headers[i].text = malloc(headers[i]->source_len + 1);
			if (!src->headers[i].name || !src->headers[i].text) {
				free_headers(src);
				return CL_OUT_OF_HOST_MEMORY;
			}
			memcpy(src->headers[i].text, headers[i]->source,
			       headers[i]->source_len + 1);
			src->headers[i].len = headers[i]->source_len;
		}
	}
	pthread_mutex_lock(&p->lock);
	if (p->kernels_attached) {
		pthread_mutex_unlock(&p->lock);
		free_headers(src);
		return CL_INVALID_OPERATION;
	}
	err = write_headers((const struct vcl_program_src *const *)&src, 1,
			    dir, sizeof(dir));
	if (!err) {
		opts = with_include(dir, options);
		err = opts ? compile_into(p, p->source, p->source_len, opts) :
			     CL_OUT_OF_HOST_MEMORY;
		rm_tree(dir, (const struct vcl_program_src *const *)&src, 1);
	}
	/*
	 * An object may call functions other objects define: a build that
	 * got as far as the link step compiled.
	 */
	if (err == CL_BUILD_PROGRAM_FAILURE && compiled_until_link()) {
		free(p->log);
		p->log = dup_str("");
		err = CL_SUCCESS;
	}
	if (!err) {
		/* An object: its source, headers and options, for the link. */
		free(p->options);
		p->options = dup_str(options);
		vsvm_cc_program_del(p->cc);
		p->cc = NULL;
		p->binary_type = CL_PROGRAM_BINARY_TYPE_COMPILED_OBJECT;
		p->build_status = CL_BUILD_SUCCESS;
		free_headers((struct vcl_program_src *)p->payload_src);
		p->payload_src = src;
		src = NULL;
	} else if (err == CL_BUILD_PROGRAM_FAILURE) {
		err = CL_COMPILE_PROGRAM_FAILURE;
	}
	pthread_mutex_unlock(&p->lock);
	free(opts);
	free_headers(src);
	if (notify)
		notify(p, data);
	return err;
}

cl_program CL_API_CALL vclLinkProgram(
	cl_context ctx, cl_uint n, const cl_device_id *devs,
	const char *options, cl_uint num_inputs, const cl_program *inputs,
	void (CL_CALLBACK *notify)(cl_program, void *), void *data,
	cl_int *errcode_ret)
{
	const struct vcl_program_src *srcs[64];
	cl_program p = NULL;
	char dir[4096], *all = NULL, *opts = NULL;
	size_t total = 0, off = 0;
	bool uniform = true;
	cl_int err;
	cl_uint i;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT)) {
		err = CL_INVALID_CONTEXT;
		goto out;
	}
	err = CL_INVALID_VALUE;
	if ((!devs && n) || (devs && !n) || !num_inputs || !inputs ||
	    (!notify && data) || num_inputs > 64)
		goto out;
	for (i = 0; i < n; i++) {
		if (!vcl_device_valid(devs[i]) ||
		    !vcl_context_has_device(ctx, devs[i])) {
			err = CL_INVALID_DEVICE;
			goto out;
		}
	}
	/* Link options are the only ones accepted, and none is known here. */
	if (options && strspn(options, " \t\n") != strlen(options) &&
	    strcmp(options, "-create-library") &&
	    strcmp(options, "-enable-link-options")) {
		err = CL_INVALID_LINKER_OPTIONS;
		goto out;
	}
	for (i = 0; i < num_inputs; i++) {
		if (!valid_program(inputs[i]) || inputs[i]->ctx != ctx) {
			err = CL_INVALID_PROGRAM;
			goto out;
		}
		pthread_mutex_lock(&inputs[i]->lock);
		if (inputs[i]->binary_type != CL_PROGRAM_BINARY_TYPE_COMPILED_OBJECT &&
		    inputs[i]->binary_type != CL_PROGRAM_BINARY_TYPE_LIBRARY)
			err = CL_INVALID_OPERATION;
		pthread_mutex_unlock(&inputs[i]->lock);
		if (err == CL_INVALID_OPERATION)
			goto out;
		total += inputs[i]->source_len + 1;
		srcs[i] = inputs[i]->payload_src;
	}
	all = malloc(total + 1);
	if (!all) {
		err = CL_OUT_OF_HOST_MEMORY;
		goto out;
	}
	for (i = 0; i < num_inputs; i++) {
		memcpy(all + off, inputs[i]->source, inputs[i]->source_len);
		off += inputs[i]->source_len;
		all[off++] = '\n';
	}
	all[off] = 0;
	p = program_new(ctx, &err);
	if (!p)
		goto out;
	p->source = all;
	p->source_len = off;
	all = NULL;
	if (n) {
		p->num_devices = n;
		memcpy(p->devices, devs, n * sizeof(cl_device_id));
	} else {
		p->num_devices = ctx->num_devices;
		memcpy(p->devices, ctx->devices,
		       ctx->num_devices * sizeof(cl_device_id));
	}
	if (options && strstr(options, "-create-library")) {
		/* A library stays source until an executable is linked. */
		p->binary_type = CL_PROGRAM_BINARY_TYPE_LIBRARY;
		p->build_status = CL_BUILD_SUCCESS;
		goto out;
	}
	/* The compile options of the first input choose the language. */
	pthread_mutex_lock(&inputs[0]->lock);
	opts = dup_str(inputs[0]->options);
	pthread_mutex_unlock(&inputs[0]->lock);
	if (!opts || check_options(opts, &uniform)) {
		free(opts);
		opts = dup_str("");
	}
	pthread_mutex_lock(&p->lock);
	err = write_headers(srcs, num_inputs, dir, sizeof(dir));
	if (!err) {
		char *o = with_include(dir, opts);

		err = o ? compile_into(p, p->source, p->source_len, o) :
			  CL_OUT_OF_HOST_MEMORY;
		free(o);
		rm_tree(dir, srcs, num_inputs);
	}
	if (!err) {
		p->binary_type = CL_PROGRAM_BINARY_TYPE_EXECUTABLE;
		p->uniform_wg = uniform;
		free(p->options);
		p->options = dup_str(options);
	} else if (err == CL_BUILD_PROGRAM_FAILURE) {
		err = CL_LINK_PROGRAM_FAILURE;
	}
	pthread_mutex_unlock(&p->lock);
	/* A failed link still returns the program, for its log. */
	if (err && err != CL_LINK_PROGRAM_FAILURE) {
		VCL_PUT(p);
		p = NULL;
	}
out:
	free(all);
	free(opts);
	if (notify && p)
		notify(p, data);
	if (errcode_ret)
		*errcode_ret = err;
	return p;
}

cl_int CL_API_CALL vclUnloadCompiler(void)
{
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclUnloadPlatformCompiler(cl_platform_id platform)
{
	return platform == vcl_platform() ? CL_SUCCESS : CL_INVALID_PLATFORM;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

static cl_int kernel_names(cl_program p, size_t size, void *value,
			   size_t *size_ret)
{
	unsigned int i, n = vsvm_cc_program_num_kernels(p->cc);
	size_t len = 1;
	char *s;
	cl_int err;

	for (i = 0; i < n; i++)
		len += strlen(vsvm_cc_program_kernel(p->cc, i)->name) + 1;
	s = calloc(1, len);
	if (!s)
		return CL_OUT_OF_HOST_MEMORY;
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, ";");
		strcat(s, vsvm_cc_program_kernel(p->cc, i)->name);
	}
	err = vcl_info_str(size, value, size_ret, s);
	free(s);
	return err;
}

cl_int CL_API_CALL vclGetProgramInfo(cl_program p, cl_program_info name,
				     size_t size, void *value, size_t *size_ret)
{
	size_t sizes[VCL_MAX_DEVICES];
	void *bin = NULL;
	size_t bin_size = 0;
	cl_int err = CL_SUCCESS;
	cl_uint i;

	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	switch (name) {
	case CL_PROGRAM_REFERENCE_COUNT:
		VCL_INFO(cl_uint, atomic_load(&p->obj.ref));
	case CL_PROGRAM_CONTEXT:
		VCL_INFO(cl_context, p->ctx);
	case CL_PROGRAM_NUM_DEVICES:
		VCL_INFO(cl_uint, p->num_devices);
	case CL_PROGRAM_DEVICES:
		return vcl_info(size, value, size_ret, p->devices,
				p->num_devices * sizeof(cl_device_id));
	case CL_PROGRAM_SOURCE:
		VCL_INFO_STR(p->source ? p->source : "");
	case CL_PROGRAM_IL:
		return vcl_info(size, value, size_ret, NULL, 0);
	case CL_PROGRAM_SCOPE_GLOBAL_CTORS_PRESENT:
	case CL_PROGRAM_SCOPE_GLOBAL_DTORS_PRESENT:
		VCL_INFO(cl_bool, CL_FALSE);
	default:
		break;
	}

	pthread_mutex_lock(&p->lock);
	switch (name) {
	case CL_PROGRAM_BINARY_SIZES:
	case CL_PROGRAM_BINARIES:
		if (p->cc && vsvm_cc_program_binary(p->cc, &bin, &bin_size)) {
			err = CL_OUT_OF_HOST_MEMORY;
			break;
		}
		if (name == CL_PROGRAM_BINARY_SIZES) {
			for (i = 0; i < p->num_devices; i++)
				sizes[i] = bin_size;
			err = vcl_info(size, value, size_ret, sizes,
				       p->num_devices * sizeof(size_t));
			break;
		}
		/* @value is the application's array of destinations. */
		if (value && size < p->num_devices * sizeof(unsigned char *)) {
			err = CL_INVALID_VALUE;
			break;
		}
		if (size_ret)
			*size_ret = p->num_devices * sizeof(unsigned char *);
		for (i = 0; value && i < p->num_devices; i++)
			if (((unsigned char **)value)[i] && bin_size)
				memcpy(((unsigned char **)value)[i], bin, bin_size);
		break;
	case CL_PROGRAM_NUM_KERNELS:
		if (!p->cc || p->binary_type != CL_PROGRAM_BINARY_TYPE_EXECUTABLE ||
		    p->build_status != CL_BUILD_SUCCESS)
			err = CL_INVALID_PROGRAM_EXECUTABLE;
		else
			err = vcl_info(size, value, size_ret, &(size_t){
				vsvm_cc_program_num_kernels(p->cc) }, sizeof(size_t));
		break;
	case CL_PROGRAM_KERNEL_NAMES:
		if (!p->cc || p->binary_type != CL_PROGRAM_BINARY_TYPE_EXECUTABLE ||
		    p->build_status != CL_BUILD_SUCCESS)
			err = CL_INVALID_PROGRAM_EXECUTABLE;
		else
			err = kernel_names(p, size, value, size_ret);
		break;
	default:
		err = CL_INVALID_VALUE;
		break;
	}
	pthread_mutex_unlock(&p->lock);
	free(bin);
	return err;
}

cl_int CL_API_CALL vclGetProgramBuildInfo(cl_program p, cl_device_id dev,
					  cl_program_build_info name,
					  size_t size, void *value,
					  size_t *size_ret)
{
	cl_int err;

	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	if (dev_slot(p, dev) < 0)
		return CL_INVALID_DEVICE;
	pthread_mutex_lock(&p->lock);
	switch (name) {
	case CL_PROGRAM_BUILD_STATUS:
		err = vcl_info(size, value, size_ret, &p->build_status,
			       sizeof(cl_build_status));
		break;
	case CL_PROGRAM_BUILD_OPTIONS:
		err = vcl_info_str(size, value, size_ret,
				   p->options ? p->options : "");
		break;
	case CL_PROGRAM_BUILD_LOG:
		err = vcl_info_str(size, value, size_ret, p->log ? p->log : "");
		break;
	case CL_PROGRAM_BINARY_TYPE:
		err = vcl_info(size, value, size_ret, &p->binary_type,
			       sizeof(cl_program_binary_type));
		break;
	case CL_PROGRAM_BUILD_GLOBAL_VARIABLE_TOTAL_SIZE:
		err = vcl_info(size, value, size_ret, &(size_t){
			p->cc ? vsvm_cc_program_global_size(p->cc) : 0 },
			sizeof(size_t));
		break;
	default:
		err = CL_INVALID_VALUE;
		break;
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

cl_int CL_API_CALL vclSetProgramReleaseCallback(
	cl_program p, void (CL_CALLBACK *fn)(cl_program, void *), void *data)
{
	(void)data;
	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	if (!fn)
		return CL_INVALID_VALUE;
	/* No program-scope constructors or destructors exist here. */
	return CL_INVALID_OPERATION;
}

cl_int CL_API_CALL vclSetProgramSpecializationConstant(cl_program p,
						       cl_uint id, size_t size,
						       const void *value)
{
	(void)id; (void)size; (void)value;
	if (!valid_program(p))
		return CL_INVALID_PROGRAM;
	return CL_INVALID_OPERATION;	/* not created from an IL */
}

/* ------------------------------------------------------------------ */

/* The program's handle on @dev, uploading its image the first time. */
cl_int vcl_program_gpu(cl_program p, cl_device_id dev, uint32_t *handle,
		       uint64_t *static_local)
{
	const struct drm_vsvm_program_header *hdr;
	const void *image;
	size_t size = 0;
	cl_int err = CL_SUCCESS;
	int slot, rc;

	pthread_mutex_lock(&p->lock);
	slot = dev_slot(p, dev);
	if (slot < 0 || !p->cc || p->build_status != CL_BUILD_SUCCESS ||
	    p->binary_type != CL_PROGRAM_BINARY_TYPE_EXECUTABLE || !dev->shader) {
		err = CL_INVALID_PROGRAM_EXECUTABLE;
		goto out;
	}
	image = vsvm_cc_program_image(p->cc, &size);
	if (!image || size < sizeof(*hdr)) {
		err = CL_INVALID_PROGRAM_EXECUTABLE;
		goto out;
	}
	hdr = image;
	*static_local = hdr->local_size;
	if (!p->gpu[slot]) {
		rc = vcl_gpu_program_new(dev, image, size, &p->gpu[slot]);
		if (rc) {
			err = rc == -ENOMEM ? CL_OUT_OF_HOST_MEMORY :
			      rc == -EINVAL ? CL_INVALID_PROGRAM_EXECUTABLE :
					      CL_OUT_OF_RESOURCES;
			goto out;
		}
	}
	*handle = vcl_gpu_program_handle(p->gpu[slot]);
out:
	pthread_mutex_unlock(&p->lock);
	return err;
}
