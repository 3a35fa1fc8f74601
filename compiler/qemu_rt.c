// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * The runtime of a qemu-user executable (vsvm-cc --qemu, option
 * -vsvm-qemu): the program is linked with the shader core's address map
 * moved down to VSVM_CC_QEMU_BASE, so the same code runs under
 * qemu-riscv64. _start maps the work-item descriptor page and the local
 * window, calls vsvm_qemu_main() and exits with what it returns. A
 * barrier's ecall (a7 = 1) is a harmless failing system call there.
 */
#include <stddef.h>
#include <stdint.h>

/* struct drm_vsvm_workitem (uapi/drm/vsvm_drm.h, not includable here). */
struct drm_vsvm_workitem {
	uint64_t global_id[3], local_id[3], group_id[3], global_size[3];
	uint64_t local_size[3], enqueued_local_size[3], num_groups[3];
	uint64_t global_offset[3], work_dim, global_linear_id, local_linear_id;
	uint64_t reserved[5];
};

int vsvm_qemu_main(void);
long vsvm_qemu_write(const void *buf, unsigned long len);
void vsvm_qemu_exit(int code) __attribute__((noreturn));
void __vsvm_qemu_start(void) __attribute__((noreturn));

extern char __vsvm_workitem[], __vsvm_local[];

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	register long a7 __asm__("a7") = n;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
			 : "memory");
	return a0;
}

long vsvm_qemu_write(const void *buf, unsigned long len)
{
	return sys6(64, 1, (long)buf, (long)len, 0, 0, 0);
}

void vsvm_qemu_exit(int code)
{
	for (;;)
		sys6(93, code, 0, 0, 0, 0, 0);
}

static void map_fixed(void *addr, unsigned long len)
{
	/* PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED */
	long r = sys6(222, (long)addr, (long)len, 3, 0x32, -1, 0);

	if (r != (long)addr)
		vsvm_qemu_exit(125);
}

void __vsvm_qemu_start(void)
{
	struct drm_vsvm_workitem *wi = (void *)__vsvm_workitem;
	int i;

	map_fixed(__vsvm_workitem, 4096);
	map_fixed(__vsvm_local, 1 << 20);
	for (i = 0; i < 3; i++) {
		wi->global_size[i] = 1;
		wi->local_size[i] = 1;
		wi->enqueued_local_size[i] = 1;
		wi->num_groups[i] = 1;
	}
	wi->work_dim = 1;
	vsvm_qemu_exit(vsvm_qemu_main());
}

__asm__(".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	andi sp, sp, -16\n"
	"	call __vsvm_qemu_start\n"
	".size _start, . - _start\n");
