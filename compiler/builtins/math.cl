// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * The math library's double-precision kernels, written for this project
 * (docs/compiler.md has the design and the measured errors). gen.py
 * wraps them into the overloads: the double builtins call them directly,
 * the float builtins call them on the widened argument and round once,
 * which leaves the float results within about 1 ulp.
 *
 * Method: Cody-Waite reduction with split constants, double-double
 * arithmetic where a rounding error would be amplified (log for pow,
 * the argument of sin/cos), Taylor polynomials on small intervals, and
 * Payne-Hanek reduction with a table of 2/pi for huge trigonometric
 * arguments. Constants come from gen.py (mpmath) into mathconst.h.
 */
#include "builtins.h"
#include "mathconst.h"

#pragma OPENCL FP_CONTRACT OFF

#define INF __builtin_inf()
#define QNAN __builtin_nan("")
#define SQRT2 0x1.6a09e667f3bcdp+0

static long bits_of(double x) { return as_long(x); }
static double from_bits(long b) { return as_double(b); }

double __vsvm_scalbn(double x, int n)
{
	if (n > 1023) {
		x *= 0x1p1023;
		n -= 1023;
		if (n > 1023) {
			x *= 0x1p1023;
			n -= 1023;
			if (n > 1023)
				n = 1023;
		}
	} else if (n < -1022) {
		/* two steps keep the rounding to a subnormal single */
		x *= 0x1p-1022 * 0x1p53;
		n += 1022 - 53;
		if (n < -1022) {
			x *= 0x1p-1022 * 0x1p53;
			n += 1022 - 53;
			if (n < -1022)
				n = -1022;
		}
	}
	return x * from_bits((long)(0x3ff + n) << 52);
}

/* e^r - 1 for |r| <= 0.35: Taylor to r^17, good to well below an ulp. */
static double expm1_poly(double r)
{
	double p = 1.0 / 355687428096000.0;		/* 1/17! */

	p = p * r + 1.0 / 20922789888000.0;
	p = p * r + 1.0 / 1307674368000.0;
	p = p * r + 1.0 / 87178291200.0;
	p = p * r + 1.0 / 6227020800.0;
	p = p * r + 1.0 / 479001600.0;
	p = p * r + 1.0 / 39916800.0;
	p = p * r + 1.0 / 3628800.0;
	p = p * r + 1.0 / 362880.0;
	p = p * r + 1.0 / 40320.0;
	p = p * r + 1.0 / 5040.0;
	p = p * r + 1.0 / 720.0;
	p = p * r + 1.0 / 120.0;
	p = p * r + 1.0 / 24.0;
	p = p * r + 1.0 / 6.0;
	p = p * r + 0.5;
	return r + r * r * p;
}

/* e^(hi + lo), |lo| tiny against hi; no range checks. */
static double exp_dd(double hi, double lo)
{
	double kd = __builtin_rint(hi * LOG2E_HI);
	double r = (hi - kd * LN2_HI32) - kd * LN2_LO32 + lo;

	return __vsvm_scalbn(1.0 + expm1_poly(r), (int)kd);
}

double __vsvm_exp(double x)
{
	if (__builtin_isnan(x))
		return x;
	if (x > 709.782712893384)
		return INF;
	if (x < -745.1332191019412)
		return 0.0;
	return exp_dd(x, 0.0);
}

double __vsvm_exp2(double x)
{
	double kd, r;

	if (__builtin_isnan(x))
		return x;
	if (x >= 1024.0)
		return INF;
	if (x < -1075.0)
		return 0.0;
	kd = __builtin_rint(x);
	r = x - kd;	/* exact */
	return __vsvm_scalbn(1.0 + expm1_poly(r * LN2_HI + r * LN2_LO), (int)kd);
}

double __vsvm_exp10(double x)
{
	double kd, r;

	if (__builtin_isnan(x))
		return x;
	if (x > 308.25471555991675)
		return INF;
	if (x < -323.60724)
		return 0.0;
	kd = __builtin_rint(x * LOG2_10);
	r = (x - kd * LOG10_2_HI32) - kd * LOG10_2_LO32;
	return __vsvm_scalbn(1.0 + expm1_poly(r * LN10_HI + r * LN10_LO), (int)kd);
}

double __vsvm_expm1(double x)
{
	double kd, r, t, u;
	int k;

	if (__builtin_isnan(x))
		return x;
	if (x > 709.782712893384)
		return INF;
	if (x < -38.0)
		return -1.0;
	if (__builtin_fabs(x) <= 0.34657359027997264)
		return expm1_poly(x);
	kd = __builtin_rint(x * LOG2E_HI);
	k = (int)kd;
	r = (x - kd * LN2_HI32) - kd * LN2_LO32;
	u = expm1_poly(r);
	/* 2^k (1 + u) - 1 = 2^k u + (2^k - 1) */
	if (k > 1020)
		return __vsvm_scalbn(1.0 + u, k) - 1.0;
	t = from_bits((long)(0x3ff + k) << 52);
	if (k >= 0)
		return t * u + (t - 1.0);
	return (t - 1.0) + t * u;
}

/*
 * log of the mantissa: x = 2^e * m, m in [sqrt(2)/2, sqrt(2)), returns
 * log(m) as hi + *lo (double-double): log(m) = 2 atanh(s), s = f/(2+f).
 */
static double logm_dd(double x, int *e, double *lo)
{
	long ix = bits_of(x);
	double m, f, th, tl, s, sl, z, p, tail;
	int k = 0;

	if (ix < 0x0010000000000000l) {
		x *= 0x1p54;
		ix = bits_of(x);
		k = -54;
	}
	k += (int)(ix >> 52) - 1023;
	m = from_bits((ix & 0x000fffffffffffffl) | 0x3ff0000000000000l);
	if (m > SQRT2) {
		m *= 0.5;
		k++;
	}
	f = m - 1.0;			/* exact */
	th = 2.0 + f;
	tl = (2.0 - th) + f;
	s = f / th;
	sl = (__builtin_fma(-s, th, f) - s * tl) / th;
	z = s * s;
	p = 2.0 / 23.0;
	p = p * z + 2.0 / 21.0;
	p = p * z + 2.0 / 19.0;
	p = p * z + 2.0 / 17.0;
	p = p * z + 2.0 / 15.0;
	p = p * z + 2.0 / 13.0;
	p = p * z + 2.0 / 11.0;
	p = p * z + 2.0 / 9.0;
	p = p * z + 2.0 / 7.0;
	p = p * z + 2.0 / 5.0;
	p = p * z + 2.0 / 3.0;
	tail = s * z * p;
	*e = k;
	{
		double hi = 2.0 * s, l = 2.0 * sl + tail, h = hi + l;

		*lo = l - (h - hi);
		return h;
	}
}

/* log(x) as a double-double, for x > 0 finite. */
static double log_dd(double x, double *lo)
{
	double mlo, mh, eh, el, h, bb, err, l, r;
	int e;

	mh = logm_dd(x, &e, &mlo);
	eh = e * LN2_HI32;		/* exact */
	el = e * LN2_LO32;
	h = eh + mh;
	bb = h - eh;
	err = (eh - (h - bb)) + (mh - bb);
	l = err + mlo + el;
	r = h + l;
	*lo = l - (r - h);
	return r;
}

static double log_special(double x, int *done)
{
	*done = 1;
	if (__builtin_isnan(x))
		return x;
	if (x < 0.0)
		return QNAN;
	if (x == 0.0)
		return -INF;
	if (__builtin_isinf(x))
		return x;
	*done = 0;
	return 0.0;
}

double __vsvm_log(double x)
{
	double lo, r;
	int done;

	r = log_special(x, &done);
	if (done)
		return r;
	return log_dd(x, &lo);
}

/* e + log(m) * c (c = c_hi + c_lo): log2 and log10. */
static double log_scaled(double x, double chi, double clo, double ehi, double elo)
{
	double mlo, mh, th, tl, eh, h, bb, err;
	int e, done;

	h = log_special(x, &done);
	if (done)
		return h;
	mh = logm_dd(x, &e, &mlo);
	th = mh * chi;
	tl = __builtin_fma(mh, chi, -th) + mh * clo + mlo * chi;
	eh = e * ehi;
	h = eh + th;
	bb = h - eh;
	err = (eh - (h - bb)) + (th - bb);
	return h + (err + tl + e * elo);
}

double __vsvm_log2(double x)
{
	return log_scaled(x, LOG2E_HI, LOG2E_LO, 1.0, 0.0);
}

double __vsvm_log10(double x)
{
	return log_scaled(x, LOG10E_HI, LOG10E_LO, LOG10_2_HI32, LOG10_2_LO32);
}

double __vsvm_log1p(double x)
{
	double u, lo;

	if (__builtin_isnan(x))
		return x;
	if (x < -1.0)
		return QNAN;
	if (x == -1.0)
		return -INF;
	if (__builtin_isinf(x))
		return x;
	if (__builtin_fabs(x) < 0x1p-54)
		return x;
	u = 1.0 + x;
	/* log(u) corrected by the rounding of 1 + x */
	return log_dd(u, &lo) + (lo + (x - (u - 1.0)) / u);
}

static int is_int(double y)
{
	return __builtin_rint(y) == y;
}

static int is_odd_int(double y)
{
	return is_int(y) && __builtin_fabs(y) < 0x1p53 && ((long)y & 1);
}

/* |x|^(y + ylo) for x finite, non-zero. */
static double pow_core(double ax, double y, double ylo)
{
	double lh, ll, ph, pl;

	lh = log_dd(ax, &ll);
	ph = y * lh;
	pl = __builtin_fma(y, lh, -ph) + y * ll + ylo * lh;
	if (__builtin_isnan(ph))
		return QNAN;
	if (ph > 709.79)
		return INF;
	if (ph < -745.2)
		return 0.0;
	return exp_dd(ph, pl);
}

double __vsvm_pow(double x, double y)
{
	double ax = __builtin_fabs(x), r;
	int odd;

	if (y == 0.0 || x == 1.0)
		return 1.0;
	if (__builtin_isnan(x) || __builtin_isnan(y))
		return x + y;
	odd = is_odd_int(y);
	if (x == 0.0) {
		if (y < 0.0)
			return odd ? __builtin_copysign(INF, x) : INF;
		return odd ? x : 0.0;
	}
	if (__builtin_isinf(y)) {
		if (ax == 1.0)
			return 1.0;
		return (ax > 1.0) == (y > 0.0) ? INF : 0.0;
	}
	if (__builtin_isinf(x)) {
		if (x > 0.0)
			return y > 0.0 ? INF : 0.0;
		if (y > 0.0)
			return odd ? -INF : INF;
		return odd ? -0.0 : 0.0;
	}
	if (x < 0.0 && !is_int(y))
		return QNAN;
	r = pow_core(ax, y, 0.0);
	return x < 0.0 && odd ? -r : r;
}

/* x^(1/n) with 1/n as a double-double. */
double __vsvm_rootn(double x, int n)
{
	double ax = __builtin_fabs(x), yh, yl, r;
	int odd = n & 1;

	if (n == 0 || __builtin_isnan(x))
		return QNAN;
	if (x < 0.0 && !odd)
		return QNAN;
	if (x == 0.0) {
		if (n > 0)
			return odd ? x : 0.0;
		return odd ? __builtin_copysign(INF, x) : INF;
	}
	if (__builtin_isinf(x)) {
		if (n > 0)
			return x;
		return odd ? __builtin_copysign(0.0, x) : 0.0;
	}
	yh = 1.0 / n;
	yl = __builtin_fma(-yh, (double)n, 1.0) / n;
	r = pow_core(ax, yh, yl);
	return x < 0.0 ? -r : r;
}

double __vsvm_cbrt(double x)
{
	double r;

	if (x == 0.0 || __builtin_isnan(x) || __builtin_isinf(x))
		return x;
	r = __vsvm_rootn(x, 3);
	/* one Newton step on r^3 = x */
	return r - (r * r * r - x) / (3.0 * r * r);
}

/* ---- trigonometry ---- */

/* sin(x + y) for |x| <= pi/4, |y| tiny: Taylor to x^21. */
static double sin_k(double x, double y)
{
	double z = x * x, p;

	p = -1.0 / 51090942171709440000.0;
	p = p * z + 1.0 / 121645100408832000.0;
	p = p * z - 1.0 / 355687428096000.0;
	p = p * z + 1.0 / 1307674368000.0;
	p = p * z - 1.0 / 6227020800.0;
	p = p * z + 1.0 / 39916800.0;
	p = p * z - 1.0 / 362880.0;
	p = p * z + 1.0 / 5040.0;
	p = p * z - 1.0 / 120.0;
	p = p * z + 1.0 / 6.0;
	return x + (y * (1.0 - 0.5 * z) - x * z * p);
}

/* cos(x + y) for |x| <= pi/4: Taylor to x^22. */
static double cos_k(double x, double y)
{
	double z = x * x, p, w, hz = 0.5 * z;

	p = -1.0 / 1124000727777607680000.0;
	p = p * z + 1.0 / 2432902008176640000.0;
	p = p * z - 1.0 / 6402373705728000.0;
	p = p * z + 1.0 / 20922789888000.0;
	p = p * z - 1.0 / 87178291200.0;
	p = p * z + 1.0 / 479001600.0;
	p = p * z - 1.0 / 3628800.0;
	p = p * z + 1.0 / 40320.0;
	p = p * z - 1.0 / 720.0;
	p = p * z + 1.0 / 24.0;
	w = 1.0 - hz;
	return w + (((1.0 - w) - hz) + (z * z * p - x * y));
}

/*
 * Payne-Hanek: x * 2/pi mod 8 from a 192-bit window of 2/pi's bits
 * (TWO_OVER_PI_BITS, 64 zero bits first). Returns the quadrant and the
 * remainder in [-pi/4, pi/4] as *hi + *lo. For |x| >= 2^20.
 */
static int reduce_big(double x, double *hi, double *lo)
{
	long ix = bits_of(x) & 0x7fffffffffffffffl;
	ulong m = ((ulong)ix & 0x000fffffffffffffl) | 0x0010000000000000l;
	int e = (int)(ix >> 52) - 1075;		/* x = m * 2^e */
	int i0 = e - 2 + 63;			/* first table bit used */
	int k = i0 >> 6, sh = i0 & 63;
	ulong w0, w1, w2, l1, l2, c;
	unsigned __int128 p0, p1, p2, t;
	long top;
	double fh, fl;
	int q;

	w0 = TWO_OVER_PI_BITS[k] << sh;
	w1 = TWO_OVER_PI_BITS[k + 1] << sh;
	w2 = TWO_OVER_PI_BITS[k + 2] << sh;
	if (sh) {
		w0 |= TWO_OVER_PI_BITS[k + 1] >> (64 - sh);
		w1 |= TWO_OVER_PI_BITS[k + 2] >> (64 - sh);
		w2 |= TWO_OVER_PI_BITS[k + 3] >> (64 - sh);
	}
	/* m * (w0 w1 w2): bits 189.. are the integer part */
	p2 = (unsigned __int128)m * w2;
	p1 = (unsigned __int128)m * w1;
	p0 = (unsigned __int128)m * w0;
	t = (p2 >> 64) + (ulong)p1;
	l1 = (ulong)t;
	c = (ulong)(t >> 64);
	t = (p1 >> 64) + (ulong)p0 + c;
	l2 = (ulong)t;
	q = (int)(l2 >> 61);
	/* fraction: bits 188..64 of the product, as a signed fixed point */
	top = (long)((l2 << 3) | (l1 >> 61));
	if (top < 0)
		q++;			/* round to the nearest quadrant */
	fh = (double)(top >> 11) * 0x1p-53;	/* exact */
	fl = (double)((((ulong)top & 0x7ff) << 53) | ((l1 << 3) >> 11)) * 0x1p-117;
	*hi = fh * PIO2_HI;
	*lo = __builtin_fma(fh, PIO2_HI, -*hi) + fh * PIO2_LO + fl * PIO2_HI;
	{
		double s = *hi + *lo;

		*lo = *lo - (s - *hi);
		*hi = s;
	}
	if (x < 0.0) {
		*hi = -*hi;
		*lo = -*lo;
		q = -q;
	}
	return q & 3;
}

/* x = q * pi/2 + (*hi + *lo), |*hi| <= ~pi/4. */
static int reduce(double x, double *hi, double *lo)
{
	double kd, t, r, w;

	if (__builtin_fabs(x) <= 0x1.921fb54442d18p-1) {
		*hi = x;
		*lo = 0.0;
		return 0;
	}
	if (__builtin_fabs(x) >= 0x1p20)
		return reduce_big(x, hi, lo);
	kd = __builtin_rint(x * TWO_OVER_PI);
	t = x - kd * PIO2_1;		/* exact: 33-bit parts */
	w = kd * PIO2_2;
	r = t - w;
	w = kd * PIO2_3 - ((t - r) - w);
	*hi = r - w;
	*lo = (r - *hi) - w;
	return (int)((long)kd & 3);
}

double __vsvm_sin(double x)
{
	double hi, lo;
	int q;

	if (__builtin_isinf(x) || __builtin_isnan(x))
		return x - x;
	if (__builtin_fabs(x) < 0x1p-27)
		return x;
	q = reduce(x, &hi, &lo);
	switch (q) {
	case 0: return sin_k(hi, lo);
	case 1: return cos_k(hi, lo);
	case 2: return -sin_k(hi, lo);
	default: return -cos_k(hi, lo);
	}
}

double __vsvm_cos(double x)
{
	double hi, lo;
	int q;

	if (__builtin_isinf(x) || __builtin_isnan(x))
		return x - x;
	q = reduce(x, &hi, &lo);
	switch (q) {
	case 0: return cos_k(hi, lo);
	case 1: return -sin_k(hi, lo);
	case 2: return -cos_k(hi, lo);
	default: return sin_k(hi, lo);
	}
}

double __vsvm_tan(double x)
{
	double hi, lo, s, c;
	int q;

	if (__builtin_isinf(x) || __builtin_isnan(x))
		return x - x;
	if (__builtin_fabs(x) < 0x1p-27)
		return x;
	q = reduce(x, &hi, &lo);
	s = sin_k(hi, lo);
	c = cos_k(hi, lo);
	return q & 1 ? -c / s : s / c;
}

/* sin(pi x), cos(pi x) exactly reduced: x mod 2 is exact. */
static int reduce_pi(double x, double *hi, double *lo)
{
	double r, kd;

	r = x - 2.0 * __builtin_rint(0.5 * x);	/* [-1, 1], exact */
	kd = __builtin_rint(2.0 * r);		/* quadrant */
	r = r - 0.5 * kd;			/* [-1/4, 1/4], exact */
	*hi = r * PI_HI;
	*lo = __builtin_fma(r, PI_HI, -*hi) + r * PI_LO;
	return (int)((long)kd & 3);
}

double __vsvm_sinpi(double x)
{
	double hi, lo, r;
	int q;

	if (__builtin_isinf(x) || __builtin_isnan(x))
		return x - x;
	if (is_int(x))
		return __builtin_copysign(0.0, x);
	q = reduce_pi(x, &hi, &lo);
	switch (q) {
	case 0: r = sin_k(hi, lo); break;
	case 1: r = cos_k(hi, lo); break;
	case 2: r = -sin_k(hi, lo); break;
	default: r = -cos_k(hi, lo); break;
	}
	return r;
}

double __vsvm_cospi(double x)
{
	double hi, lo;
	int q;

	if (__builtin_isinf(x) || __builtin_isnan(x))
		return x - x;
	if (is_int(x + 0.5) && __builtin_fabs(x) < 0x1p52)
		return 0.0;
	q = reduce_pi(x, &hi, &lo);
	switch (q) {
	case 0: return cos_k(hi, lo);
	case 1: return -sin_k(hi, lo);
	case 2: return -cos_k(hi, lo);
	default: return sin_k(hi, lo);
	}
}

double __vsvm_tanpi(double x)
{
	double hi, lo, s, c;
	int q;

	if (__builtin_isinf(x) || __builtin_isnan(x))
		return x - x;
	if (is_int(x))
		return __builtin_copysign(0.0, x);
	q = reduce_pi(x, &hi, &lo);
	s = sin_k(hi, lo);
	c = cos_k(hi, lo);
	return q & 1 ? -c / s : s / c;
}

/* atan(t) for |t| <= 1/16: Taylor to t^17. */
static double atan_k(double t)
{
	double z = t * t, p;

	p = 1.0 / 17.0;
	p = -p * z + 1.0 / 15.0;
	p = -p * z + 1.0 / 13.0;
	p = -p * z + 1.0 / 11.0;
	p = -p * z + 1.0 / 9.0;
	p = -p * z + 1.0 / 7.0;
	p = -p * z + 1.0 / 5.0;
	p = -p * z + 1.0 / 3.0;
	return t - t * z * p;
}

/* atan(a) for 0 <= a <= 1: atan(c) + atan((a - c) / (1 + a c)), c = k/8. */
static double atan01(double a)
{
	int k = (int)__builtin_rint(a * 8.0);
	double c = k * 0.125, t;

	t = (a - c) / (1.0 + a * c);
	return ATAN_K8_HI[k] + (atan_k(t) + ATAN_K8_LO[k]);
}

double __vsvm_atan(double x)
{
	double a = __builtin_fabs(x), r, t;

	if (__builtin_isnan(x))
		return x;
	if (a < 0x1p-27)
		return x;
	if (a <= 1.0) {
		r = atan01(a);
	} else {
		/* pi/2 - atan(1/a) */
		t = atan01(1.0 / a);
		r = PIO2_HI - t + PIO2_LO;
	}
	return __builtin_copysign(r, x);
}

double __vsvm_atan2(double y, double x)
{
	double ay = __builtin_fabs(y), ax = __builtin_fabs(x), r;

	if (__builtin_isnan(x) || __builtin_isnan(y))
		return x + y;
	if (ay == 0.0) {
		if (__builtin_signbit(x))
			return __builtin_copysign(PI_HI, y);
		return y;
	}
	if (ax == 0.0)
		return __builtin_copysign(PIO2_HI, y);
	if (__builtin_isinf(ax)) {
		if (__builtin_isinf(ay))
			r = __builtin_signbit(x) ? 0.75 * PI_HI : 0.25 * PI_HI;
		else
			r = __builtin_signbit(x) ? PI_HI : 0.0;
		return __builtin_copysign(r, y);
	}
	if (__builtin_isinf(ay))
		return __builtin_copysign(PIO2_HI, y);
	if (ay <= ax) {
		r = atan01(ay / ax);
	} else {
		r = atan01(ax / ay);
		r = PIO2_HI - r + PIO2_LO;
	}
	if (__builtin_signbit(x))
		r = PI_HI - r + PI_LO;
	return __builtin_copysign(r, y);
}

double __vsvm_asin(double x)
{
	double a = __builtin_fabs(x);

	if (__builtin_isnan(x))
		return x;
	if (a > 1.0)
		return QNAN;
	if (a < 0x1p-27)
		return x;
	return __vsvm_atan2(x, __builtin_sqrt((1.0 - a) * (1.0 + a)));
}

double __vsvm_acos(double x)
{
	double a = __builtin_fabs(x);

	if (__builtin_isnan(x))
		return x;
	if (a > 1.0)
		return QNAN;
	return __vsvm_atan2(__builtin_sqrt((1.0 - a) * (1.0 + a)), x);
}

double __vsvm_sinh(double x)
{
	double a = __builtin_fabs(x), t, r;

	if (__builtin_isnan(x) || __builtin_isinf(x))
		return x;
	if (a < 0x1p-27)
		return x;
	if (a > 709.0) {
		t = __vsvm_exp(0.5 * a);
		r = 0.5 * t * t;
	} else {
		t = __vsvm_expm1(a);
		r = 0.5 * (t + t / (t + 1.0));
	}
	return __builtin_copysign(r, x);
}

double __vsvm_cosh(double x)
{
	double a = __builtin_fabs(x), t;

	if (__builtin_isnan(x))
		return x;
	if (a > 709.0) {
		t = __vsvm_exp(0.5 * a);
		return 0.5 * t * t;
	}
	if (a < 0.5) {
		t = __vsvm_expm1(a);
		return 1.0 + t * t / (2.0 * (1.0 + t));
	}
	t = __vsvm_exp(a);
	return 0.5 * t + 0.5 / t;
}

double __vsvm_tanh(double x)
{
	double a = __builtin_fabs(x), t;

	if (__builtin_isnan(x))
		return x;
	if (a > 22.0)
		return __builtin_copysign(1.0, x);
	if (a < 0x1p-27)
		return x;
	t = __vsvm_expm1(2.0 * a);
	return __builtin_copysign(t / (t + 2.0), x);
}

double __vsvm_asinh(double x)
{
	double a = __builtin_fabs(x), r;

	if (__builtin_isnan(x) || __builtin_isinf(x))
		return x;
	if (a < 0x1p-27)
		return x;
	if (a > 0x1p28)
		r = __vsvm_log(a) + LN2_HI;
	else
		r = __vsvm_log1p(a + a * a / (1.0 + __builtin_sqrt(1.0 + a * a)));
	return __builtin_copysign(r, x);
}

double __vsvm_acosh(double x)
{
	if (__builtin_isnan(x))
		return x;
	if (x < 1.0)
		return QNAN;
	if (x > 0x1p28)
		return __vsvm_log(x) + LN2_HI;
	return __vsvm_log1p((x - 1.0) + __builtin_sqrt((x - 1.0) * (x + 1.0)));
}

double __vsvm_atanh(double x)
{
	double a = __builtin_fabs(x);

	if (__builtin_isnan(x))
		return x;
	if (a > 1.0)
		return QNAN;
	if (a == 1.0)
		return __builtin_copysign(INF, x);
	if (a < 0x1p-27)
		return x;
	return __builtin_copysign(0.5 * __vsvm_log1p(2.0 * a / (1.0 - a)), x);
}

/* ---- exact operations ---- */

/* x - n y, n = trunc(x / y) (fmod, @nearest 0) or nearest even (remainder); quotient bits in *quo. */
static double rem_core(double x, double y, int nearest, int *quo)
{
	long ix = bits_of(x), iy = bits_of(y);
	int sx = ix < 0, sq = (ix ^ iy) < 0;
	ulong mx, my;
	int ex, ey;
	uint q = 0;
	double r, ay;

	*quo = 0;
	if (__builtin_isnan(x) || __builtin_isnan(y) || __builtin_isinf(x) || y == 0.0)
		return QNAN;
	if (__builtin_isinf(y))
		return x;
	ix &= 0x7fffffffffffffffl;
	iy &= 0x7fffffffffffffffl;
	ex = (int)(ix >> 52);
	ey = (int)(iy >> 52);
	mx = (ulong)ix & 0x000fffffffffffffl;
	my = (ulong)iy & 0x000fffffffffffffl;
	if (ex)
		mx |= 0x0010000000000000l;
	else
		ex = 1;
	if (ey)
		my |= 0x0010000000000000l;
	else
		ey = 1;
	/* long division of mantissas, one bit per exponent step */
	if (ex > ey || (ex == ey && mx >= my)) {
		for (; ex > ey; ex--) {
			if (mx >= my) {
				mx -= my;
				q++;
			}
			mx <<= 1;
			q <<= 1;
		}
		if (mx >= my) {
			mx -= my;
			q++;
		}
		/* mx * 2^(ey - 1075) is the remainder */
		r = mx ? __vsvm_scalbn((double)mx, ey - 1075) : 0.0;
	} else {
		r = from_bits(ix);
	}
	if (nearest) {
		ay = from_bits(iy);
		if (r > 0.5 * ay || (r == 0.5 * ay && (q & 1))) {
			r -= ay;
			q++;
		}
	}
	*quo = (int)(q & 0x7f);
	if (sq)
		*quo = -*quo;
	return sx ? -r : r;
}

double __vsvm_fmod(double x, double y)
{
	int q;

	return rem_core(x, y, 0, &q);
}

double __vsvm_remquo(double x, double y, int *quo)
{
	return rem_core(x, y, 1, quo);
}

double __vsvm_remainder(double x, double y)
{
	int q;

	return rem_core(x, y, 1, &q);
}

double __vsvm_hypot(double x, double y)
{
	double a = __builtin_fabs(x), b = __builtin_fabs(y), t, r;
	int e;

	if (__builtin_isinf(a) || __builtin_isinf(b))
		return INF;
	if (__builtin_isnan(a) || __builtin_isnan(b))
		return a + b;
	if (a < b) {
		t = a;
		a = b;
		b = t;
	}
	if (b == 0.0)
		return a;
	/* scale so that the squares neither overflow nor underflow */
	e = (int)(bits_of(a) >> 52) - 1023;
	if (e > 500 || e < -500) {
		a = __vsvm_scalbn(a, -e);
		b = __vsvm_scalbn(b, -e);
	} else {
		e = 0;
	}
	r = __builtin_sqrt(__builtin_fma(a, a, b * b));
	/* one correction step against the rounding of the sum */
	t = __builtin_fma(-r, r, __builtin_fma(a, a, b * b));
	r += t / (2.0 * r);
	return __vsvm_scalbn(r, e);
}

double __vsvm_frexp(double x, int *e)
{
	long ix = bits_of(x);
	int k = 0;

	*e = 0;
	if (x == 0.0 || __builtin_isnan(x) || __builtin_isinf(x))
		return x;
	if (!(ix & 0x7ff0000000000000l)) {
		x *= 0x1p64;
		ix = bits_of(x);
		k = -64;
	}
	*e = k + (int)((ix >> 52) & 0x7ff) - 1022;
	return from_bits((ix & (long)0x800fffffffffffffl) | 0x3fe0000000000000l);
}

int __vsvm_ilogb(double x)
{
	int e;

	if (__builtin_isnan(x))
		return (int)0x80000000;		/* FP_ILOGBNAN */
	if (__builtin_isinf(x))
		return 0x7fffffff;
	if (x == 0.0)
		return (int)0x80000000;		/* FP_ILOGB0 */
	__vsvm_frexp(x, &e);
	return e - 1;
}

double __vsvm_logb(double x)
{
	if (__builtin_isnan(x))
		return x;
	if (__builtin_isinf(x))
		return INF;
	if (x == 0.0)
		return -INF;
	return (double)__vsvm_ilogb(x);
}

double __vsvm_nextafter(double x, double y)
{
	long ix;

	if (__builtin_isnan(x) || __builtin_isnan(y))
		return x + y;
	if (x == y)
		return y;
	if (x == 0.0)
		return __builtin_copysign(from_bits(1), y);
	ix = bits_of(x);
	if ((x < y) == (x > 0.0))
		ix++;
	else
		ix--;
	return from_bits(ix);
}

/* erf and erfc: series for small |x|, continued fraction for the tail. */
double __vsvm_erf(double x);
double __vsvm_erfc(double x);

static double erf_series(double x)
{
	/* erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)), |x| <= 2 */
	double z = x * x, term = x, sum = x;
	int n;

	for (n = 1; n < 60; n++) {
		term *= -z / n;
		sum += term / (2 * n + 1);
		if (__builtin_fabs(term) < 1e-17 * __builtin_fabs(sum))
			break;
	}
	return sum * TWO_OVER_SQRTPI;
}

static double erfc_cf(double x)
{
	/* erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), x >= 2 */
	double f = x;
	int n;

	for (n = 60; n >= 1; n--)
		f = x + (n * 0.5) / f;
	return __vsvm_exp(-x * x) / f * (TWO_OVER_SQRTPI * 0.5);
}

double __vsvm_erf(double x)
{
	double a = __builtin_fabs(x);

	if (__builtin_isnan(x))
		return x;
	if (a <= 2.0)
		return erf_series(x);
	if (a > 6.0)
		return __builtin_copysign(1.0, x);
	return __builtin_copysign(1.0 - erfc_cf(a), x);
}

double __vsvm_erfc(double x)
{
	if (__builtin_isnan(x))
		return x;
	if (x < 0.5)
		return 1.0 - __vsvm_erf(x);
	if (x < 2.0)
		return 1.0 - erf_series(x);
	if (x > 27.3)
		return 0.0;
	return erfc_cf(x);
}
