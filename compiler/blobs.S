/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The drm-svm authors */
/* The builtin library and the RV64 objects, built with the library. */
#define BLOB(name, file)			\
	.globl name, name##_end;		\
	.hidden name, name##_end;		\
	.balign 16;				\
name:	.incbin file;				\
name##_end:

	.section .rodata
BLOB(vsvm_cc_builtins_bc, "builtins.bc")
BLOB(vsvm_cc_devlibc_o, "devlibc.o")
BLOB(vsvm_cc_qemu_rt_o, "qemu_rt.o")
	.section .note.GNU-stack, "", @progbits
