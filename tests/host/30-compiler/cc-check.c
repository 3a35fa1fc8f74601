// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * libvsvm_cc API checks: error paths, program binaries (round trip and
 * corrupted blobs). Prints one "pass|fail NAME [why]" line per check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsvm_cc.h"

static int failed;

static void check(int ok, const char *name, const char *why)
{
	printf("%s %s%s%s\n", ok ? "pass" : "fail", name, ok ? "" : " ", ok ? "" : why);
	failed |= !ok;
}

static const char *good = "kernel void k(global int *p, int v) { p[get_global_id(0)] = v; }\n";

int main(void)
{
	const char *src[2];
	struct vsvm_cc_program *prog = NULL, *back = NULL;
	struct vsvm_cc *cc;
	void *bin;
	size_t size, isize, isize2;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = vsvm_cc_new(&cc);
	if (ret) {
		printf("fail new %s\n", vsvm_cc_error(cc));
		return 1;
	}

	src[0] = "kernel void k(global int *p) { p[0] = 1 }\n";
	ret = vsvm_cc_build(cc, VSVM_CC_OPENCL_C, src, NULL, 1, NULL, &prog);
	check(ret == -EINVAL && strstr(vsvm_cc_program_log(prog), "program.cl:1:") &&
	      strstr(vsvm_cc_program_log(prog), "expected ';'"),
	      "syntax-error", "want -EINVAL and clang's diagnostic in the log");
	check(prog && !vsvm_cc_program_image(prog, &isize), "failed-build-no-image", "image after failure");
	vsvm_cc_program_del(prog);

	src[0] = good;
	ret = vsvm_cc_build(cc, VSVM_CC_OPENCL_C, src, NULL, 1, "-cl-bogus-option", &prog);
	check(ret == -EINVAL && strstr(vsvm_cc_program_log(prog), "-cl-bogus-option"),
	      "unknown-option", "want -EINVAL naming the option");
	vsvm_cc_program_del(prog);

	ret = vsvm_cc_build(cc, VSVM_CC_OPENCL_C, src, NULL, 1, "-cl-std=CL4.0", &prog);
	check(ret == -EINVAL, "bad-cl-std", "want -EINVAL");
	vsvm_cc_program_del(prog);

	src[0] = "kernel void k(global float *p) { p[0] = lgamma(p[1]); }\n";
	ret = vsvm_cc_build(cc, VSVM_CC_OPENCL_C, src, NULL, 1, NULL, &prog);
	check(ret == -EINVAL && strstr(vsvm_cc_program_log(prog), "undefined function lgamma"),
	      "unsupported-builtin", "want -EINVAL naming the builtin");
	vsvm_cc_program_del(prog);

	/* two source strings make one program */
	src[0] = "int twice(int x) { return 2 * x; }\n";
	src[1] = "kernel void k2(global int *p) { p[0] = twice(p[1]); }\n";
	ret = vsvm_cc_build(cc, VSVM_CC_OPENCL_C, src, NULL, 2, "-D X=1 -w", &prog);
	check(!ret && vsvm_cc_program_find_kernel(prog, "k2"), "two-sources", vsvm_cc_error(cc));
	vsvm_cc_program_del(prog);

	src[0] = good;
	ret = vsvm_cc_build(cc, VSVM_CC_OPENCL_C, src, NULL, 1, "-cl-std=CL1.2", &prog);
	check(!ret, "build", vsvm_cc_error(cc));
	if (ret)
		return 1;
	ret = vsvm_cc_program_binary(prog, &bin, &size);
	check(!ret, "binary", "vsvm_cc_program_binary failed");
	ret = vsvm_cc_program_from_binary(bin, size, &back);
	check(!ret && back && vsvm_cc_program_num_kernels(back) == 1 &&
	      vsvm_cc_program_kernel(back, 0)->entry == vsvm_cc_program_kernel(prog, 0)->entry &&
	      vsvm_cc_program_kernel(back, 0)->args[1].offset == 8 &&
	      !strcmp(vsvm_cc_program_kernel(back, 0)->args[1].name, "v") &&
	      vsvm_cc_program_image(back, &isize2) && vsvm_cc_program_image(prog, &isize) &&
	      isize == isize2 &&
	      !memcmp(vsvm_cc_program_image(back, &isize2), vsvm_cc_program_image(prog, &isize), isize),
	      "binary-round-trip", "program differs after the round trip");
	vsvm_cc_program_del(back);

	/* corrupted blobs: every one must be refused */
	{
		unsigned char *b = malloc(size);
		size_t cut;
		int bad = 0;

		for (cut = 0; cut < size; cut += 7) {
			back = NULL;
			if (vsvm_cc_program_from_binary(bin, cut, &back) != -EINVAL)
				bad++;
			vsvm_cc_program_del(back);
		}
		check(!bad, "binary-truncated", "a truncated blob was accepted");
		memcpy(b, bin, size);
		b[0] ^= 1;
		check(vsvm_cc_program_from_binary(b, size, &back) == -EINVAL, "binary-magic",
		      "bad magic accepted");
		/* a compressed instruction in the code: the last 16-aligned words are the image */
		memcpy(b, bin, size);
		{
			unsigned char *code;

			/* the image ends the blob; its first segment is the text */
			vsvm_cc_program_image(prog, &isize);
			memcpy(&cut, b + (size - isize) + 40 + 8, sizeof(cut));
			code = b + (size - isize) + cut;
			code[0] = 0x01;	/* c.nop */
			code[1] = 0x00;
			check(vsvm_cc_program_from_binary(b, size, &back) == -EINVAL, "binary-bad-insn",
			      "compressed instruction accepted");
		}
		memcpy(b, bin, size);
		b[size - isize] ^= 0xff;	/* image magic */
		check(vsvm_cc_program_from_binary(b, size, &back) == -EINVAL, "binary-image-magic",
		      "bad image accepted");
		check(vsvm_cc_program_from_binary(NULL, 0, &back) == -EINVAL, "binary-null", "NULL accepted");
		free(b);
	}
	free(bin);
	vsvm_cc_program_del(prog);
	vsvm_cc_del(cc);
	return failed;
}
