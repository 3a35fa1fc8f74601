// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * Runs builtins of the library under qemu-riscv64 (vsvm-cc --qemu): each
 * line "FUNCTION ARG1 [ARG2] RESULT" in hex bits; qemu_compare.py checks
 * them against the host.
 */
typedef unsigned long u64;
typedef unsigned int u32;

long vsvm_qemu_write(const void *buf, unsigned long len);

#define D1(name, mangled) double b_##name(double) __asm__(mangled);
#define F1(name, mangled) float bf_##name(float) __asm__(mangled);
D1(sin, "_Z3sind") D1(cos, "_Z3cosd") D1(tan, "_Z3tand") D1(exp, "_Z3expd")
D1(log, "_Z3logd") D1(exp2, "_Z4exp2d") D1(log2, "_Z4log2d") D1(log10, "_Z5log10d")
D1(atan, "_Z4atand") D1(asin, "_Z4asind") D1(acos, "_Z4acosd") D1(sinh, "_Z4sinhd")
D1(tanh, "_Z4tanhd") D1(expm1, "_Z5expm1d") D1(log1p, "_Z5log1pd") D1(cbrt, "_Z4cbrtd")
D1(sqrt, "_Z4sqrtd") D1(erf, "_Z3erfd")
F1(sin, "_Z3sinf") F1(cos, "_Z3cosf") F1(exp, "_Z3expf") F1(log, "_Z3logf")
F1(tan, "_Z3tanf") F1(atan, "_Z4atanf")
double b_pow(double, double) __asm__("_Z3powdd");
double b_atan2(double, double) __asm__("_Z5atan2dd");
double b_fmod(double, double) __asm__("_Z4fmoddd");
double b_hypot(double, double) __asm__("_Z5hypotdd");
float bf_pow(float, float) __asm__("_Z3powff");
u64 b_mul_hi(u64, u64) __asm__("_Z6mul_himm");
long b_mul_his(long, long) __asm__("_Z6mul_hill");
int b_conv_sat_rte(float) __asm__("_Z19convert_int_sat_rtef");
u32 b_popcount(u32) __asm__("_Z8popcountj");
u32 b_rotate(u32, u32) __asm__("_Z6rotatejj");
int b_clz(int) __asm__("_Z3clzi");

static char buf[256];
static int pos;

static void put(const char *s)
{
	while (*s)
		buf[pos++] = *s++;
}

static void hex(u64 v)
{
	int i;

	buf[pos++] = ' ';
	for (i = 60; i >= 0; i -= 4)
		buf[pos++] = "0123456789abcdef"[(v >> i) & 15];
}

static void line(void)
{
	buf[pos++] = '\n';
	vsvm_qemu_write(buf, (unsigned long)pos);
	pos = 0;
}

static u64 db(double x) { union { double d; u64 u; } v = { .d = x }; return v.u; }
static u64 fb(float x) { union { float f; u32 u; } v = { .f = x }; return v.u; }

static const double in_d[] = {
	0.5, -0.75, 1.0, 2.0, 3.0, 0.1, 1e-10, 10.5, -33.25, 100.0, 0.999, 1e5, 7.0e8,
	1e22, -2.5e15, 1e300, 5e-310, 0.7853981633974483, 1.5707963267948966, 4.5, 30.0,
};
static const double in_pos[] = { 0.5, 1.0, 2.0, 3.0, 0.1, 1e-10, 10.5, 100.0, 0.999, 1e5, 1e300, 5e-310, 1.5, 700.0 };

#define RUN1(name, set) \
	for (unsigned i = 0; i < sizeof(set) / sizeof(set[0]); i++) { \
		put(#name); hex(db(set[i])); hex(db(b_##name(set[i]))); line(); }
#define RUNF1(name, set) \
	for (unsigned i = 0; i < sizeof(set) / sizeof(set[0]); i++) { float x = (float)set[i]; \
		put("f" #name); hex(fb(x)); hex(fb(bf_##name(x))); line(); }

int vsvm_qemu_main(void)
{
	static const double small[] = { 0.5, -0.75, 0.1, 0.999, -0.3, 1e-10, 0.0, 1.0 };
	static const double pw[][2] = { { 2, 10 }, { 1.5, 2.5 }, { 10, -3 }, { 0.5, 100.5 }, { 3, 0.333 },
					{ 7.7, 300 }, { -2, 3 }, { 1e10, 0.5 } };
	unsigned i;

	RUN1(sin, in_d) RUN1(cos, in_d) RUN1(tan, in_d) RUN1(atan, in_d) RUN1(sinh, small)
	RUN1(tanh, in_d) RUN1(cbrt, in_d) RUN1(sqrt, in_pos) RUN1(erf, small)
	RUN1(exp, small) RUN1(exp2, small) RUN1(expm1, small) RUN1(log1p, small)
	RUN1(log, in_pos) RUN1(log2, in_pos) RUN1(log10, in_pos) RUN1(asin, small) RUN1(acos, small)
	RUNF1(sin, in_d) RUNF1(cos, in_d) RUNF1(tan, in_d) RUNF1(atan, in_d)
	RUNF1(exp, small) RUNF1(log, in_pos)
	for (i = 0; i < sizeof(pw) / sizeof(pw[0]); i++) {
		put("pow"); hex(db(pw[i][0])); hex(db(pw[i][1])); hex(db(b_pow(pw[i][0], pw[i][1]))); line();
		put("atan2"); hex(db(pw[i][0])); hex(db(pw[i][1])); hex(db(b_atan2(pw[i][0], pw[i][1]))); line();
		put("fmod"); hex(db(pw[i][1])); hex(db(pw[i][0])); hex(db(b_fmod(pw[i][1], pw[i][0]))); line();
		put("hypot"); hex(db(pw[i][0])); hex(db(pw[i][1])); hex(db(b_hypot(pw[i][0], pw[i][1]))); line();
		put("fpow"); hex(fb((float)pw[i][0])); hex(fb((float)pw[i][1]));
		hex(fb(bf_pow((float)pw[i][0], (float)pw[i][1]))); line();
	}
	for (i = 0; i < 8; i++) {
		u64 a = 0x9e3779b97f4a7c15ul * (i + 1), b = 0xc2b2ae3d27d4eb4ful >> i;

		put("mul_hi"); hex(a); hex(b); hex(b_mul_hi(a, b)); line();
		put("mul_his"); hex(a); hex(b); hex((u64)b_mul_his((long)a, (long)b)); line();
		put("popcount"); hex((u32)a); hex(b_popcount((u32)a)); line();
		put("rotate"); hex((u32)a); hex(i * 5); hex(b_rotate((u32)a, i * 5)); line();
		put("clz"); hex((u32)(a >> (i * 4))); hex((u32)b_clz((int)(a >> (i * 4)))); line();
		put("divs"); hex(a); hex(b | 1); hex((u64)((long)a / (long)(b | 1))); line();
		put("rems"); hex(a); hex(b | 1); hex((u64)((long)a % (long)(b | 1))); line();
	}
	{
		static const float cv[] = { 2.5f, 3.5f, -2.5f, 1e10f, -1e10f, 0.49999997f, 2147483520.0f };

		for (i = 0; i < sizeof(cv) / sizeof(cv[0]); i++) {
			put("conv_sat_rte"); hex(fb(cv[i])); hex((u32)b_conv_sat_rte(cv[i])); line();
		}
		put("conv_sat_rte"); hex(0x7fc00000u); hex((u32)b_conv_sat_rte(__builtin_nanf(""))); line();
	}
	return 0;
}
