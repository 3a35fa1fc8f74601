#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build the differential test's programs and qemu-riscv64's results.

    mkdiff.py --cc VSVM_CC --out diff.bin [--seeds N] [--count M] [--jobs J]

For each seed 1..N, rvgen.py writes M random RV64IMAFD instructions; for
diffk.c, three kernels. Each is built with vsvm-cc as a vsvm program and
as a qemu-riscv64 executable, which runs it here, at build time: its
output is what the shader core must produce (vsvm_compute's differential
subtest). diff.bin holds, after the header "VSVD" u32 count, one record
per run:

    char name[32]; char kernel[32]; u64 seed; u32 items; u32 flags;
    u32 prog_size; u32 ref_size; prog (program binary), ref, each padded
    to 8 bytes

flags bit 0: the kernel's argument block is the output buffer itself
(rvgen); otherwise it is { u64 *out; u64 seed; } (diffk).
"""
import argparse
import concurrent.futures
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DIFFK_ITEMS = 256
DIFFK_RESULTS = 16
DIFFK_KERNELS = ['diffk_int', 'diffk_double', 'diffk_float']


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode:
        sys.stderr.write(r.stderr.decode(errors='replace'))
        raise SystemExit('mkdiff: %s failed (%d)' % (cmd[0], r.returncode))
    return r.stdout


def build(cc, lang, src, tmp, name):
    prog = os.path.join(tmp, name + '.vsvmp')
    exe = os.path.join(tmp, name + '.qemu')
    run([cc, '-x', lang, '-o', prog, src])
    run([cc, '-x', lang, '--qemu', '-o', exe, src])
    with open(prog, 'rb') as f:
        blob = f.read()
    return blob, run(['qemu-riscv64', exe])


def rvgen(cc, tmp, seed, count):
    src = os.path.join(tmp, 'rvgen%d.S' % seed)
    with open(src, 'wb') as f:
        f.write(run([sys.executable, os.path.join(HERE, 'rvgen.py'), str(seed),
                     str(count)]))
    prog, ref = build(cc, 'asm', src, tmp, 'rvgen%d' % seed)
    return [('rvgen-%d' % seed, 'vsvm_rvgen', seed, 1, 1, prog, ref)]


def diffk(cc, tmp):
    prog, ref = build(cc, 'c', os.path.join(HERE, 'diffk.c'), tmp, 'diffk')
    size = DIFFK_ITEMS * DIFFK_RESULTS * 8
    if len(ref) != size * len(DIFFK_KERNELS):
        raise SystemExit('mkdiff: diffk wrote %d bytes' % len(ref))
    return [(k, k, 0x5eed + i, DIFFK_ITEMS, 0, prog, ref[i * size:(i + 1) * size])
            for i, k in enumerate(DIFFK_KERNELS)]


def pad8(b):
    return b + bytes(-len(b) % 8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cc', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--seeds', type=int, default=32)
    ap.add_argument('--count', type=int, default=2000)
    ap.add_argument('--jobs', type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
            futs = [ex.submit(diffk, a.cc, tmp)]
            futs += [ex.submit(rvgen, a.cc, tmp, s, a.count)
                     for s in range(1, a.seeds + 1)]
            recs = [r for f in futs for r in f.result()]
    out = bytearray(b'VSVD' + struct.pack('<I', len(recs)))
    for name, kernel, seed, items, flags, prog, ref in recs:
        out += struct.pack('<32s32sQIIII', name.encode(), kernel.encode(), seed,
                           items, flags, len(prog), len(ref))
        out += pad8(prog) + pad8(ref)
    tmpout = a.out + '.tmp'
    with open(tmpout, 'wb') as f:
        f.write(out)
    os.replace(tmpout, a.out)


if __name__ == '__main__':
    main()
