// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * The back of the pipeline: ld.lld with a linker script that follows the
 * address map of DOC: vsvm shader core, then the ELF cut into a program
 * image (struct drm_vsvm_program_header + segments), the entry addresses
 * and every kernel's stack use.
 */
#define _GNU_SOURCE
#include "internal.h"
#include "llvm.h"
#include "vsvm_drm.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096ull

/* Everything in the window but the image area is addressed relative to the base. */
static void linker_script(struct sbuf *s, uint64_t base, int qemu)
{
	uint64_t off = base - DRM_VSVM_SHADER_BASE;

	sb_printf(s,
		  "OUTPUT_ARCH(riscv)\n"
		  "ENTRY(%s)\n"
		  "PHDRS { text PT_LOAD FLAGS(5); rodata PT_LOAD FLAGS(4); data PT_LOAD FLAGS(6); local PT_LOAD FLAGS(6); }\n"
		  "SECTIONS {\n"
		  "  . = 0x%llx;\n"
		  "  .text : { KEEP(*(" VSVM_CC_ENTRY_SECTION ")) *(.text .text.*) } :text =0x00000013\n"
		  "  . = ALIGN(0x1000);\n"
		  "  .rodata : { *(.rodata .rodata.* .srodata .srodata.*) } :rodata\n"
		  "  . = ALIGN(0x1000);\n"
		  "  .data : { *(.data .data.* .sdata .sdata.*) } :data\n"
		  "  .bss : { *(.sbss .sbss.* .bss .bss.* COMMON) } :data\n"
		  "  " VSVM_CC_LOCAL_SECTION " 0x%llx (NOLOAD) : { *(" VSVM_CC_LOCAL_SECTION ") } :local\n"
		  "  /DISCARD/ : { *(.eh_frame .eh_frame_hdr .comment .note .note.*) }\n"
		  "}\n"
		  "__vsvm_workitem = 0x%llx;\n"
		  "__vsvm_exit = 0x%llx;\n"
		  "__vsvm_local = 0x%llx;\n"
		  "__vsvm_private = 0x%llx;\n",
		  qemu ? "_start" : "0",
		  (unsigned long long)(DRM_VSVM_SHADER_IMAGE + off),
		  (unsigned long long)(DRM_VSVM_SHADER_LOCAL + off),
		  (unsigned long long)(DRM_VSVM_SHADER_WORKITEM + off),
		  (unsigned long long)(DRM_VSVM_SHADER_EXIT + off),
		  (unsigned long long)(DRM_VSVM_SHADER_LOCAL + off),
		  (unsigned long long)(DRM_VSVM_SHADER_PRIVATE + off));
}

struct elf {
	const unsigned char *p;
	size_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const char *shstr;
	const Elf64_Sym *sym;
	size_t nsym;
	const char *str;
	size_t strsize;
};

static int elf_open(struct elf *e, const void *p, size_t size)
{
	const Elf64_Ehdr *eh = p;
	size_t i;

	memset(e, 0, sizeof(*e));
	e->p = p;
	e->size = size;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_RISCV ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_shoff > size || eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr) ||
	    eh->e_phoff > size || eh->e_phnum > (size - eh->e_phoff) / sizeof(Elf64_Phdr) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return -EINVAL;
	e->eh = eh;
	e->sh = (const Elf64_Shdr *)(e->p + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++)
		if (e->sh[i].sh_type != SHT_NOBITS &&
		    (e->sh[i].sh_offset > size || e->sh[i].sh_size > size - e->sh[i].sh_offset))
			return -EINVAL;
	e->shstr = (const char *)e->p + e->sh[eh->e_shstrndx].sh_offset;
	for (i = 0; i < eh->e_shnum; i++) {
		if (e->sh[i].sh_type != SHT_SYMTAB || e->sh[i].sh_link >= eh->e_shnum)
			continue;
		e->sym = (const Elf64_Sym *)(e->p + e->sh[i].sh_offset);
		e->nsym = e->sh[i].sh_size / sizeof(Elf64_Sym);
		e->str = (const char *)e->p + e->sh[e->sh[i].sh_link].sh_offset;
		e->strsize = e->sh[e->sh[i].sh_link].sh_size;
	}
	return 0;
}

static const char *sym_name(const struct elf *e, const Elf64_Sym *s)
{
	if (s->st_name >= e->strsize)
		return "";
	return e->str + s->st_name;
}

static const Elf64_Shdr *find_section(const struct elf *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->eh->e_shnum; i++)
		if (!strcmp(e->shstr + e->sh[i].sh_name, name))
			return &e->sh[i];
	return NULL;
}

/* Bytes the image's executable code at @addr..@addr+@size holds (NULL if not there). */
static const uint32_t *image_code(const void *image, size_t size, uint64_t addr, uint64_t len)
{
	const struct drm_vsvm_program_header *h = image;
	const struct drm_vsvm_program_segment *s = (const void *)(h + 1);
	uint32_t i;

	for (i = 0; i < h->num_segments; i++) {
		if (!(s[i].flags & DRM_VSVM_SEGMENT_X) || addr < s[i].vaddr ||
		    addr - s[i].vaddr > s[i].file_size || len > s[i].file_size - (addr - s[i].vaddr))
			continue;
		(void)size;
		return (const uint32_t *)((const char *)image + s[i].offset + (addr - s[i].vaddr));
	}
	return NULL;
}

int image_has_code(const void *image, size_t size, uint64_t entry)
{
	return !(entry & 3) && image_code(image, size, entry, 4) != NULL;
}

int image_check(const void *image, size_t size, int zacas, char *why, size_t why_size)
{
	const struct drm_vsvm_program_header *h = image;
	const struct drm_vsvm_program_segment *s;
	uint32_t i, j, nx = 0;
	uint64_t k;

#define BAD(...) do { snprintf(why, why_size, __VA_ARGS__); return -EINVAL; } while (0)
	if (size < sizeof(*h))
		BAD("image: shorter than its header");
	if (h->magic != DRM_VSVM_PROGRAM_MAGIC || h->version != DRM_VSVM_PROGRAM_VERSION)
		BAD("image: bad magic or version");
	if (!h->num_segments || h->num_segments > DRM_VSVM_PROGRAM_MAX_SEGMENTS || h->flags ||
	    h->reserved[0] || h->reserved[1])
		BAD("image: bad segment count, flags or reserved field");
	if ((size - sizeof(*h)) / sizeof(*s) < h->num_segments)
		BAD("image: segment table truncated");
	if (h->local_size > DRM_VSVM_SHADER_PRIVATE - DRM_VSVM_SHADER_LOCAL)
		BAD("image: local_size too large");
	s = (const void *)(h + 1);
	for (i = 0; i < h->num_segments; i++) {
		const struct drm_vsvm_program_segment *g = &s[i];

		if (g->vaddr & (PAGE - 1))
			BAD("image: segment %u not page aligned", i);
		if (g->vaddr < DRM_VSVM_SHADER_IMAGE || !g->mem_size || g->mem_size < g->file_size ||
		    g->mem_size > DRM_VSVM_SHADER_IMAGE_SIZE ||
		    g->vaddr - DRM_VSVM_SHADER_IMAGE > DRM_VSVM_SHADER_IMAGE_SIZE - g->mem_size)
			BAD("image: segment %u outside the image area", i);
		if (g->offset > size || g->file_size > size - g->offset)
			BAD("image: segment %u contents outside the image", i);
		if (!(g->flags & DRM_VSVM_SEGMENT_R) || g->pad ||
		    g->flags & ~(uint32_t)(DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_W | DRM_VSVM_SEGMENT_X) ||
		    (g->flags & DRM_VSVM_SEGMENT_W && g->flags & DRM_VSVM_SEGMENT_X))
			BAD("image: segment %u has bad flags", i);
		for (j = 0; j < i; j++)
			if (g->vaddr < s[j].vaddr + s[j].mem_size && s[j].vaddr < g->vaddr + g->mem_size)
				BAD("image: segments %u and %u overlap", j, i);
		if (!(g->flags & DRM_VSVM_SEGMENT_X))
			continue;
		nx++;
		if (g->file_size & 3 || g->offset & 3)
			BAD("image: executable segment %u not made of words", i);
		for (k = 0; k < g->file_size / 4; k++) {
			uint32_t insn;

			memcpy(&insn, (const char *)image + g->offset + 4 * k, 4);
			if (!rv64_valid(insn, zacas))
				BAD("image: instruction %08x at 0x%llx is not RV64IMAFD%s", insn,
				    (unsigned long long)(g->vaddr + 4 * k), zacas ? "+Zacas" : "");
		}
	}
	if (!nx)
		BAD("image: no executable segment");
	return 0;
#undef BAD
}

/* Cuts the linked ELF into the image. */
static int make_image(struct build *b, const struct elf *e)
{
	struct drm_vsvm_program_header h = {
		.magic = DRM_VSVM_PROGRAM_MAGIC,
		.version = DRM_VSVM_PROGRAM_VERSION,
	};
	struct drm_vsvm_program_segment seg[DRM_VSVM_PROGRAM_MAX_SEGMENTS];
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(e->p + e->eh->e_phoff);
	const Elf64_Shdr *local = find_section(e, VSVM_CC_LOCAL_SECTION);
	size_t off, i, n = 0;
	unsigned char *img;
	char why[160];

	if (local && local->sh_size) {
		if (local->sh_addr != DRM_VSVM_SHADER_LOCAL)
			return cc_fail(b->cc, -EIO, "image: __local data not at DRM_VSVM_SHADER_LOCAL");
		h.local_size = ALIGN_UP(local->sh_size, 16);
	}
	for (i = 0; i < e->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];

		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		if (p->p_vaddr >= DRM_VSVM_SHADER_LOCAL && p->p_vaddr < DRM_VSVM_SHADER_PRIVATE &&
		    !p->p_filesz)
			continue;	/* the __local data: local_size above */
		if (p->p_vaddr < DRM_VSVM_SHADER_IMAGE ||
		    p->p_vaddr + p->p_memsz > DRM_VSVM_SHADER_IMAGE + DRM_VSVM_SHADER_IMAGE_SIZE)
			return build_fail(b, "image: a segment at 0x%llx is outside the image area",
					  (unsigned long long)p->p_vaddr);
		if (n == ARRAY_SIZE(seg))
			return build_fail(b, "image: more than %u segments", DRM_VSVM_PROGRAM_MAX_SEGMENTS);
		if (p->p_offset > e->size || p->p_filesz > e->size - p->p_offset)
			return cc_fail(b->cc, -EIO, "image: ld.lld wrote a truncated ELF");
		seg[n] = (struct drm_vsvm_program_segment) {
			.vaddr = p->p_vaddr,
			.offset = p->p_offset,	/* in the ELF, for now */
			.file_size = p->p_filesz,
			.mem_size = p->p_memsz,
			.flags = DRM_VSVM_SEGMENT_R |
				 (p->p_flags & PF_W ? DRM_VSVM_SEGMENT_W : 0) |
				 (p->p_flags & PF_X ? DRM_VSVM_SEGMENT_X : 0),
		};
		n++;
	}
	if (!n)
		return build_fail(b, "image: no code");
	h.num_segments = (uint32_t)n;
	off = sizeof(h) + n * sizeof(seg[0]);
	for (i = 0; i < n; i++) {
		off = ALIGN_UP(off, 16);
		off += seg[i].file_size;
	}
	img = prog_own(b->prog, calloc(1, off));
	if (!img)
		return -ENOMEM;
	off = sizeof(h) + n * sizeof(seg[0]);
	for (i = 0; i < n; i++) {
		off = ALIGN_UP(off, 16);
		memcpy(img + off, e->p + seg[i].offset, seg[i].file_size);
		seg[i].offset = off;
		off += seg[i].file_size;
	}
	memcpy(img, &h, sizeof(h));
	memcpy(img + sizeof(h), seg, n * sizeof(seg[0]));
	b->prog->image = img;
	b->prog->image_size = off;
	if (image_check(img, off, b->opts.zacas, why, sizeof(why)))
		return cc_fail(b->cc, -EIO, "%s (the compiler emitted what the shader core refuses)", why);
	return 0;
}

/* Function @addr's deepest stack use, through its callees; -1 when unknown. */
static int64_t stack_depth(struct rv64_func *fn, size_t nfn, size_t idx, unsigned int level)
{
	struct rv64_func *f = &fn[idx];
	int64_t worst = 0;
	unsigned int c;
	size_t j;

	if (f->unknown || level > 64)
		return -1;	/* indirect calls, recursion */
	for (c = 0; c < f->num_callees; c++) {
		uint64_t t = f->callees[c];
		int64_t d;

		if (t >= f->addr && t < f->addr + f->size)
			continue;
		for (j = 0; j < nfn; j++)
			if (fn[j].addr == t)
				break;
		if (j == nfn)
			return -1;
		d = stack_depth(fn, nfn, j, level + 1);
		if (d < 0)
			return -1;
		if (d > worst)
			worst = d;
	}
	return (int64_t)f->frame + worst;
}

static int entries_and_stacks(struct build *b, const struct elf *e)
{
	struct vsvm_cc_program *prog = b->prog;
	struct rv64_func *fn;
	size_t i, nfn = 0;
	unsigned int k;
	int ret = 0;

	fn = calloc(e->nsym ? e->nsym : 1, sizeof(*fn));
	if (!fn)
		return -ENOMEM;
	for (i = 0; i < e->nsym; i++) {
		const Elf64_Sym *s = &e->sym[i];
		const uint32_t *code;

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || !s->st_size)
			continue;
		code = image_code(prog->image, prog->image_size, s->st_value, s->st_size);
		if (!code)
			continue;
		ret = rv64_analyze(code, s->st_value, s->st_size, &fn[nfn++]);
		if (ret)
			goto out;
	}
	for (k = 0; k < prog->num_kernels; k++) {
		struct vsvm_cc_kernel *kn = &prog->kernels[k];
		char name[256];

		snprintf(name, sizeof(name), VSVM_CC_ENTRY_PREFIX "%s", kn->name);
		for (i = 0; i < e->nsym; i++)
			if (ELF64_ST_TYPE(e->sym[i].st_info) == STT_FUNC &&
			    !strcmp(sym_name(e, &e->sym[i]), name))
				break;
		if (i == e->nsym) {
			ret = cc_fail(b->cc, -EIO, "link: no entry point for kernel %s", kn->name);
			goto out;
		}
		kn->entry = e->sym[i].st_value;
		for (i = 0; i < nfn; i++)
			if (fn[i].addr == kn->entry) {
				int64_t d = stack_depth(fn, nfn, i, 0);

				kn->private_size = d < 0 ? 0 : (uint32_t)ALIGN_UP(d > 16 ? d : 16, 16);
			}
	}
out:
	for (i = 0; i < nfn; i++)
		free(fn[i].callees);
	free(fn);
	return ret;
}

/* Assembly: every global function is a kernel without arguments. */
static int asm_kernels(struct build *b, const struct elf *e)
{
	struct vsvm_cc_program *prog = b->prog;
	size_t i;

	for (i = 0; i < e->nsym; i++) {
		const Elf64_Sym *s = &e->sym[i];
		struct vsvm_cc_kernel *k;

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || ELF64_ST_BIND(s->st_info) != STB_GLOBAL ||
		    s->st_shndx == SHN_UNDEF)
			continue;
		k = realloc(prog->kernels, (prog->num_kernels + 1) * sizeof(*k));
		if (!k)
			return -ENOMEM;
		prog->kernels = k;
		k = &prog->kernels[prog->num_kernels++];
		memset(k, 0, sizeof(*k));
		k->name = prog_strdup(prog, sym_name(e, s));
		k->args = prog_own(prog, calloc(1, sizeof(struct vsvm_cc_arg)));
		k->attributes = prog_strdup(prog, "");
		k->kernarg_align = 8;
		k->entry = s->st_value;
		if (!k->name || !k->args || !k->attributes)
			return -ENOMEM;
	}
	return 0;
}

static int write_blob(struct build *b, const char *name, const unsigned char *start,
		      const unsigned char *end)
{
	int ret = write_file(build_path(b, name), start, (size_t)(end - start));

	if (ret)
		return cc_fail(b->cc, ret, "link: cannot write %s", build_path(b, name));
	return 0;
}

int link_run(struct build *b)
{
	uint64_t base = b->opts.qemu ? VSVM_CC_QEMU_BASE : DRM_VSVM_SHADER_BASE;
	struct sbuf script;
	struct argv a;
	struct elf e;
	void *text;
	size_t size;
	int ret, status;

	sb_init(&script);
	linker_script(&script, base, b->opts.qemu);
	if (script.oom)
		return -ENOMEM;
	ret = write_file(build_path(b, "vsvm.ld"), sb_str(&script), script.len);
	sb_free(&script);
	if (ret)
		return cc_fail(b->cc, ret, "link: cannot write the linker script");
	ret = write_blob(b, "devlibc.o", vsvm_cc_devlibc_o, vsvm_cc_devlibc_o_end);
	if (!ret && b->opts.qemu)
		ret = write_blob(b, "qemu_rt.o", vsvm_cc_qemu_rt_o, vsvm_cc_qemu_rt_o_end);
	if (ret)
		return ret;

	argv_init(&a);
	argv_add(&a, VSVM_CC_LLD);
	argv_add(&a, "-T");
	argv_add(&a, build_path(b, "vsvm.ld"));
	argv_add(&a, "--no-relax");
	argv_add(&a, "-static");
	argv_add(&a, "-nostdlib");
	argv_add(&a, "--gc-sections");
	argv_add(&a, "--build-id=none");
	argv_add(&a, "-z");
	argv_add(&a, "max-page-size=4096");
	argv_add(&a, "-z");
	argv_add(&a, "noexecstack");
	argv_add(&a, "-o");
	argv_add(&a, build_path(b, "program.elf"));
	argv_add(&a, build_path(b, "program.o"));
	if (b->opts.qemu)
		argv_add(&a, build_path(b, "qemu_rt.o"));
	argv_add(&a, build_path(b, "devlibc.o"));
	if (a.oom) {
		argv_free(&a);
		return -ENOMEM;
	}
	ret = run_tool(a.v, build_path(b, "lld.log"), &status);
	argv_free(&a);
	if (ret)
		return cc_fail(b->cc, -EIO, "link: cannot run %s: %s", VSVM_CC_LLD, strerror(-ret));
	if (!read_file(build_path(b, "lld.log"), &text, &size)) {
		sb_add(&b->prog->log, text, size);
		free(text);
	}
	if (status)
		return build_fail(b, "link: ld.lld failed (status %d)", status);

	ret = read_file(build_path(b, "program.elf"), &text, &size);
	if (ret)
		return cc_fail(b->cc, ret, "link: cannot read ld.lld's output");
	b->prog->elf = prog_own(b->prog, text);
	b->prog->elf_size = size;
	if (!b->prog->elf)
		return -ENOMEM;
	if (elf_open(&e, text, size))
		return cc_fail(b->cc, -EIO, "link: ld.lld's output is not an RV64 ELF");
	if (b->opts.qemu)
		return 0;
	ret = make_image(b, &e);
	if (!ret && b->lang == VSVM_CC_ASM)
		ret = asm_kernels(b, &e);
	if (!ret)
		ret = entries_and_stacks(b, &e);
	return ret;
}
