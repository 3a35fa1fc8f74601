// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * Kernels of the differential test (vsvm_compute's differential subtest),
 * freestanding C for vsvm-cc -x c. Built once as a vsvm program and once
 * (--qemu) as a qemu-riscv64 executable whose vsvm_qemu_main() runs each
 * work-item of each kernel in turn and writes the output buffer to
 * stdout: the shader core must produce the same bytes. The kernels mix
 * integer and M operations, float and double arithmetic in every dynamic
 * rounding mode, conversions, fused multiply-add, min/max, comparisons
 * and the accrued flags, over special and random values derived from the
 * work-item id.
 */
typedef unsigned long u64;
typedef long s64;
typedef unsigned int u32;
typedef int s32;

#define KERNEL __attribute__((annotate("vsvm_kernel")))

/* Work-items per kernel, u64 results per work-item (diffk.h agrees). */
#define DIFFK_ITEMS 256
#define DIFFK_RESULTS 16

u64 get_global_id(u32 dim) __asm__("_Z13get_global_idj");

static const u64 specials_d[16] = {
	0x0000000000000000ul, 0x8000000000000000ul, 0x7ff0000000000000ul,
	0xfff0000000000000ul, 0x7ff8000000000000ul, 0x7ff4000000000000ul,
	0x0000000000000001ul, 0x000ffffffffffffful, 0x0010000000000000ul,
	0x7fefffffffffffful, 0x3ff0000000000000ul, 0xbff8000000000000ul,
	0x43e0000000000000ul, 0xc3e0000000000000ul, 0x41dfffffffe00000ul,
	0x3ff0000000000003ul,
};

static const u32 specials_s[16] = {
	0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000,
	0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0x3f800000, 0xbfc00000,
	0x4f000000, 0xcf000000, 0x5f000000, 0x3f800001,
};

static u64 mix(u64 x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ul;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dul;
	return x ^ (x >> 33);
}

static double d_of(u64 v)
{
	union { u64 u; double d; } c = { .u = v };

	return c.d;
}

static u64 bits_d(double d)
{
	union { double d; u64 u; } c = { .d = d };

	return c.u;
}

static float f_of(u32 v)
{
	union { u32 u; float f; } c = { .u = v };

	return c.f;
}

static u64 bits_f(float f)
{
	union { float f; u32 u; } c = { .f = f };

	return c.u;
}

/* A double: special, any bits, or random with a moderate exponent. */
static double pick_d(u64 r)
{
	switch (r & 3) {
	case 0:
		return d_of(specials_d[(r >> 2) % 16]);
	case 1:
		return d_of(r);
	default:
		return d_of((r & 0x800ffffffffffffful) | ((1000ul + (r >> 52) % 48) << 52));
	}
}

static float pick_f(u64 r)
{
	switch (r & 3) {
	case 0:
		return f_of(specials_s[(r >> 2) % 16]);
	case 1:
		return f_of((u32)(r >> 8));
	default:
		return f_of((u32)((r & 0x807ffffful) | ((110ul + (r >> 40) % 36) << 23)));
	}
}

/* The instructions themselves (a freestanding build has no libm). */
static double sqrt_d(double x)
{
	__asm__("fsqrt.d %0, %1" : "=f"(x) : "f"(x));
	return x;
}

static float sqrt_s(float x)
{
	__asm__("fsqrt.s %0, %1" : "=f"(x) : "f"(x));
	return x;
}

static double fma_d(double a, double b, double c)
{
	__asm__("fmadd.d %0, %1, %2, %3" : "=f"(a) : "f"(a), "f"(b), "f"(c));
	return a;
}

static float fma_s(float a, float b, float c)
{
	__asm__("fmadd.s %0, %1, %2, %3" : "=f"(a) : "f"(a), "f"(b), "f"(c));
	return a;
}

static s64 lrint_d(double x)
{
	s64 v;

	__asm__("fcvt.l.d %0, %1" : "=r"(v) : "f"(x));
	return v;
}

static s64 lrint_s(float x)
{
	s64 v;

	__asm__("fcvt.l.s %0, %1" : "=r"(v) : "f"(x));
	return v;
}

static void set_frm(u64 rm)
{
	__asm__ volatile("fsrm %0" : : "r"(rm));
}

static u64 take_fflags(void)
{
	u64 v;

	__asm__ volatile("frflags %0\n\tfsflags zero" : "=r"(v));
	return v;
}

KERNEL void diffk_int(u64 *out, u64 seed)
{
	u64 i = get_global_id(0), x = mix(seed + i), y = mix(x) | 1;
	s64 a = (s64)x, b = (s64)(y >> (i & 63));
	u32 w = (u32)y | 1;
	u64 *o = out + i * DIFFK_RESULTS;

	o[0] = x * y;
	o[1] = (u64)(((unsigned __int128)x * y) >> 64);
	o[2] = (u64)(((__int128)a * b) >> 64);
	o[3] = b && b != -1 ? (u64)(a / b) : 0;
	o[4] = b && b != -1 ? (u64)(a % b) : 0;
	o[5] = x / (y >> (i & 31) | 1);
	o[6] = (s32)w != -1 ? (u64)(s64)((s32)x / (s32)w) : 0;
	o[7] = (u64)(s64)(s32)((u32)x % w);
	o[8] = (x << (i & 63)) ^ (u64)(a >> (y & 63));
	o[9] = (u64)(s64)(s32)((u32)x << (i & 31)) + (u64)(s64)((s32)w >> (i & 31));
	o[10] = (u64)(a < b) + (u64)(x < y) * 2 + (u64)((s32)w < 0) * 4;
	o[11] = (u64)__builtin_clzl(x | 1) + ((u64)__builtin_popcountl(y) << 8);
	o[12] = (u64)(s64)(s32)(w * 0x9e3779b9u);
	o[13] = x - y + (u64)(s64)(short)x + (u64)(signed char)y;
	o[14] = (u64)(s64)(s32)((s32)(x >> 3) + (s32)y);
	o[15] = x % 1000 + y % 7;
}

KERNEL void diffk_double(u64 *out, u64 seed)
{
	u64 i = get_global_id(0), r = mix(seed + i);
	double x = pick_d(r), y = pick_d(mix(r)), z = pick_d(mix(r + 1));
	u64 *o = out + i * DIFFK_RESULTS;

	set_frm(i % 5);
	o[0] = bits_d(x + y);
	o[1] = bits_d(x - z);
	o[2] = bits_d(x * y);
	o[3] = bits_d(x / y);
	o[4] = bits_d(sqrt_d(x));
	o[5] = bits_d(fma_d(x, y, z));
	o[6] = bits_d(__builtin_fmin(x, y)) ^ bits_d(__builtin_fmax(y, z));
	o[7] = (u64)(x < y) | (u64)(x <= z) << 1 | (u64)(x == y) << 2;
	o[8] = (u64)__builtin_copysign(1.0, x) ^ bits_d(-z);
	o[9] = (u64)(s64)lrint_d(x);
	o[10] = bits_f((float)x) | (u64)(u32)lrint_s((float)y) << 32;
	o[11] = bits_d((double)(s64)r) ^ bits_d((double)(r >> 3));
	o[12] = bits_d((double)(s32)r * y);
	o[13] = bits_d(__builtin_fabs(z) - x * y);
	o[14] = bits_d(fma_d(-x, z, y));
	o[15] = take_fflags();
	set_frm(0);
}

KERNEL void diffk_float(u64 *out, u64 seed)
{
	u64 i = get_global_id(0), r = mix(seed + i);
	float x = pick_f(r), y = pick_f(mix(r)), z = pick_f(mix(r + 1));
	u64 *o = out + i * DIFFK_RESULTS;

	set_frm((i + 2) % 5);
	o[0] = bits_f(x + y) | bits_f(x - z) << 32;
	o[1] = bits_f(x * y) | bits_f(x / y) << 32;
	o[2] = bits_f(sqrt_s(x)) | bits_f(fma_s(x, y, z)) << 32;
	o[3] = bits_f(__builtin_fminf(x, y)) | bits_f(__builtin_fmaxf(z, x)) << 32;
	o[4] = (u64)(x < y) | (u64)(x <= z) << 1 | (u64)(x == z) << 2;
	o[5] = (u64)(s64)lrint_s(x);
	o[6] = (u64)(u32)(s32)lrint_s(y) | (u64)(u32)(x > 0 && x < 4e9f ? (u32)x : 7) << 32;
	o[7] = bits_d((double)x) ^ bits_d((double)y * z);
	o[8] = bits_f((float)(s64)r) | bits_f((float)(u32)r) << 32;
	o[9] = bits_f((float)pick_d(r)) | bits_f(-fma_s(x, -y, z)) << 32;
	o[10] = bits_f(x * y + z * x);
	o[11] = bits_f(__builtin_copysignf(y, z)) | bits_f(__builtin_fabsf(x)) << 32;
	o[12] = bits_f(x / 3.0f) | bits_f(y * 1e30f) << 32;
	o[13] = bits_f(z * 1e-30f) | bits_f(z + 1e30f) << 32;
	o[14] = bits_f((float)(s32)(r >> 7) / 7.0f);
	o[15] = take_fflags();
	set_frm(0);
}

#ifdef __VSVM_QEMU__
struct drm_vsvm_workitem {
	u64 global_id[3];
};

extern char __vsvm_workitem[];
long vsvm_qemu_write(const void *buf, unsigned long len);

static u64 qemu_out[DIFFK_ITEMS * DIFFK_RESULTS];

/* Each kernel in turn over its work-items, as the shader core runs them. */
int vsvm_qemu_main(void)
{
	static void (*const kernels[])(u64 *, u64) = {
		diffk_int, diffk_double, diffk_float,
	};
	struct drm_vsvm_workitem *wi = (void *)__vsvm_workitem;
	unsigned int k, i;

	for (k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		for (i = 0; i < DIFFK_ITEMS * DIFFK_RESULTS; i++)
			qemu_out[i] = 0;
		for (i = 0; i < DIFFK_ITEMS; i++) {
			wi->global_id[0] = i;
			kernels[k](qemu_out, 0x5eed + k);
		}
		vsvm_qemu_write(qemu_out, sizeof(qemu_out));
	}
	return 0;
}
#endif
