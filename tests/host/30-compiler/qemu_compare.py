#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Compares qemu_builtins' output with the host: exact for integer
# functions, within the ulp bounds of docs/compiler.md for math.
# Prints "pass|fail NAME message" per function.
import math
import struct
import sys

DBL_BOUND = {'sin': 2, 'cos': 2, 'tan': 3, 'exp': 1, 'log': 1, 'exp2': 1, 'log2': 2, 'log10': 2,
             'atan': 2, 'asin': 3, 'acos': 3, 'sinh': 3, 'tanh': 3, 'expm1': 2, 'log1p': 2,
             'cbrt': 2, 'sqrt': 0, 'erf': 4, 'pow': 2, 'atan2': 3, 'fmod': 0, 'hypot': 1}
FLT_BOUND = {'fsin': 1, 'fcos': 1, 'ftan': 1, 'fatan': 1, 'fexp': 1, 'flog': 1, 'fpow': 1}
M64 = (1 << 64) - 1


def d(b):
    return struct.unpack('<d', struct.pack('<Q', b))[0]


def f(b):
    return struct.unpack('<f', struct.pack('<I', b & 0xffffffff))[0]


def tof(x):
    try:
        return struct.unpack('<f', struct.pack('<f', x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def ulps(a, b, fmt):
    if math.isnan(a) and math.isnan(b):
        return 0
    if math.isnan(a) or math.isnan(b):
        return 1 << 60
    if fmt == 'd':
        ia, ib = (struct.unpack('<q', struct.pack('<d', v))[0] for v in (a, b))
        lim = 1 << 63
    else:
        ia, ib = (struct.unpack('<i', struct.pack('<f', v))[0] for v in (a, b))
        lim = 1 << 31
    ia = ia if ia >= 0 else -(ia + lim)
    ib = ib if ib >= 0 else -(ib + lim)
    return abs(ia - ib)


def s64(v):
    return v - (1 << 64) if v >> 63 else v


def sat_rte(x):
    if math.isnan(x):
        return 0
    r = round(x)  # Python rounds half to even
    return max(-2**31, min(2**31 - 1, r)) & 0xffffffff


HOST = {
    'sin': math.sin, 'cos': math.cos, 'tan': math.tan, 'exp': math.exp, 'log': math.log,
    'exp2': lambda x: 2.0 ** x, 'log2': math.log2, 'log10': math.log10, 'atan': math.atan,
    'asin': math.asin, 'acos': math.acos, 'sinh': math.sinh, 'tanh': math.tanh,
    'expm1': math.expm1, 'log1p': math.log1p, 'cbrt': lambda x: math.copysign(abs(x) ** (1 / 3), x),
    'sqrt': math.sqrt, 'erf': math.erf, 'pow': math.pow, 'atan2': math.atan2, 'fmod': math.fmod,
    'hypot': math.hypot,
}
worst = {}
bad = {}
for ln in sys.stdin:
    w = ln.split()
    if not w:
        continue
    name, vals = w[0], [int(x, 16) for x in w[1:]]
    err = None
    if name in DBL_BOUND:
        args = [d(v) for v in vals[:-1]]
        got = d(vals[-1])
        try:
            want = HOST[name](*args)
        except (ValueError, OverflowError):
            continue
        if name == 'cbrt':  # the host's cbrt: refine Python's power
            want = want - (want ** 3 - args[0]) / (3 * want * want) if want else want
        u = ulps(got, want, 'd')
        worst[name] = max(worst.get(name, 0), u)
        if u > DBL_BOUND[name]:
            err = '%s(%s) = %r, host %r (%d ulp)' % (name, args, got, want, u)
    elif name in FLT_BOUND:
        args = [f(v) for v in vals[:-1]]
        got = f(vals[-1])
        try:
            want = tof(HOST[name[1:]](*args))
        except (ValueError, OverflowError):
            continue
        u = ulps(got, want, 'f')
        worst[name] = max(worst.get(name, 0), u)
        if u > FLT_BOUND[name]:
            err = '%s(%s) = %r, host %r (%d ulp)' % (name, args, got, want, u)
    else:
        a = vals
        want = {
            'mul_hi': lambda: (a[0] * a[1]) >> 64,
            'mul_his': lambda: ((s64(a[0]) * s64(a[1])) >> 64) & M64,
            'popcount': lambda: bin(a[0]).count('1'),
            'rotate': lambda: ((a[0] << (a[1] % 32)) | (a[0] >> (32 - a[1] % 32))) & 0xffffffff,
            'clz': lambda: 32 - a[0].bit_length(),
            'divs': lambda: int(s64(a[0]) / s64(a[1])) & M64 if abs(s64(a[0])) < 2**52 else
            (abs(s64(a[0])) // abs(s64(a[1])) * (1 if (s64(a[0]) < 0) == (s64(a[1]) < 0) else -1)) & M64,
            'rems': lambda: (s64(a[0]) - s64(a[1]) * s64((abs(s64(a[0])) // abs(s64(a[1])) *
                             (1 if (s64(a[0]) < 0) == (s64(a[1]) < 0) else -1)) & M64)) & M64,
            'conv_sat_rte': lambda: sat_rte(f(a[0])),
        }[name]()
        worst.setdefault(name, 0)
        if want != a[-1]:
            err = '%s(%s) = %#x, want %#x' % (name, ', '.join(hex(x) for x in a[:-1]), a[-1], want)
    if err:
        bad.setdefault(name, err)
for name in sorted(worst):
    if name in bad:
        print('fail %s %s' % (name, bad[name]))
    else:
        print('pass %s max %d ulp' % (name, worst[name]) if name in DBL_BOUND or name in FLT_BOUND
              else 'pass %s' % name)
