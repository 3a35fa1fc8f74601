/* SPDX-License-Identifier: MIT */
/*
 * The shader programs of vsvm_compute, built by the Makefile into
 * $(O)/shader (found through -Wa,-I).
 */
	.section .rodata
	.p2align 4
	.globl compute_vsvmp, compute_vsvmp_end, diff_bin, diff_bin_end
compute_vsvmp:
	.incbin "compute.vsvmp"
compute_vsvmp_end:
	.p2align 4
diff_bin:
	.incbin "diff.bin"
diff_bin_end:
	.section .note.GNU-stack, "", @progbits
