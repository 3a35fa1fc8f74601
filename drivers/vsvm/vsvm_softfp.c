// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm soft float
 *
 * The IEEE 754 operations of the shader core that the x86 FPU cannot do
 * the RISC-V way, in integer arithmetic: fused multiply-add (exact: one
 * rounding of the exact product plus addend, whatever FMA instructions
 * the CPU has), the round-to-nearest-max-magnitude mode (RMM) that SSE
 * lacks, conversions with RISC-V's saturation, min/max, comparisons and
 * classification. Results follow the RISC-V F and D extensions: NaN
 * results are the canonical NaN, exception flags are fflags bits, and
 * tininess is detected after rounding.
 *
 * Values are bit patterns in a u64 (single precision in the low 32 bits,
 * not NaN-boxed). An operand is unpacked to a sign, the exponent of its
 * leading bit and its significand with the leading bit explicit; results
 * are rounded from a 64-bit significand whose leading bit is bit 62 and
 * whose lowest bit is sticky (set when any bit below was lost).
 *
 * No floating-point register is touched: this file is built without the
 * kernel's FPU flags and is callable from anywhere.
 */

#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/types.h>

#include <kunit/visibility.h>

#include "vsvm_shader.h"

/** vsvm_sf_s: IEEE binary32. */
const struct vsvm_sf_fmt vsvm_sf_s = { .mbits = 23, .ebits = 8 };
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_s);
/** vsvm_sf_d: IEEE binary64. */
const struct vsvm_sf_fmt vsvm_sf_d = { .mbits = 52, .ebits = 11 };
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_d);

enum vsvm_sf_class {
	SF_ZERO,
	SF_FINITE,
	SF_INF,
	SF_QNAN,
	SF_SNAN,
};

/* An unpacked value: sig * 2^(exp - mbits), sig in [2^mbits, 2^(mbits+1)). */
struct vsvm_sf_num {
	u8 cls;
	bool sign;
	int exp;
	u64 sig;
};

static int sf_emax(const struct vsvm_sf_fmt *f)
{
	return (1 << f->ebits) - 1;
}

static int sf_bias(const struct vsvm_sf_fmt *f)
{
	return (1 << (f->ebits - 1)) - 1;
}

static u64 sf_fmask(const struct vsvm_sf_fmt *f)
{
	return BIT_ULL(f->mbits) - 1;
}

static u64 sf_pack(const struct vsvm_sf_fmt *f, bool sign, u64 exp, u64 frac)
{
	return (u64)sign << (f->mbits + f->ebits) | exp << f->mbits | frac;
}

static u64 sf_inf(const struct vsvm_sf_fmt *f, bool sign)
{
	return sf_pack(f, sign, sf_emax(f), 0);
}

static u64 sf_zero(const struct vsvm_sf_fmt *f, bool sign)
{
	return sf_pack(f, sign, 0, 0);
}

/**
 * vsvm_sf_canonical_nan() - the canonical NaN of a format
 * @f: the format
 *
 * Return: the positive quiet NaN with only the quiet bit of the fraction.
 */
u64 vsvm_sf_canonical_nan(const struct vsvm_sf_fmt *f)
{
	return sf_pack(f, false, sf_emax(f), BIT_ULL(f->mbits - 1));
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_canonical_nan);

/**
 * vsvm_sf_is_nan() - is a value a NaN
 * @f: the format
 * @a: the value
 *
 * Return: true for any NaN, quiet or signalling.
 */
bool vsvm_sf_is_nan(const struct vsvm_sf_fmt *f, u64 a)
{
	return ((a >> f->mbits) & sf_emax(f)) == sf_emax(f) &&
	       (a & sf_fmask(f));
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_is_nan);

static void sf_unpack(const struct vsvm_sf_fmt *f, u64 a, struct vsvm_sf_num *n)
{
	u64 frac = a & sf_fmask(f);
	int e = (a >> f->mbits) & sf_emax(f);
	int shift;

	n->sign = (a >> (f->mbits + f->ebits)) & 1;
	n->exp = 0;
	n->sig = 0;
	if (e == sf_emax(f)) {
		if (!frac)
			n->cls = SF_INF;
		else
			n->cls = frac & BIT_ULL(f->mbits - 1) ? SF_QNAN : SF_SNAN;
		return;
	}
	if (!e && !frac) {
		n->cls = SF_ZERO;
		return;
	}
	n->cls = SF_FINITE;
	if (e) {
		n->sig = frac | BIT_ULL(f->mbits);
		n->exp = e - sf_bias(f);
		return;
	}
	/* Subnormal: normalise. */
	shift = f->mbits + 1 - fls64(frac);
	n->sig = frac << shift;
	n->exp = 1 - sf_bias(f) - shift;
}

static bool sf_is_nan(const struct vsvm_sf_num *n)
{
	return n->cls == SF_QNAN || n->cls == SF_SNAN;
}

static u64 sf_shr_jam(u64 v, unsigned int n)
{
	if (!n)
		return v;
	if (n >= 64)
		return v != 0;
	return v >> n | ((v & (BIT_ULL(n) - 1)) != 0);
}

static u128 sf_shr_jam128(u128 v, unsigned int n)
{
	if (!n)
		return v;
	if (n >= 128)
		return v != 0;
	return v >> n | ((v << (128 - n)) != 0);
}

/* Whether rounding adds one to @kept, given the @rest below it. */
static bool sf_round_up(unsigned int rm, bool sign, u64 kept, u64 rest,
			u64 half)
{
	switch (rm) {
	case VSVM_RM_RNE:
		return rest > half || (rest == half && (kept & 1));
	case VSVM_RM_RDN:
		return rest && sign;
	case VSVM_RM_RUP:
		return rest && !sign;
	case VSVM_RM_RMM:
		return rest >= half;
	default:
		return false;
	}
}

static u64 sf_overflow(const struct vsvm_sf_fmt *f, bool sign, unsigned int rm,
		       u32 *flags)
{
	bool to_inf;

	*flags |= VSVM_FF_OF | VSVM_FF_NX;
	switch (rm) {
	case VSVM_RM_RTZ:
		to_inf = false;
		break;
	case VSVM_RM_RDN:
		to_inf = sign;
		break;
	case VSVM_RM_RUP:
		to_inf = !sign;
		break;
	default:
		to_inf = true;
		break;
	}
	if (to_inf)
		return sf_inf(f, sign);
	return sf_pack(f, sign, sf_emax(f) - 1, sf_fmask(f));
}

/*
 * Tininess after rounding: the result rounded to the format's precision
 * with an unbounded exponent is below the smallest normal. @be is the
 * biased exponent the leading bit of @sig would have (<= 0 here).
 */
static bool sf_tiny(const struct vsvm_sf_fmt *f, bool sign, int be, u64 sig,
		    unsigned int rm)
{
	unsigned int shift = 62 - f->mbits;
	u64 kept = sig >> shift;

	if (be < 0)
		return true;
	return !(sf_round_up(rm, sign, kept, sig & (BIT_ULL(shift) - 1),
			     BIT_ULL(shift - 1)) &&
		 kept + 1 == BIT_ULL(f->mbits + 1));
}

/*
 * Round sign * sig * 2^(exp - 62) to @f; @sig has bit 62 set and bit 63
 * clear, its lowest bit is sticky.
 */
static u64 sf_round_pack(const struct vsvm_sf_fmt *f, bool sign, int exp,
			 u64 sig, unsigned int rm, u32 *flags)
{
	unsigned int shift = 62 - f->mbits;
	int be = exp + sf_bias(f);
	bool tiny = false;
	u64 kept, rest;

	if (be <= 0) {
		tiny = sf_tiny(f, sign, be, sig, rm);
		sig = sf_shr_jam(sig, min(1 - be, 64));
		be = 0;
	}
	kept = sig >> shift;
	rest = sig & (BIT_ULL(shift) - 1);
	kept += sf_round_up(rm, sign, kept, rest, BIT_ULL(shift - 1));
	if (rest) {
		*flags |= VSVM_FF_NX;
		if (tiny)
			*flags |= VSVM_FF_UF;
	}
	/* A subnormal rounding up to 2^mbits is the smallest normal. */
	if (!be)
		return sf_pack(f, sign, 0, 0) + kept;
	if (kept >> (f->mbits + 1)) {
		kept >>= 1;
		be++;
	}
	if (be >= sf_emax(f))
		return sf_overflow(f, sign, rm, flags);
	return sf_pack(f, sign, be, kept & sf_fmask(f));
}

/* Round the non-zero v * 2^e0. */
static u64 sf_round_pack128(const struct vsvm_sf_fmt *f, bool sign, int e0,
			    u128 v, unsigned int rm, u32 *flags)
{
	int msb = (u64)(v >> 64) ? 64 + fls64(v >> 64) - 1 : fls64(v) - 1;
	u64 sig;

	if (msb > 62)
		sig = sf_shr_jam128(v, msb - 62);
	else
		sig = (u64)v << (62 - msb);
	return sf_round_pack(f, sign, e0 + msb, sig, rm, flags);
}

/* NaN operands: the canonical NaN, NV for a signalling one. */
static u64 sf_nan_result(const struct vsvm_sf_fmt *f,
			 const struct vsvm_sf_num *a,
			 const struct vsvm_sf_num *b,
			 const struct vsvm_sf_num *c, u32 *flags)
{
	if (a->cls == SF_SNAN || b->cls == SF_SNAN || (c && c->cls == SF_SNAN))
		*flags |= VSVM_FF_NV;
	return vsvm_sf_canonical_nan(f);
}

static u64 sf_invalid(const struct vsvm_sf_fmt *f, u32 *flags)
{
	*flags |= VSVM_FF_NV;
	return vsvm_sf_canonical_nan(f);
}

/*
 * The sum of the exact product p * 2^pe0 (sign @sp) and the finite,
 * non-zero addend @c, rounded once.
 */
static u64 sf_fma_add(const struct vsvm_sf_fmt *f, bool sp, int pe0, u128 p,
		      const struct vsvm_sf_num *c, unsigned int rm, u32 *flags)
{
	int pmsb = fls64(p >> 64) ? 64 + fls64(p >> 64) - 1 : fls64(p) - 1;
	int pexp = pe0 + pmsb, e;
	u128 P = p << (125 - pmsb);
	u128 C = (u128)c->sig << (125 - f->mbits);
	bool sign = sp;
	u128 s;

	/* Both leading bits at bit 125, then align the smaller. */
	if (pexp >= c->exp) {
		C = sf_shr_jam128(C, pexp - c->exp);
		e = pexp;
	} else {
		P = sf_shr_jam128(P, c->exp - pexp);
		e = c->exp;
	}
	if (sp == c->sign) {
		s = P + C;
	} else if (P >= C) {
		s = P - C;
	} else {
		s = C - P;
		sign = c->sign;
	}
	if (!s)
		return sf_zero(f, rm == VSVM_RM_RDN);
	return sf_round_pack128(f, sign, e - 125, s, rm, flags);
}

/*
 * The common single-precision case, all three operands normal: the
 * product (48 bits) is exact in 64 bits, so no 128-bit arithmetic.
 */
static u64 sf_fma_s_normal(u64 a, u64 b, u64 c, unsigned int rm, u32 *flags)
{
	bool sp = (a ^ b) >> 31 & 1, sc = c >> 31 & 1, sign = sp;
	int ea = (a >> 23 & 0xff) - 127, eb = (b >> 23 & 0xff) - 127;
	int ec = (c >> 23 & 0xff) - 127, e, msb;
	u64 p = ((a & 0x7fffff) | BIT(23)) * ((b & 0x7fffff) | BIT(23));
	u64 C = ((c & 0x7fffff) | BIT(23)) << 39, s;

	/* Leading bits at 62: the product's is bit 46 or 47. */
	msb = p >> 47 ? 47 : 46;
	p <<= 62 - msb;
	e = ea + eb + msb - 46;
	if (e >= ec) {
		C = sf_shr_jam(C, min(e - ec, 64));
	} else {
		p = sf_shr_jam(p, min(ec - e, 64));
		e = ec;
	}
	if (sp == sc) {
		s = p + C;
	} else if (p >= C) {
		s = p - C;
	} else {
		s = C - p;
		sign = sc;
	}
	if (!s)
		return sf_zero(&vsvm_sf_s, rm == VSVM_RM_RDN);
	msb = fls64(s) - 1;
	if (msb > 62)
		s = sf_shr_jam(s, msb - 62);
	else
		s <<= 62 - msb;
	return sf_round_pack(&vsvm_sf_s, sign, e + msb - 62, s, rm, flags);
}

static bool sf_normal_s(u64 a)
{
	return (u8)((a >> 23) + 1) > 1;
}

/**
 * vsvm_sf_fma() - fused multiply-add
 * @f: the format
 * @a: first factor
 * @b: second factor
 * @c: addend
 * @rm: rounding mode, VSVM_RM_RNE..VSVM_RM_RMM
 * @flags: fflags bits are ORed in here
 *
 * Computes a * b + c with a single rounding, as fmadd does (the callers
 * negate operands for fmsub, fnmsub and fnmadd). Infinity times zero is
 * invalid even when @c is a quiet NaN.
 *
 * Return: the result.
 */
u64 vsvm_sf_fma(const struct vsvm_sf_fmt *f, u64 a, u64 b, u64 c,
		unsigned int rm, u32 *flags)
{
	struct vsvm_sf_num na, nb, nc;
	bool inf_zero, sp;
	u128 p;

	if (f == &vsvm_sf_s && sf_normal_s(a) && sf_normal_s(b) && sf_normal_s(c))
		return sf_fma_s_normal(a, b, c, rm, flags);
	sf_unpack(f, a, &na);
	sf_unpack(f, b, &nb);
	sf_unpack(f, c, &nc);
	inf_zero = (na.cls == SF_INF && nb.cls == SF_ZERO) ||
		   (na.cls == SF_ZERO && nb.cls == SF_INF);
	if (sf_is_nan(&na) || sf_is_nan(&nb) || sf_is_nan(&nc)) {
		if (inf_zero)
			*flags |= VSVM_FF_NV;
		return sf_nan_result(f, &na, &nb, &nc, flags);
	}
	if (inf_zero)
		return sf_invalid(f, flags);
	sp = na.sign ^ nb.sign;
	if (na.cls == SF_INF || nb.cls == SF_INF) {
		if (nc.cls == SF_INF && nc.sign != sp)
			return sf_invalid(f, flags);
		return sf_inf(f, sp);
	}
	if (nc.cls == SF_INF)
		return sf_inf(f, nc.sign);
	if (na.cls == SF_ZERO || nb.cls == SF_ZERO) {
		if (nc.cls != SF_ZERO)
			return c;
		return sf_zero(f, sp == nc.sign ? sp : rm == VSVM_RM_RDN);
	}
	p = (u128)na.sig * nb.sig;
	if (nc.cls == SF_ZERO)
		return sf_round_pack128(f, sp, na.exp + nb.exp - 2 * f->mbits,
					p, rm, flags);
	return sf_fma_add(f, sp, na.exp + nb.exp - 2 * f->mbits, p, &nc, rm,
			  flags);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_fma);

/**
 * vsvm_sf_add() - addition
 * @f: the format
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, VSVM_RM_RNE..VSVM_RM_RMM
 * @flags: fflags bits are ORed in here
 *
 * a * 1 + b: the product is exact, so this is a + b rounded once.
 *
 * Return: the sum.
 */
u64 vsvm_sf_add(const struct vsvm_sf_fmt *f, u64 a, u64 b, unsigned int rm,
		u32 *flags)
{
	return vsvm_sf_fma(f, a, sf_pack(f, false, sf_bias(f), 0), b, rm, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_add);

/**
 * vsvm_sf_mul() - multiplication
 * @f: the format
 * @a: first operand
 * @b: second operand
 * @rm: rounding mode, VSVM_RM_RNE..VSVM_RM_RMM
 * @flags: fflags bits are ORed in here
 *
 * Return: the product.
 */
u64 vsvm_sf_mul(const struct vsvm_sf_fmt *f, u64 a, u64 b, unsigned int rm,
		u32 *flags)
{
	struct vsvm_sf_num na, nb;
	bool sp;

	sf_unpack(f, a, &na);
	sf_unpack(f, b, &nb);
	if (sf_is_nan(&na) || sf_is_nan(&nb))
		return sf_nan_result(f, &na, &nb, NULL, flags);
	sp = na.sign ^ nb.sign;
	if ((na.cls == SF_INF && nb.cls == SF_ZERO) ||
	    (na.cls == SF_ZERO && nb.cls == SF_INF))
		return sf_invalid(f, flags);
	if (na.cls == SF_INF || nb.cls == SF_INF)
		return sf_inf(f, sp);
	if (na.cls == SF_ZERO || nb.cls == SF_ZERO)
		return sf_zero(f, sp);
	return sf_round_pack128(f, sp, na.exp + nb.exp - 2 * f->mbits,
				(u128)na.sig * nb.sig, rm, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_mul);

/**
 * vsvm_sf_div() - division
 * @f: the format
 * @a: dividend
 * @b: divisor
 * @rm: rounding mode, VSVM_RM_RNE..VSVM_RM_RMM
 * @flags: fflags bits are ORed in here
 *
 * Return: the quotient.
 */
u64 vsvm_sf_div(const struct vsvm_sf_fmt *f, u64 a, u64 b, unsigned int rm,
		u32 *flags)
{
	struct vsvm_sf_num na, nb;
	u64 rem, q = 0;
	int i, exp;
	bool s;

	sf_unpack(f, a, &na);
	sf_unpack(f, b, &nb);
	if (sf_is_nan(&na) || sf_is_nan(&nb))
		return sf_nan_result(f, &na, &nb, NULL, flags);
	s = na.sign ^ nb.sign;
	if ((na.cls == SF_INF && nb.cls == SF_INF) ||
	    (na.cls == SF_ZERO && nb.cls == SF_ZERO))
		return sf_invalid(f, flags);
	if (na.cls == SF_INF)
		return sf_inf(f, s);
	if (nb.cls == SF_INF || na.cls == SF_ZERO)
		return sf_zero(f, s);
	if (nb.cls == SF_ZERO) {
		*flags |= VSVM_FF_DZ;
		return sf_inf(f, s);
	}
	/* 63 quotient bits by restoring division: q = sig_a * 2^62 / sig_b. */
	rem = na.sig;
	for (i = 0; i < 63; i++) {
		q <<= 1;
		if (rem >= nb.sig) {
			rem -= nb.sig;
			q |= 1;
		}
		rem <<= 1;
	}
	exp = na.exp - nb.exp;
	if (!(q & BIT_ULL(62))) {
		q <<= 1;
		exp--;
	}
	return sf_round_pack(f, s, exp, q | (rem != 0), rm, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_div);

/* The integer part of a finite |value| rounded by @rm; *@inexact. */
static u64 sf_round_int(const struct vsvm_sf_fmt *f,
			const struct vsvm_sf_num *n, unsigned int rm,
			bool *inexact)
{
	unsigned int shift;
	u64 ip, rest, half;

	if (n->exp >= f->mbits) {
		*inexact = false;
		return n->sig << (n->exp - f->mbits);
	}
	shift = f->mbits - n->exp;
	if (shift > 62) {
		/* Below 1/2: only the sticky bit is left. */
		ip = 0;
		rest = 1;
		half = 2;
	} else {
		ip = n->sig >> shift;
		rest = n->sig & (BIT_ULL(shift) - 1);
		half = BIT_ULL(shift - 1);
	}
	*inexact = rest != 0;
	return ip + sf_round_up(rm, n->sign, ip, rest, half);
}

/**
 * vsvm_sf_to_int() - fcvt.{w,wu,l,lu}.{s,d}
 * @f: the format of @a
 * @a: the value
 * @bits: 32 or 64
 * @is_signed: to a signed integer
 * @rm: rounding mode, VSVM_RM_RNE..VSVM_RM_RMM
 * @flags: fflags bits are ORed in here
 *
 * Out of range values and NaNs saturate with NV (NaN and +inf to the
 * largest integer, -inf to the smallest); an in-range inexact result sets
 * NX. 32-bit results are sign-extended to 64 bits, unsigned ones too.
 *
 * Return: the integer.
 */
u64 vsvm_sf_to_int(const struct vsvm_sf_fmt *f, u64 a, unsigned int bits,
		   bool is_signed, unsigned int rm, u32 *flags)
{
	u64 max = is_signed ? BIT_ULL(bits - 1) - 1 : U64_MAX >> (64 - bits);
	u64 min = is_signed ? -BIT_ULL(bits - 1) : 0;
	struct vsvm_sf_num n;
	bool inexact;
	u64 mag, r;

	sf_unpack(f, a, &n);
	if (n.cls == SF_ZERO)
		return 0;
	if (sf_is_nan(&n) || n.cls == SF_INF || n.exp >= 64) {
		*flags |= VSVM_FF_NV;
		r = n.sign && !sf_is_nan(&n) ? min : max;
		goto out;
	}
	mag = sf_round_int(f, &n, rm, &inexact);
	if (n.sign && mag && (!is_signed || mag > BIT_ULL(bits - 1))) {
		*flags |= VSVM_FF_NV;
		r = min;
		goto out;
	}
	if (!n.sign && mag > max) {
		*flags |= VSVM_FF_NV;
		r = max;
		goto out;
	}
	if (inexact)
		*flags |= VSVM_FF_NX;
	r = n.sign ? -mag : mag;
out:
	return bits == 32 ? (u64)(s64)(s32)r : r;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_to_int);

/**
 * vsvm_sf_from_int() - fcvt.{s,d}.{w,wu,l,lu}
 * @f: the format of the result
 * @v: the integer, sign- or zero-extended to 64 bits by the caller
 * @is_signed: @v is signed
 * @rm: rounding mode, VSVM_RM_RNE..VSVM_RM_RMM
 * @flags: fflags bits are ORed in here
 *
 * Return: the value, +0 for 0.
 */
u64 vsvm_sf_from_int(const struct vsvm_sf_fmt *f, u64 v, bool is_signed,
		     unsigned int rm, u32 *flags)
{
	bool sign = is_signed && (s64)v < 0;
	u64 mag = sign ? -v : v;
	int msb;

	if (!mag)
		return 0;
	msb = fls64(mag) - 1;
	return sf_round_pack(f, sign, msb,
			     msb > 62 ? sf_shr_jam(mag, msb - 62) : mag << (62 - msb),
			     rm, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_from_int);

/**
 * vsvm_sf_convert() - fcvt.s.d and fcvt.d.s
 * @to: the format of the result
 * @from: the format of @a
 * @a: the value
 * @rm: rounding mode, VSVM_RM_RNE..VSVM_RM_RMM
 * @flags: fflags bits are ORed in here
 *
 * Return: @a in @to: rounded when narrowing, exact when widening; NaNs
 * become the canonical NaN (NV when signalling).
 */
u64 vsvm_sf_convert(const struct vsvm_sf_fmt *to, const struct vsvm_sf_fmt *from,
		    u64 a, unsigned int rm, u32 *flags)
{
	struct vsvm_sf_num n;

	sf_unpack(from, a, &n);
	switch (n.cls) {
	case SF_SNAN:
		*flags |= VSVM_FF_NV;
		fallthrough;
	case SF_QNAN:
		return vsvm_sf_canonical_nan(to);
	case SF_INF:
		return sf_inf(to, n.sign);
	case SF_ZERO:
		return sf_zero(to, n.sign);
	default:
		return sf_round_pack(to, n.sign, n.exp,
				     n.sig << (62 - from->mbits), rm, flags);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_convert);

/* a < b for ordered operands; -0 == +0. */
static bool sf_lt(const struct vsvm_sf_fmt *f, u64 a, u64 b)
{
	u64 smask = BIT_ULL(f->mbits + f->ebits);
	bool sa = a & smask, sb = b & smask;

	if (sa != sb)
		return sa && ((a | b) & ~smask);
	return sa ? a > b : a < b;
}

static bool sf_eq(const struct vsvm_sf_fmt *f, u64 a, u64 b)
{
	u64 smask = BIT_ULL(f->mbits + f->ebits);

	return a == b || !((a | b) & ~smask);
}

static bool sf_is_snan(const struct vsvm_sf_fmt *f, u64 a)
{
	return vsvm_sf_is_nan(f, a) && !(a & BIT_ULL(f->mbits - 1));
}

/**
 * vsvm_sf_minmax() - fmin and fmax
 * @f: the format
 * @a: first operand
 * @b: second operand
 * @max: fmax rather than fmin
 * @flags: fflags bits are ORed in here
 *
 * RISC-V (IEEE 754-2019 minimumNumber/maximumNumber): a NaN operand
 * yields the other operand, two NaNs the canonical NaN, a signalling NaN
 * sets NV; -0 is less than +0.
 *
 * Return: the result.
 */
u64 vsvm_sf_minmax(const struct vsvm_sf_fmt *f, u64 a, u64 b, bool max,
		   u32 *flags)
{
	bool an = vsvm_sf_is_nan(f, a), bn = vsvm_sf_is_nan(f, b);
	u64 smask = BIT_ULL(f->mbits + f->ebits);

	if (sf_is_snan(f, a) || sf_is_snan(f, b))
		*flags |= VSVM_FF_NV;
	if (an && bn)
		return vsvm_sf_canonical_nan(f);
	if (an)
		return b;
	if (bn)
		return a;
	if (!((a | b) & ~smask))
		return max ? a & b : a | b;
	return sf_lt(f, a, b) != max ? a : b;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_minmax);

/**
 * vsvm_sf_compare() - feq, flt and fle
 * @f: the format
 * @a: first operand
 * @b: second operand
 * @funct3: 2 for feq (quiet: NV only for a signalling NaN), 1 for flt,
 *	0 for fle (signalling: NV for any NaN)
 * @flags: fflags bits are ORed in here
 *
 * Return: 1 when the relation holds, else 0 (always 0 with a NaN).
 */
u64 vsvm_sf_compare(const struct vsvm_sf_fmt *f, u64 a, u64 b,
		    unsigned int funct3, u32 *flags)
{
	if (vsvm_sf_is_nan(f, a) || vsvm_sf_is_nan(f, b)) {
		if (funct3 != 2 || sf_is_snan(f, a) || sf_is_snan(f, b))
			*flags |= VSVM_FF_NV;
		return 0;
	}
	switch (funct3) {
	case 2:
		return sf_eq(f, a, b);
	case 1:
		return sf_lt(f, a, b);
	default:
		return sf_lt(f, a, b) || sf_eq(f, a, b);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_compare);

/**
 * vsvm_sf_classify() - fclass
 * @f: the format
 * @a: the value
 *
 * Return: the one-hot fclass mask: bit 0 -inf, 1 negative normal, 2
 * negative subnormal, 3 -0, 4 +0, 5 positive subnormal, 6 positive
 * normal, 7 +inf, 8 signalling NaN, 9 quiet NaN.
 */
u64 vsvm_sf_classify(const struct vsvm_sf_fmt *f, u64 a)
{
	bool sign = (a >> (f->mbits + f->ebits)) & 1;
	int e = (a >> f->mbits) & sf_emax(f);
	u64 frac = a & sf_fmask(f);

	if (e == sf_emax(f)) {
		if (frac)
			return frac & BIT_ULL(f->mbits - 1) ? BIT(9) : BIT(8);
		return sign ? BIT(0) : BIT(7);
	}
	if (e)
		return sign ? BIT(1) : BIT(6);
	if (frac)
		return sign ? BIT(2) : BIT(5);
	return sign ? BIT(3) : BIT(4);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sf_classify);
