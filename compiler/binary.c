// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * CL_PROGRAM_BINARIES: the image and the kernel descriptions in one blob,
 * read back by vsvm_cc_program_from_binary() which checks every field and
 * every instruction (a blob comes from the application: never trusted).
 *
 * Layout (little endian, the host's): struct bin_header, then the
 * kernels (struct bin_kernel), the arguments (struct bin_arg), the
 * string table (NUL-terminated strings, referenced by offset) and the
 * image, each at the offset the header gives.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BIN_MAGIC "VSVMCCB"
#define BIN_VERSION 1
#define BIN_ZACAS 0x1u
#define MAX_ARGS 4096
#define MAX_KERNELS 65536
#define MAX_PRIVATE (64u << 20)

struct bin_header {
	char magic[8];
	uint32_t version;
	uint32_t flags;
	uint32_t num_kernels;
	uint32_t num_args;
	uint64_t global_size;
	uint64_t kernels_offset;
	uint64_t args_offset;
	uint64_t strings_offset;
	uint64_t strings_size;
	uint64_t image_offset;
	uint64_t image_size;
};

struct bin_kernel {
	uint64_t entry;
	uint32_t name;
	uint32_t attributes;
	uint32_t first_arg;
	uint32_t num_args;
	uint32_t kernarg_size;
	uint32_t kernarg_align;
	uint32_t private_size;
	uint32_t reqd_work_group_size[3];
	uint32_t work_group_size_hint[3];
	uint32_t pad;
};

struct bin_arg {
	uint32_t name;
	uint32_t type_name;
	uint32_t kind;
	uint32_t size;
	uint32_t align;
	uint32_t offset;
	uint32_t access_qual;
	uint32_t type_qual;
};

static uint32_t add_string(struct sbuf *st, const char *s)
{
	uint32_t off = (uint32_t)st->len;

	sb_add(st, s, strlen(s) + 1);
	return off;
}

VSVM_CC_EXPORT int vsvm_cc_program_binary(const struct vsvm_cc_program *prog, void **bin,
					  size_t *size)
{
	struct bin_header h = { .magic = BIN_MAGIC, .version = BIN_VERSION };
	struct bin_kernel *bk = NULL;
	struct bin_arg *ba = NULL;
	struct sbuf st;
	unsigned int i, j, na = 0;
	unsigned char *out;
	size_t total;

	*bin = NULL;
	*size = 0;
	if (!prog || !prog->image)
		return -EINVAL;
	for (i = 0; i < prog->num_kernels; i++)
		na += prog->kernels[i].num_args;
	bk = calloc(prog->num_kernels ? prog->num_kernels : 1, sizeof(*bk));
	ba = calloc(na ? na : 1, sizeof(*ba));
	sb_init(&st);
	if (!bk || !ba)
		goto nomem;
	na = 0;
	for (i = 0; i < prog->num_kernels; i++) {
		const struct vsvm_cc_kernel *k = &prog->kernels[i];

		bk[i] = (struct bin_kernel) {
			.entry = k->entry,
			.name = add_string(&st, k->name),
			.attributes = add_string(&st, k->attributes),
			.first_arg = na,
			.num_args = k->num_args,
			.kernarg_size = k->kernarg_size,
			.kernarg_align = k->kernarg_align,
			.private_size = k->private_size,
		};
		memcpy(bk[i].reqd_work_group_size, k->reqd_work_group_size, 12);
		memcpy(bk[i].work_group_size_hint, k->work_group_size_hint, 12);
		for (j = 0; j < k->num_args; j++, na++) {
			const struct vsvm_cc_arg *a = &k->args[j];

			ba[na] = (struct bin_arg) {
				.name = add_string(&st, a->name),
				.type_name = add_string(&st, a->type_name),
				.kind = (uint32_t)a->kind,
				.size = a->size,
				.align = a->align,
				.offset = a->offset,
				.access_qual = a->access_qual,
				.type_qual = a->type_qual,
			};
		}
	}
	if (st.oom)
		goto nomem;
	h.flags = prog->zacas ? BIN_ZACAS : 0;
	h.num_kernels = prog->num_kernels;
	h.num_args = na;
	h.global_size = prog->global_size;
	h.kernels_offset = sizeof(h);
	h.args_offset = h.kernels_offset + prog->num_kernels * sizeof(*bk);
	h.strings_offset = h.args_offset + na * sizeof(*ba);
	h.strings_size = st.len;
	h.image_offset = ALIGN_UP(h.strings_offset + st.len, 16);
	h.image_size = prog->image_size;
	total = h.image_offset + h.image_size;
	out = calloc(1, total);
	if (!out)
		goto nomem;
	memcpy(out, &h, sizeof(h));
	memcpy(out + h.kernels_offset, bk, prog->num_kernels * sizeof(*bk));
	memcpy(out + h.args_offset, ba, na * sizeof(*ba));
	memcpy(out + h.strings_offset, sb_str(&st), st.len);
	memcpy(out + h.image_offset, prog->image, prog->image_size);
	free(bk);
	free(ba);
	sb_free(&st);
	*bin = out;
	*size = total;
	return 0;
nomem:
	free(bk);
	free(ba);
	sb_free(&st);
	return -ENOMEM;
}

/* A string of the table, NULL if @off is not the start of a terminated one. */
static const char *get_string(const char *tab, uint64_t size, uint32_t off)
{
	if (off >= size || !memchr(tab + off, 0, size - off))
		return NULL;
	return tab + off;
}

static int in_blob(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static int pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

static int load_kernel(struct vsvm_cc_program *prog, const struct bin_header *h,
		       const unsigned char *p, const struct bin_kernel *bk,
		       struct vsvm_cc_kernel *k)
{
	const char *tab = (const char *)p + h->strings_offset;
	const struct bin_arg *ba = (const void *)(p + h->args_offset);
	struct vsvm_cc_arg *args;
	const char *s;
	uint32_t j;

	if (bk->pad || bk->first_arg > h->num_args || bk->num_args > h->num_args - bk->first_arg ||
	    bk->num_args > MAX_ARGS || !pow2(bk->kernarg_align) || bk->kernarg_align < 8 ||
	    bk->kernarg_align > 4096 || bk->kernarg_size % bk->kernarg_align ||
	    bk->private_size % 16 || bk->private_size > MAX_PRIVATE ||
	    !image_has_code(prog->image, prog->image_size, bk->entry))
		return -EINVAL;
	s = get_string(tab, h->strings_size, bk->name);
	if (!s || !*s)
		return -EINVAL;
	k->name = prog_strdup(prog, s);
	s = get_string(tab, h->strings_size, bk->attributes);
	if (!s)
		return -EINVAL;
	k->attributes = prog_strdup(prog, s);
	k->entry = bk->entry;
	k->num_args = bk->num_args;
	k->kernarg_size = bk->kernarg_size;
	k->kernarg_align = bk->kernarg_align;
	k->private_size = bk->private_size;
	memcpy(k->reqd_work_group_size, bk->reqd_work_group_size, 12);
	memcpy(k->work_group_size_hint, bk->work_group_size_hint, 12);
	args = prog_own(prog, calloc(bk->num_args ? bk->num_args : 1, sizeof(*args)));
	if (!args || !k->name || !k->attributes)
		return -ENOMEM;
	k->args = args;
	for (j = 0; j < bk->num_args; j++) {
		const struct bin_arg *a;
		struct bin_arg v;

		a = &ba[bk->first_arg + j];
		memcpy(&v, a, sizeof(v));
		if (v.kind > VSVM_CC_ARG_LOCAL || !pow2(v.align) || v.align > bk->kernarg_align ||
		    v.offset % v.align || v.offset > bk->kernarg_size ||
		    v.size > bk->kernarg_size - v.offset ||
		    (v.kind != VSVM_CC_ARG_VALUE && v.size != 8) || !v.size)
			return -EINVAL;
		if (v.access_qual && (v.access_qual < 0x11A0 || v.access_qual > 0x11A3))
			return -EINVAL;
		if (v.type_qual & ~0xfu)
			return -EINVAL;
		s = get_string(tab, h->strings_size, v.name);
		if (!s)
			return -EINVAL;
		args[j].name = prog_strdup(prog, s);
		s = get_string(tab, h->strings_size, v.type_name);
		if (!s)
			return -EINVAL;
		args[j].type_name = prog_strdup(prog, s);
		args[j].kind = (enum vsvm_cc_arg_kind)v.kind;
		args[j].size = v.size;
		args[j].align = v.align;
		args[j].offset = v.offset;
		args[j].access_qual = v.access_qual;
		args[j].type_qual = v.type_qual;
		if (!args[j].name || !args[j].type_name)
			return -ENOMEM;
	}
	return 0;
}

VSVM_CC_EXPORT int vsvm_cc_program_from_binary(const void *bin, size_t size,
					       struct vsvm_cc_program **out)
{
	const unsigned char *p = bin;
	struct vsvm_cc_program *prog;
	struct bin_header h;
	char why[160];
	uint32_t i;
	int ret;

	*out = NULL;
	if (!bin || size < sizeof(h))
		return -EINVAL;
	memcpy(&h, p, sizeof(h));
	if (memcmp(h.magic, BIN_MAGIC, sizeof(h.magic)) || h.version != BIN_VERSION ||
	    h.flags & ~BIN_ZACAS || h.num_kernels > MAX_KERNELS ||
	    h.num_args > MAX_KERNELS * (uint64_t)16 ||
	    !in_blob(h.kernels_offset, (uint64_t)h.num_kernels * sizeof(struct bin_kernel), size) ||
	    !in_blob(h.args_offset, (uint64_t)h.num_args * sizeof(struct bin_arg), size) ||
	    !in_blob(h.strings_offset, h.strings_size, size) ||
	    !in_blob(h.image_offset, h.image_size, size) ||
	    h.kernels_offset % 8 || h.args_offset % 4 || h.image_offset % 8 || !h.image_size)
		return -EINVAL;
	prog = prog_alloc();
	if (!prog)
		return -ENOMEM;
	prog->zacas = !!(h.flags & BIN_ZACAS);
	prog->global_size = h.global_size;
	prog->image = prog_own(prog, malloc(h.image_size));
	if (!prog->image) {
		ret = -ENOMEM;
		goto fail;
	}
	memcpy(prog->image, p + h.image_offset, h.image_size);
	prog->image_size = h.image_size;
	ret = image_check(prog->image, prog->image_size, prog->zacas, why, sizeof(why));
	if (ret)
		goto fail;
	prog->kernels = calloc(h.num_kernels ? h.num_kernels : 1, sizeof(*prog->kernels));
	if (!prog->kernels) {
		ret = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < h.num_kernels; i++) {
		struct bin_kernel bk;

		memcpy(&bk, p + h.kernels_offset + i * sizeof(bk), sizeof(bk));
		ret = load_kernel(prog, &h, p, &bk, &prog->kernels[i]);
		if (ret)
			goto fail;
		prog->num_kernels = i + 1;
	}
	*out = prog;
	return 0;
fail:
	vsvm_cc_program_del(prog);
	return ret;
}
