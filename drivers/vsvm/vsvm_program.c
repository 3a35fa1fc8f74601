// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm shader programs
 *
 * DRM_IOCTL_VSVM_PROGRAM_CREATE copies a program image into the kernel
 * and validates all of it before anything is kept: the header, every
 * segment (inside the image area, page aligned, not overlapping, R, never
 * W and X together, contents inside the image), every word of the
 * executable segments (vsvm_isa_decode()), and every direct branch and
 * jump target (4-byte aligned, inside an executable segment). The first
 * field or instruction found wrong is reported by its offset in the
 * image. Executable segments are decoded once, here.
 *
 * A program is refcounted: the file's handle holds a reference and every
 * dispatch that uses it holds another, so PROGRAM_DESTROY (or closing the
 * file) never pulls a program from under a running dispatch (handles:
 * vsvm_program_ioctl.c). Program memory is charged to the caller's memory
 * cgroup.
 */

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <kunit/visibility.h>

#include "vsvm_shader.h"

#define HDR_OFF(f)	offsetof(struct drm_vsvm_program_header, f)
#define SEG_OFF(i, f)	(sizeof(struct drm_vsvm_program_header) + \
			 (i) * sizeof(struct drm_vsvm_program_segment) + \
			 offsetof(struct drm_vsvm_program_segment, f))

static int vsvm_bad(u64 *error_offset, u64 offset)
{
	*error_offset = offset;
	return -EINVAL;
}

static int vsvm_check_header(const struct drm_vsvm_program_header *h,
			     size_t size, u64 *err)
{
	if (size < sizeof(*h))
		return vsvm_bad(err, 0);
	if (h->magic != DRM_VSVM_PROGRAM_MAGIC)
		return vsvm_bad(err, HDR_OFF(magic));
	if (h->version != DRM_VSVM_PROGRAM_VERSION)
		return vsvm_bad(err, HDR_OFF(version));
	if (!h->num_segments || h->num_segments > DRM_VSVM_PROGRAM_MAX_SEGMENTS ||
	    size < sizeof(*h) + h->num_segments *
		   sizeof(struct drm_vsvm_program_segment))
		return vsvm_bad(err, HDR_OFF(num_segments));
	if (h->flags)
		return vsvm_bad(err, HDR_OFF(flags));
	if (h->local_size > VSVM_SHADER_MAX_LOCAL_MEM)
		return vsvm_bad(err, HDR_OFF(local_size));
	if (h->reserved[0] || h->reserved[1])
		return vsvm_bad(err, HDR_OFF(reserved));
	return 0;
}

static int vsvm_check_segment(const struct drm_vsvm_program_segment *s,
			      unsigned int i, size_t size, u64 *total,
			      u64 *err)
{
	u64 end;

	if (!PAGE_ALIGNED(s->vaddr) || s->vaddr < DRM_VSVM_SHADER_IMAGE ||
	    s->vaddr - DRM_VSVM_SHADER_IMAGE >= DRM_VSVM_SHADER_IMAGE_SIZE)
		return vsvm_bad(err, SEG_OFF(i, vaddr));
	if (s->offset > size)
		return vsvm_bad(err, SEG_OFF(i, offset));
	if (s->file_size > size - s->offset ||
	    ((s->flags & DRM_VSVM_SEGMENT_X) && s->file_size % 4))
		return vsvm_bad(err, SEG_OFF(i, file_size));
	if (!s->mem_size || s->mem_size < s->file_size ||
	    check_add_overflow(s->vaddr, s->mem_size, &end) ||
	    end > DRM_VSVM_SHADER_IMAGE + DRM_VSVM_SHADER_IMAGE_SIZE ||
	    ((s->flags & DRM_VSVM_SEGMENT_X) && s->mem_size != s->file_size) ||
	    check_add_overflow(*total, s->mem_size, total) ||
	    *total > VSVM_SHADER_MAX_PROGRAM_SIZE)
		return vsvm_bad(err, SEG_OFF(i, mem_size));
	if (!(s->flags & DRM_VSVM_SEGMENT_R) ||
	    (s->flags & ~(DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_W |
			  DRM_VSVM_SEGMENT_X)) ||
	    ((s->flags & DRM_VSVM_SEGMENT_W) && (s->flags & DRM_VSVM_SEGMENT_X)))
		return vsvm_bad(err, SEG_OFF(i, flags));
	if (s->pad)
		return vsvm_bad(err, SEG_OFF(i, pad));
	return 0;
}

static int vsvm_check_segments(const struct drm_vsvm_program_segment *segs,
			       unsigned int n, size_t size, u64 *err)
{
	bool text = false;
	unsigned int i, j;
	u64 total = 0;
	int ret;

	for (i = 0; i < n; i++) {
		ret = vsvm_check_segment(&segs[i], i, size, &total, err);
		if (ret)
			return ret;
		for (j = 0; j < i; j++)
			if (segs[i].vaddr < segs[j].vaddr + segs[j].mem_size &&
			    segs[j].vaddr < segs[i].vaddr + segs[i].mem_size)
				return vsvm_bad(err, SEG_OFF(i, vaddr));
		text |= segs[i].flags & DRM_VSVM_SEGMENT_X;
	}
	if (!text)
		return vsvm_bad(err, HDR_OFF(num_segments));
	return 0;
}

static void vsvm_program_free(struct kref *ref)
{
	struct vsvm_program *prog = container_of(ref, struct vsvm_program, ref);
	unsigned int i;

	for (i = 0; i < prog->num_segments; i++) {
		kvfree(prog->seg[i].insns);
		kvfree(prog->seg[i].data);
	}
	kfree(prog);
}

/**
 * vsvm_program_put() - drop a reference
 * @prog: the program, may be NULL
 */
void vsvm_program_put(struct vsvm_program *prog)
{
	if (prog)
		kref_put(&prog->ref, vsvm_program_free);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_program_put);

/**
 * vsvm_program_segment() - the segment holding an address
 * @prog: the program
 * @va: a GPU address
 *
 * Return: the segment, or NULL.
 */
const struct vsvm_segment *vsvm_program_segment(const struct vsvm_program *prog,
						u64 va)
{
	unsigned int i;

	for (i = 0; i < prog->num_segments; i++)
		if (va - prog->seg[i].vaddr < prog->seg[i].size)
			return &prog->seg[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_program_segment);

/**
 * vsvm_program_insn() - the instruction word at an address
 * @prog: the program
 * @pc: a GPU address
 *
 * Return: the word, or 0 when @pc is not an instruction of an executable
 * segment.
 */
u32 vsvm_program_insn(const struct vsvm_program *prog, u64 pc)
{
	const struct vsvm_segment *seg = vsvm_program_segment(prog, pc);

	if (!seg || !(seg->flags & DRM_VSVM_SEGMENT_X) || pc % 4)
		return 0;
	return get_unaligned_le32(seg->data + (pc - seg->vaddr));
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_program_insn);

static bool vsvm_is_direct_jump(u8 op)
{
	return op == VSVM_OP_JAL || (op >= VSVM_OP_BEQ && op <= VSVM_OP_BGEU);
}

/* Decode an X segment: every word, then every direct target. */
static int vsvm_decode_segment(struct vsvm_program *prog,
			       struct vsvm_segment *seg, u64 offset, u64 *err)
{
	const struct vsvm_segment *to;
	u64 i, n = seg->size / 4, target;

	seg->insns = kvmalloc_array(n, sizeof(*seg->insns), GFP_KERNEL_ACCOUNT);
	if (!seg->insns)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (vsvm_isa_decode(get_unaligned_le32(seg->data + 4 * i),
				    &seg->insns[i]))
			return vsvm_bad(err, offset + 4 * i);
		prog->has_ecall |= seg->insns[i].op == VSVM_OP_ECALL;
		/* x or f, and amocas's expected-value register (not written). */
		if (seg->insns[i].rd < 32)
			prog->regs |= BIT(seg->insns[i].rd);
	}
	for (i = 0; i < n; i++) {
		if (!vsvm_is_direct_jump(seg->insns[i].op))
			continue;
		target = seg->vaddr + 4 * i + seg->insns[i].imm;
		to = vsvm_program_segment(prog, target);
		if (target % 4 || !to || !(to->flags & DRM_VSVM_SEGMENT_X))
			return vsvm_bad(err, offset + 4 * i);
	}
	return 0;
}

static int vsvm_program_load(struct vsvm_program *prog, const u8 *image,
			     const struct drm_vsvm_program_segment *segs,
			     u64 *err)
{
	unsigned int i;
	int ret;

	for (i = 0; i < prog->num_segments; i++) {
		struct vsvm_segment *seg = &prog->seg[i];

		seg->vaddr = segs[i].vaddr;
		seg->size = segs[i].mem_size;
		seg->flags = segs[i].flags;
		seg->data = kvzalloc(PAGE_ALIGN(seg->size), GFP_KERNEL_ACCOUNT);
		if (!seg->data)
			return -ENOMEM;
		memcpy(seg->data, image + segs[i].offset, segs[i].file_size);
	}
	/* Targets may be in any X segment: decode once all are loaded. */
	for (i = 0; i < prog->num_segments; i++) {
		if (!(prog->seg[i].flags & DRM_VSVM_SEGMENT_X))
			continue;
		ret = vsvm_decode_segment(prog, &prog->seg[i], segs[i].offset, err);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * vsvm_program_create() - validate an image and make a program of it
 * @image: the image, in kernel memory
 * @size: its size
 * @error_offset: out, for -EINVAL: offset in @image of the first field or
 *	instruction found wrong
 *
 * Return: the program with one reference, ERR_PTR(-EINVAL) for a bad
 * image or ERR_PTR(-ENOMEM).
 */
struct vsvm_program *vsvm_program_create(const void *image, size_t size,
					 u64 *error_offset)
{
	const struct drm_vsvm_program_header *h = image;
	const struct drm_vsvm_program_segment *segs = image + sizeof(*h);
	struct vsvm_program *prog;
	int ret;

	ret = vsvm_check_header(h, size, error_offset);
	if (ret)
		return ERR_PTR(ret);
	ret = vsvm_check_segments(segs, h->num_segments, size, error_offset);
	if (ret)
		return ERR_PTR(ret);
	prog = kzalloc(sizeof(*prog), GFP_KERNEL_ACCOUNT);
	if (!prog)
		return ERR_PTR(-ENOMEM);
	kref_init(&prog->ref);
	prog->num_segments = h->num_segments;
	prog->local_size = h->local_size;
	ret = vsvm_program_load(prog, image, segs, error_offset);
	if (ret) {
		vsvm_program_put(prog);
		return ERR_PTR(ret);
	}
	return prog;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_program_create);
