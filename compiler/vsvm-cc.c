// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vsvm-cc: the build-time front of libvsvm_cc (tests, benchmarks, demo).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "vsvm_cc.h"
#include "vsvm_drm.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vsvm-cc [-x cl|c|asm] [OPTION...] [-o OUT] [--image|--elf|--qemu] IN...\n"
		"       vsvm-cc --info IN.vsvmp|IN...\n"
		"Compiles OpenCL C (default, or by .cl), freestanding C (.c) or RV64\n"
		"assembly (.S) for the vsvm shader core and writes the program binary\n"
		"(image and kernel descriptions, as clGetProgramInfo(CL_PROGRAM_BINARIES)).\n"
		"  -o OUT        output file (default a.vsvmp)\n"
		"  --image       write the bare image (DRM_IOCTL_VSVM_PROGRAM_CREATE) instead\n"
		"  --elf         write the linked RV64 ELF instead\n"
		"  --qemu        write a static qemu-riscv64 executable (C: define\n"
		"                int vsvm_qemu_main(void); __VSVM_QEMU__ is defined)\n"
		"  --info        print kernels, arguments, entries and segments\n"
		"  -x LANG       cl, c or asm (otherwise from the first file's suffix)\n"
		"  -D, -I, -cl-std=CLx.y, -cl-opt-disable, -cl-*-math options, -w, -Werror,\n"
		"  -vsvm-zacas   are build options, as clBuildProgram takes them.\n"
		"Errors name the step that failed; the build log goes to stderr.\n");
}

static const char *kind_name(enum vsvm_cc_arg_kind k)
{
	switch (k) {
	case VSVM_CC_ARG_VALUE: return "value";
	case VSVM_CC_ARG_GLOBAL: return "global";
	case VSVM_CC_ARG_CONSTANT: return "constant";
	case VSVM_CC_ARG_LOCAL: return "local";
	}
	return "?";
}

static void print_info(const struct vsvm_cc_program *prog)
{
	const struct drm_vsvm_program_header *h;
	const struct drm_vsvm_program_segment *s;
	unsigned int i, j;
	size_t size;

	h = vsvm_cc_program_image(prog, &size);
	if (h) {
		printf("image size %zu local_size %llu segments %u\n", size,
		       (unsigned long long)h->local_size, h->num_segments);
		s = (const void *)(h + 1);
		for (i = 0; i < h->num_segments; i++)
			printf("segment vaddr 0x%llx offset %llu file_size %llu mem_size %llu flags %s%s%s\n",
			       (unsigned long long)s[i].vaddr, (unsigned long long)s[i].offset,
			       (unsigned long long)s[i].file_size, (unsigned long long)s[i].mem_size,
			       s[i].flags & DRM_VSVM_SEGMENT_R ? "r" : "",
			       s[i].flags & DRM_VSVM_SEGMENT_W ? "w" : "",
			       s[i].flags & DRM_VSVM_SEGMENT_X ? "x" : "");
	}
	printf("global_size %zu\n", vsvm_cc_program_global_size(prog));
	for (i = 0; i < vsvm_cc_program_num_kernels(prog); i++) {
		const struct vsvm_cc_kernel *k = vsvm_cc_program_kernel(prog, i);

		printf("kernel %s entry 0x%llx args %u kernarg_size %u kernarg_align %u private_size %u "
		       "reqd_work_group_size %u,%u,%u work_group_size_hint %u,%u,%u attributes \"%s\"\n",
		       k->name, (unsigned long long)k->entry, k->num_args, k->kernarg_size,
		       k->kernarg_align, k->private_size, k->reqd_work_group_size[0],
		       k->reqd_work_group_size[1], k->reqd_work_group_size[2],
		       k->work_group_size_hint[0], k->work_group_size_hint[1],
		       k->work_group_size_hint[2], k->attributes);
		for (j = 0; j < k->num_args; j++) {
			const struct vsvm_cc_arg *a = &k->args[j];

			printf("  arg %u name %s type %s kind %s size %u align %u offset %u access 0x%x type_qual 0x%x\n",
			       j, *a->name ? a->name : "-", *a->type_name ? a->type_name : "-",
			       kind_name(a->kind), a->size, a->align, a->offset, a->access_qual,
			       a->type_qual);
		}
	}
}

static int lang_of(const char *path, enum vsvm_cc_lang *lang)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcmp(dot, ".c"))
		*lang = VSVM_CC_C;
	else if (dot && (!strcmp(dot, ".S") || !strcmp(dot, ".s")))
		*lang = VSVM_CC_ASM;
	else
		*lang = VSVM_CC_OPENCL_C;
	return 0;
}

int main(int argc, char **argv)
{
	enum { OUT_BINARY, OUT_IMAGE, OUT_ELF } what = OUT_BINARY;
	const char *out = NULL, *xlang = NULL;
	struct vsvm_cc_program *prog = NULL;
	struct vsvm_cc *cc = NULL;
	struct sbuf opts;
	struct argv inputs;
	char **srcs = NULL;
	size_t *lens = NULL;
	enum vsvm_cc_lang lang = VSVM_CC_OPENCL_C;
	int info = 0, qemu = 0, ret = 1, err, i;
	size_t k;

	sb_init(&opts);
	argv_init(&inputs);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(a, "-x") && i + 1 < argc) {
			xlang = argv[++i];
		} else if (!strcmp(a, "--image")) {
			what = OUT_IMAGE;
		} else if (!strcmp(a, "--elf")) {
			what = OUT_ELF;
		} else if (!strcmp(a, "--qemu")) {
			what = OUT_ELF;
			qemu = 1;
		} else if (!strcmp(a, "--info")) {
			info = 1;
		} else if ((!strcmp(a, "-D") || !strcmp(a, "-I")) && i + 1 < argc) {
			sb_printf(&opts, " %s%s", a, argv[++i]);
		} else if (a[0] == '-' && a[1]) {
			/* build options: the library says which it knows */
			sb_printf(&opts, " '%s'", a);
		} else {
			argv_add(&inputs, a);
		}
	}
	if (qemu)
		sb_puts(&opts, " -vsvm-qemu");
	if (!inputs.n) {
		usage(stderr);
		return 2;
	}
	if (xlang) {
		if (!strcmp(xlang, "cl"))
			lang = VSVM_CC_OPENCL_C;
		else if (!strcmp(xlang, "c"))
			lang = VSVM_CC_C;
		else if (!strcmp(xlang, "asm"))
			lang = VSVM_CC_ASM;
		else {
			fprintf(stderr, "vsvm-cc: options: unknown language \"%s\"\n", xlang);
			return 2;
		}
	} else {
		lang_of(inputs.v[0], &lang);
	}
	srcs = calloc(inputs.n, sizeof(*srcs));
	lens = calloc(inputs.n, sizeof(*lens));
	if (!srcs || !lens)
		goto out;
	for (k = 0; k < inputs.n; k++) {
		void *data;

		err = read_file(inputs.v[k], &data, &lens[k]);
		if (err) {
			fprintf(stderr, "vsvm-cc: input: %s: %s\n", inputs.v[k], strerror(-err));
			goto out;
		}
		srcs[k] = data;
		if (!lens[k]) {
			fprintf(stderr, "vsvm-cc: input: %s is empty\n", inputs.v[k]);
			goto out;
		}
	}

	/* --info on a program binary: check and describe it. */
	if (info && inputs.n == 1 && lens[0] >= 8 && !memcmp(srcs[0], "VSVMCCB", 8)) {
		err = vsvm_cc_program_from_binary(srcs[0], lens[0], &prog);
		if (err) {
			fprintf(stderr, "vsvm-cc: binary: %s is not a valid program binary (%s)\n",
				inputs.v[0], strerror(-err));
			goto out;
		}
		print_info(prog);
		ret = 0;
		goto out;
	}

	err = vsvm_cc_new(&cc);
	if (err) {
		fprintf(stderr, "vsvm-cc: %s\n", vsvm_cc_error(cc));
		goto out;
	}
	err = vsvm_cc_build(cc, lang, (const char *const *)srcs, lens, (unsigned int)inputs.n,
			    sb_str(&opts), &prog);
	if (prog && *vsvm_cc_program_log(prog))
		fputs(vsvm_cc_program_log(prog), stderr);
	if (err) {
		fprintf(stderr, "vsvm-cc: build failed: %s\n", vsvm_cc_error(cc));
		goto out;
	}
	if (info)
		print_info(prog);
	if (out || !info) {
		void *blob = NULL;
		const void *data;
		size_t size;

		if (!out)
			out = qemu ? "a.out" : what == OUT_IMAGE ? "a.vsvmi" : "a.vsvmp";
		if (what == OUT_IMAGE) {
			data = vsvm_cc_program_image(prog, &size);
		} else if (what == OUT_ELF) {
			data = vsvm_cc_program_elf(prog, &size);
		} else {
			err = vsvm_cc_program_binary(prog, &blob, &size);
			if (err) {
				fprintf(stderr, "vsvm-cc: binary: %s\n", strerror(-err));
				goto out;
			}
			data = blob;
		}
		err = write_file(out, data, size);
		free(blob);
		if (err) {
			fprintf(stderr, "vsvm-cc: output: %s: %s\n", out, strerror(-err));
			goto out;
		}
		if (qemu && chmod(out, 0755)) {
			fprintf(stderr, "vsvm-cc: output: chmod %s: %s\n", out, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	vsvm_cc_program_del(prog);
	vsvm_cc_del(cc);
	for (k = 0; srcs && k < inputs.n; k++)
		free(srcs[k]);
	free(srcs);
	free(lens);
	argv_free(&inputs);
	sb_free(&opts);
	return ret;
}
