/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * libvsvm_cc: OpenCL C (or C) to vsvm program images.
 *
 * The one compile path of the project: the OpenCL ICD calls it at
 * clBuildProgram time, the vsvm-cc tool at build time for tests and
 * benchmarks. Sources are compiled for RV64IMAFD (lp64d, medany, no
 * compressed instructions) with Debian's clang and ld.lld, linked with the
 * builtin library at the addresses of DOC: vsvm shader core in
 * uapi/drm/vsvm_drm.h, and cut into a program image (struct
 * drm_vsvm_program_header) ready for DRM_IOCTL_VSVM_PROGRAM_CREATE.
 *
 * Every kernel gets an entry point that takes the kernarg block pointer
 * in a0 and loads each argument from it at the offset described by its
 * struct vsvm_cc_arg, then calls the kernel.
 *
 * Conventions: functions return 0 or a negative errno and never print;
 * objects come in _new/_del pairs; strings and arrays handed out stay
 * valid until the object they came from is deleted.
 */
#ifndef VSVM_CC_H
#define VSVM_CC_H

#include <stddef.h>
#include <stdint.h>

#if defined(__cplusplus)
extern "C" {
#endif

struct vsvm_cc;
struct vsvm_cc_program;

/** enum vsvm_cc_lang - the language of the sources */
enum vsvm_cc_lang {
	/** @VSVM_CC_OPENCL_C: OpenCL C, kernels are __kernel functions. */
	VSVM_CC_OPENCL_C,
	/**
	 * @VSVM_CC_C: freestanding C (tests): functions marked
	 * __attribute__((annotate("vsvm_kernel"))) become kernels.
	 */
	VSVM_CC_C,
	/**
	 * @VSVM_CC_ASM: RV64 assembly (preprocessed, tests): every global
	 * function symbol becomes a kernel without arguments.
	 */
	VSVM_CC_ASM,
};

/** enum vsvm_cc_arg_kind - how a kernel argument is passed */
enum vsvm_cc_arg_kind {
	/** @VSVM_CC_ARG_VALUE: by value: @size bytes copied into the block. */
	VSVM_CC_ARG_VALUE,
	/** @VSVM_CC_ARG_GLOBAL: __global pointer: an 8-byte GPU address. */
	VSVM_CC_ARG_GLOBAL,
	/** @VSVM_CC_ARG_CONSTANT: __constant pointer: an 8-byte GPU address. */
	VSVM_CC_ARG_CONSTANT,
	/**
	 * @VSVM_CC_ARG_LOCAL: __local pointer: the runtime reserves the
	 * size given to clSetKernelArg in the group's local memory and puts
	 * its 8-byte address (in DRM_VSVM_SHADER_LOCAL, after the program's
	 * static local data) into the block.
	 */
	VSVM_CC_ARG_LOCAL,
};

/** struct vsvm_cc_arg - one kernel argument */
struct vsvm_cc_arg {
	/** @name: the argument's name ("" when not known). */
	const char *name;
	/** @type_name: its type as written, without qualifiers ("float4*"). */
	const char *type_name;
	/** @kind: &enum vsvm_cc_arg_kind. */
	enum vsvm_cc_arg_kind kind;
	/** @size: bytes it takes in the kernarg block (8 for pointers). */
	uint32_t size;
	/** @align: alignment of it in the block. */
	uint32_t align;
	/** @offset: its offset in the kernarg block. */
	uint32_t offset;
	/** @access_qual: a CL_KERNEL_ARG_ACCESS_* value. */
	uint32_t access_qual;
	/** @type_qual: CL_KERNEL_ARG_TYPE_* bits. */
	uint32_t type_qual;
};

/** struct vsvm_cc_kernel - one kernel of a program */
struct vsvm_cc_kernel {
	/** @name: the kernel's name. */
	const char *name;
	/** @entry: GPU address of its entry point (drm_vsvm_dispatch.entry). */
	uint64_t entry;
	/** @num_args: number of arguments. */
	uint32_t num_args;
	/** @args: the arguments, @num_args of them. */
	const struct vsvm_cc_arg *args;
	/** @kernarg_size: bytes of the kernarg block. */
	uint32_t kernarg_size;
	/** @kernarg_align: alignment the block needs (at least 8). */
	uint32_t kernarg_align;
	/**
	 * @private_size: stack bytes one work-item needs, as the compiler
	 * measured them (0 when it could not: use the default).
	 */
	uint32_t private_size;
	/** @reqd_work_group_size: from the attribute, zeros when none. */
	uint32_t reqd_work_group_size[3];
	/** @work_group_size_hint: from the attribute, zeros when none. */
	uint32_t work_group_size_hint[3];
	/** @attributes: CL_KERNEL_ATTRIBUTES text ("" when none). */
	const char *attributes;
};

/**
 * vsvm_cc_new - a compiler
 * @cc: out, the compiler
 *
 * Finds clang, ld.lld and the builtin library. Return: 0, -ENOENT when a
 * tool is missing (vsvm_cc_error() names it), -ENOMEM.
 */
int vsvm_cc_new(struct vsvm_cc **cc);

/** vsvm_cc_del - free a compiler (NULL is fine). */
void vsvm_cc_del(struct vsvm_cc *cc);

/**
 * vsvm_cc_error - what the last failing call on @cc could not do, in one
 * line naming the step ("" when nothing failed).
 */
const char *vsvm_cc_error(const struct vsvm_cc *cc);

/**
 * vsvm_cc_build - compile and link sources into a program
 * @cc: the compiler
 * @lang: their language
 * @sources: @count source strings
 * @lengths: their lengths, or NULL for NUL-terminated strings (an entry 0
 *	also means NUL-terminated)
 * @count: at least 1
 * @options: clBuildProgram options (-D, -I, -cl-std=, -cl-opt-disable,
 *	-cl-kernel-arg-info, -w, -Werror, -cl-*-math ...), may be NULL.
 *	Without -cl-std= OpenCL C 1.2 is compiled (the OpenCL 3.0 rule).
 *	vsvm options: -vsvm-zacas (use amocas; only for an engine whose
 *	DRM_VSVM_PARAM_ISA has Zacas), -vsvm-qemu (link a qemu-riscv64
 *	executable instead of an image, see vsvm_cc_program_elf()).
 * @prog: out, the program; set also on a build failure, for its log
 *
 * Return: 0; -EINVAL when the sources do not compile or link or an option
 * is unknown (*@prog holds the log, with the compiler's diagnostics);
 * -ENOMEM; -EIO when a tool failed in an unexpected way (vsvm_cc_error()).
 */
int vsvm_cc_build(struct vsvm_cc *cc, enum vsvm_cc_lang lang,
		  const char *const *sources, const size_t *lengths,
		  unsigned int count, const char *options,
		  struct vsvm_cc_program **prog);

/** vsvm_cc_program_del - free a program (NULL is fine). */
void vsvm_cc_program_del(struct vsvm_cc_program *prog);

/** vsvm_cc_program_log - the build log ("" when empty). */
const char *vsvm_cc_program_log(const struct vsvm_cc_program *prog);

/**
 * vsvm_cc_program_image - the program image for DRM_IOCTL_VSVM_PROGRAM_CREATE
 * @prog: a program built without error
 * @size: out, its size in bytes
 *
 * Return: the image, NULL for a program whose build failed.
 */
const void *vsvm_cc_program_image(const struct vsvm_cc_program *prog,
				  size_t *size);

/**
 * vsvm_cc_program_elf - the linked RV64 ELF the image was cut from
 * @prog: a program built without error
 * @size: out, its size in bytes
 *
 * With -vsvm-qemu this is a static qemu-riscv64 executable (the address
 * map moved to 0x40000000; _start maps the descriptor and local window,
 * calls int vsvm_qemu_main(void) and exits with its value) and there is
 * no image. Return: the ELF, NULL when there is none.
 */
const void *vsvm_cc_program_elf(const struct vsvm_cc_program *prog,
				size_t *size);

/** vsvm_cc_program_num_kernels - number of kernels. */
unsigned int vsvm_cc_program_num_kernels(const struct vsvm_cc_program *prog);

/** vsvm_cc_program_kernel - kernel @i, NULL when out of range. */
const struct vsvm_cc_kernel *
vsvm_cc_program_kernel(const struct vsvm_cc_program *prog, unsigned int i);

/** vsvm_cc_program_find_kernel - the kernel called @name, or NULL. */
const struct vsvm_cc_kernel *
vsvm_cc_program_find_kernel(const struct vsvm_cc_program *prog,
			    const char *name);

/**
 * vsvm_cc_program_global_size - bytes of program-scope global variables
 * (CL_PROGRAM_BUILD_GLOBAL_VARIABLE_TOTAL_SIZE).
 */
size_t vsvm_cc_program_global_size(const struct vsvm_cc_program *prog);

/**
 * vsvm_cc_program_binary - the program as one blob (CL_PROGRAM_BINARIES)
 * @prog: a program built without error
 * @bin: out, malloc()ed blob: image and kernel descriptions
 * @size: out, its size
 *
 * Return: 0, -EINVAL (no image), -ENOMEM.
 */
int vsvm_cc_program_binary(const struct vsvm_cc_program *prog, void **bin,
			   size_t *size);

/**
 * vsvm_cc_program_from_binary - a program from vsvm_cc_program_binary()'s blob
 * @bin: the blob
 * @size: its size
 * @prog: out, the program
 *
 * Return: 0, -EINVAL for a blob that is not one (checked, never trusted),
 * -ENOMEM.
 */
int vsvm_cc_program_from_binary(const void *bin, size_t size,
				struct vsvm_cc_program **prog);

/**
 * vsvm_cc_opencl_c_features - the optional OpenCL C 3.0 features programs
 * get (CL_DEVICE_OPENCL_C_FEATURES), space separated, all version 3.0.0
 */
const char *vsvm_cc_opencl_c_features(void);

/**
 * vsvm_cc_opencl_c_extensions - the extensions programs get
 * (CL_DEVICE_EXTENSIONS, besides the runtime's own), space separated
 */
const char *vsvm_cc_opencl_c_extensions(void);

#if defined(__cplusplus)
}
#endif

#endif /* VSVM_CC_H */
