/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * libvsvm_cc internals: the program object and the pipeline steps
 * (frontend.c: clang; ir.c: LLVM-C; link.c: ld.lld and the image;
 * rv64.c: instruction checks; binary.c: CL_PROGRAM_BINARIES).
 */
#ifndef VSVM_CC_INTERNAL_H
#define VSVM_CC_INTERNAL_H

#include "util.h"
#include "vsvm_cc.h"

#define VSVM_CC_EXPORT __attribute__((visibility("default")))

/* Prefix of the generated entry points' symbols. */
#define VSVM_CC_ENTRY_PREFIX "__vsvm_entry_"
/* Section of the generated entry points and of static __local data. */
#define VSVM_CC_ENTRY_SECTION ".text.vsvm.entry"
#define VSVM_CC_LOCAL_SECTION ".vsvm.local"

/* Where a qemu-user ELF (-vsvm-qemu) is linked: the same map, lower. */
#define VSVM_CC_QEMU_BASE 0x40000000ull

struct vsvm_cc {
	char error[512];
	void *target;		/* LLVMTargetRef */
};

/* Embedded at build time (blobs.S). */
extern const unsigned char vsvm_cc_builtins_bc[], vsvm_cc_builtins_bc_end[];
extern const unsigned char vsvm_cc_devlibc_o[], vsvm_cc_devlibc_o_end[];
extern const unsigned char vsvm_cc_qemu_rt_o[], vsvm_cc_qemu_rt_o_end[];

/* What one build asks for, from the options. */
struct build_opts {
	struct argv clang;	/* front-end options passed through */
	int cl_std;		/* 100, 110, 120, 200, 300 */
	int opt_disable;
	int zacas;
	int qemu;		/* link a qemu-user executable, not an image */
	int werror;
};

struct vsvm_cc_program {
	struct sbuf log;
	void *image;
	size_t image_size;
	void *elf;		/* the linked ELF the image was cut from */
	size_t elf_size;
	unsigned int num_kernels;
	struct vsvm_cc_kernel *kernels;
	size_t global_size;
	int zacas;
	/* every string and args array handed out, freed with the program */
	void **owned;
	size_t num_owned, cap_owned;
	int oom;
};

/* One build in progress. */
struct build {
	struct vsvm_cc *cc;
	struct vsvm_cc_program *prog;
	enum vsvm_cc_lang lang;
	struct build_opts opts;
	char *dir;		/* temporary directory */
	char path[4096];	/* scratch for file names */
};

/* Keeps @p until the program is deleted; returns it (NULL if it was NULL). */
void *prog_own(struct vsvm_cc_program *prog, void *p);
char *prog_strdup(struct vsvm_cc_program *prog, const char *s);
struct vsvm_cc_program *prog_alloc(void);

/* Sets cc->error and returns @err. */
int cc_fail(struct vsvm_cc *cc, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends to the build log and returns -EINVAL. */
int build_fail(struct build *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *build_path(struct build *b, const char *name);

int opts_parse(struct build *b, const char *options);
void opts_free(struct build_opts *o);

int tools_find(struct vsvm_cc *cc);
/* clang: sources -> build_path("program.bc") (or .o for assembly). */
int frontend_run(struct build *b, const char *const *sources,
		 const size_t *lengths, unsigned int count);
/* LLVM: program.bc -> program.o, fills prog->kernels (entry addresses 0). */
int ir_run(struct build *b);
int ir_init(struct vsvm_cc *cc);
/* ld.lld: program.o -> program.elf -> prog->image, entries, stack sizes. */
int link_run(struct build *b);
/* For assembly: kernels are the global functions of the linked ELF. */

/* Checks an image as the kernel will (and the instructions); 0 or -EINVAL. */
int image_check(const void *image, size_t size, int zacas, char *why,
		size_t why_size);
/* 1 when @entry is the address of a word in an executable segment. */
int image_has_code(const void *image, size_t size, uint64_t entry);

/* rv64.c */
int rv64_valid(uint32_t insn, int zacas);
struct rv64_func {
	uint64_t addr, size;
	uint32_t frame;		/* bytes the function moves sp down */
	int unknown;		/* indirect call: stack use unknown */
	uint64_t *callees;
	unsigned int num_callees;
};
int rv64_analyze(const uint32_t *code, uint64_t addr, uint64_t size,
		 struct rv64_func *f);

#endif /* VSVM_CC_INTERNAL_H */
