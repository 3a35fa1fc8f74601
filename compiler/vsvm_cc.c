// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * libvsvm_cc: the API of vsvm_cc.h around the pipeline
 * clang (frontend.c) -> LLVM (ir.c) -> ld.lld and the image (link.c).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cc_fail(struct vsvm_cc *cc, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cc->error, sizeof(cc->error), fmt, ap);
	va_end(ap);
	return err;
}

int build_fail(struct build *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->cc->error, sizeof(b->cc->error), fmt, ap);
	va_end(ap);
	if (b->prog->log.len && b->prog->log.s[b->prog->log.len - 1] != '\n')
		sb_puts(&b->prog->log, "\n");
	sb_printf(&b->prog->log, "vsvm-cc: %s\n", b->cc->error);
	return -EINVAL;
}

const char *build_path(struct build *b, const char *name)
{
	snprintf(b->path, sizeof(b->path), "%s/%s", b->dir, name);
	return b->path;
}

void *prog_own(struct vsvm_cc_program *prog, void *p)
{
	void **o;

	if (!p) {
		prog->oom = 1;
		return NULL;
	}
	if (prog->num_owned == prog->cap_owned) {
		size_t cap = prog->cap_owned ? 2 * prog->cap_owned : 32;

		o = realloc(prog->owned, cap * sizeof(*o));
		if (!o) {
			free(p);
			prog->oom = 1;
			return NULL;
		}
		prog->owned = o;
		prog->cap_owned = cap;
	}
	prog->owned[prog->num_owned++] = p;
	return p;
}

char *prog_strdup(struct vsvm_cc_program *prog, const char *s)
{
	return prog_own(prog, strdup(s));
}

struct vsvm_cc_program *prog_alloc(void)
{
	struct vsvm_cc_program *prog = calloc(1, sizeof(*prog));

	if (prog)
		sb_init(&prog->log);
	return prog;
}

VSVM_CC_EXPORT int vsvm_cc_new(struct vsvm_cc **out)
{
	struct vsvm_cc *cc;
	int ret;

	*out = NULL;
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return -ENOMEM;
	ret = tools_find(cc);
	if (!ret)
		ret = ir_init(cc);
	*out = cc;	/* even on error, for vsvm_cc_error() */
	return ret;
}

VSVM_CC_EXPORT void vsvm_cc_del(struct vsvm_cc *cc)
{
	free(cc);
}

VSVM_CC_EXPORT const char *vsvm_cc_error(const struct vsvm_cc *cc)
{
	return cc ? cc->error : "no compiler";
}

VSVM_CC_EXPORT int vsvm_cc_build(struct vsvm_cc *cc, enum vsvm_cc_lang lang,
				 const char *const *sources, const size_t *lengths,
				 unsigned int count, const char *options,
				 struct vsvm_cc_program **out)
{
	struct build b = { .cc = cc, .lang = lang };
	int ret;

	*out = NULL;
	cc->error[0] = 0;
	if (lang != VSVM_CC_OPENCL_C && lang != VSVM_CC_C && lang != VSVM_CC_ASM)
		return cc_fail(cc, -EINVAL, "vsvm_cc_build: unknown language %d", (int)lang);
	if (!count || !sources)
		return cc_fail(cc, -EINVAL, "vsvm_cc_build: no sources");
	b.prog = prog_alloc();
	if (!b.prog)
		return -ENOMEM;
	*out = b.prog;
	ret = opts_parse(&b, options);
	if (ret)
		goto out;
	b.prog->zacas = b.opts.zacas;
	ret = tmpdir_new(&b.dir);
	if (ret) {
		b.dir = NULL;
		ret = cc_fail(cc, ret, "vsvm_cc_build: cannot create a temporary directory");
		goto out;
	}
	ret = frontend_run(&b, sources, lengths, count);
	if (!ret && lang != VSVM_CC_ASM)
		ret = ir_run(&b);
	if (!ret)
		ret = link_run(&b);
	if (!ret && (b.prog->oom || b.prog->log.oom))
		ret = -ENOMEM;
out:
	if (getenv("VSVM_CC_KEEP_TEMPS") && b.dir) {
		sb_printf(&b.prog->log, "vsvm-cc: temporary files kept in %s\n", b.dir);
		free(b.dir);
	} else {
		tmpdir_del(b.dir);
	}
	opts_free(&b.opts);
	if (ret) {
		/* a failed build keeps only its log */
		free(b.prog->kernels);
		b.prog->kernels = NULL;
		b.prog->num_kernels = 0;
		b.prog->image = NULL;
		b.prog->image_size = 0;
		b.prog->elf = NULL;
		b.prog->elf_size = 0;
		if (ret != -EINVAL && !b.prog->log.len)
			sb_printf(&b.prog->log, "vsvm-cc: %s\n", cc->error);
	}
	return ret;
}

VSVM_CC_EXPORT void vsvm_cc_program_del(struct vsvm_cc_program *prog)
{
	size_t i;

	if (!prog)
		return;
	for (i = 0; i < prog->num_owned; i++)
		free(prog->owned[i]);
	free(prog->owned);
	free(prog->kernels);
	sb_free(&prog->log);
	free(prog);
}

VSVM_CC_EXPORT const char *vsvm_cc_program_log(const struct vsvm_cc_program *prog)
{
	return prog ? sb_str(&prog->log) : "";
}

VSVM_CC_EXPORT const void *vsvm_cc_program_image(const struct vsvm_cc_program *prog,
						 size_t *size)
{
	*size = prog ? prog->image_size : 0;
	return prog ? prog->image : NULL;
}

VSVM_CC_EXPORT const void *vsvm_cc_program_elf(const struct vsvm_cc_program *prog,
					       size_t *size)
{
	*size = prog ? prog->elf_size : 0;
	return prog ? prog->elf : NULL;
}

VSVM_CC_EXPORT unsigned int vsvm_cc_program_num_kernels(const struct vsvm_cc_program *prog)
{
	return prog ? prog->num_kernels : 0;
}

VSVM_CC_EXPORT const struct vsvm_cc_kernel *
vsvm_cc_program_kernel(const struct vsvm_cc_program *prog, unsigned int i)
{
	return prog && i < prog->num_kernels ? &prog->kernels[i] : NULL;
}

VSVM_CC_EXPORT const struct vsvm_cc_kernel *
vsvm_cc_program_find_kernel(const struct vsvm_cc_program *prog, const char *name)
{
	unsigned int i;

	for (i = 0; prog && name && i < prog->num_kernels; i++)
		if (!strcmp(prog->kernels[i].name, name))
			return &prog->kernels[i];
	return NULL;
}

VSVM_CC_EXPORT size_t vsvm_cc_program_global_size(const struct vsvm_cc_program *prog)
{
	return prog ? prog->global_size : 0;
}
