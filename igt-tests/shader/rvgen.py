#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded random RV64IMAFD programs for differential testing.

    rvgen.py SEED COUNT > prog.S

Writes an assembly file defining the kernel `vsvm_rvgen(buf)`: it fills a
scratch area (buf + SCRATCH) from rodata, loads every register it uses
from rodata, runs COUNT random instructions (straight-line, with short
forward branches) over RV64IMAFD, then dumps x0..x31, f0..f31 and fcsr at
buf. Loads, stores and atomics only touch the scratch area (base register
x31); x30 holds buf; ra and sp are never written, so the function
returns normally; registers that held an address are cleared, so that
nothing depends on where buf is.

Built with `vsvm-cc -x asm` it is a vsvm program (the kernel's argument
block is buf); with `vsvm-cc -x asm --qemu` a qemu-riscv64 executable
whose vsvm_qemu_main() runs it on a buffer of its own and writes the dump
to stdout. The dumps (registers but x1, x2, x30, x31, then the scratch
area) of the two must be identical bit for bit (vsvm_compute's
differential subtest).

Not generated: amocas (qemu-riscv64 7.2 lacks Zacas; KUnit covers it),
static rounding modes 5 and 6, a reserved frm (illegal), ecall.
"""
import random
import sys

SCRATCH = 0x400
SCRATCH_SIZE = 0x1000
DUMP_SIZE = SCRATCH + SCRATCH_SIZE

XREGS = list(range(3, 30))
RMS = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn']

SPECIAL_D = [
    0x0000000000000000, 0x8000000000000000, 0x7ff0000000000000,
    0xfff0000000000000, 0x7ff8000000000000, 0x7ff4000000000000,
    0xfff8000000000001, 0x0000000000000001, 0x800fffffffffffff,
    0x0010000000000000, 0x7fefffffffffffff, 0x3ff0000000000000,
    0xbff0000000000000, 0x3fe0000000000000, 0xbfe8000000000000,
    0x4000000000000000, 0x43e0000000000000, 0xc3e0000000000000,
    0x41e0000000000000, 0xc1e0000000000000, 0x41dfffffffc00000,
    0x43f0000000000000, 0x3ff0000000000001, 0x4330000000000001,
    0x0010000000000001, 0x001fffffffffffff, 0x3ca0000000000000,
]
SPECIAL_S = [
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
    0x7fa00000, 0xffc00001, 0x00000001, 0x807fffff, 0x00800000,
    0x7f7fffff, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf400000,
    0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x4effffff,
    0x3f800001, 0x4b000001, 0x00800001, 0x00ffffff, 0x33800000,
    0x5f800000,
]
SPECIAL_X = [
    0, 1, 2, 3, 0xffffffffffffffff, 0x8000000000000000,
    0x7fffffffffffffff, 0xffffffff80000000, 0x7fffffff, 0x80000000,
    0xffffffff, 0x100000000, 0xfffffffffffffffe, 0x0000000100000001,
    0x00ffffff, 0x1000001, 0x20000000000001,
]


# The qemu-riscv64 side: run the kernel on a buffer, write the dump out.
QEMU_MAIN = '''#ifdef __VSVM_QEMU__
	.text
	.globl vsvm_qemu_main
	.type vsvm_qemu_main, @function
vsvm_qemu_main:
	addi sp, sp, -16
	sd ra, 8(sp)
	la a0, .Lqemu_buf
	call %s
	li a0, 1
	la a1, .Lqemu_buf
	li a2, %d
	li a7, 64
	ecall
	ld ra, 8(sp)
	addi sp, sp, 16
	li a0, 0
	ret
	.bss
	.p2align 12
.Lqemu_buf:
	.space %d
#endif'''


class Gen:
    def __init__(self, seed, count):
        self.r = random.Random(seed)
        self.count = count
        self.out = []
        self.label = 0

    def x(self):
        return 'x%d' % self.r.choice(XREGS)

    def xs(self):
        return 'x%d' % self.r.choice([0] + XREGS)

    def f(self):
        return 'f%d' % self.r.randrange(32)

    def rm(self):
        return self.r.choice(RMS)

    def rand_fp64(self):
        r = self.r
        k = r.randrange(10)
        if k < 3:
            return r.choice(SPECIAL_D)
        if k < 6:
            return 0xffffffff00000000 | self.rand_fp32()
        if k < 8:
            sign = r.randrange(2) << 63
            exp = r.choice([0, 1, 2, 1022, 1023, 1024, 1075, 1085, 2045, 2046,
                            r.randrange(2047)])
            frac = r.choice([0, 1, (1 << 52) - 1, 1 << 51, r.getrandbits(52),
                             r.getrandbits(52) & ~0xfffffff])
            return sign | exp << 52 | frac
        if k < 9:
            return r.getrandbits(64)
        return r.choice(SPECIAL_D) ^ r.getrandbits(3)

    def rand_fp32(self):
        r = self.r
        k = r.randrange(4)
        if k == 0:
            return r.choice(SPECIAL_S)
        if k == 1:
            return r.getrandbits(32)
        sign = r.randrange(2) << 31
        exp = r.choice([0, 1, 2, 126, 127, 128, 150, 157, 189, 190, 253, 254,
                        r.randrange(255)])
        frac = r.choice([0, 1, (1 << 23) - 1, 1 << 22, r.getrandbits(23),
                         r.getrandbits(23) & ~0xfff])
        return sign | exp << 23 | frac

    def rand_x(self):
        r = self.r
        k = r.randrange(3)
        if k == 0:
            return r.choice(SPECIAL_X)
        if k == 1:
            return r.getrandbits(64)
        return r.randrange(-64, 64) & 0xffffffffffffffff

    def emit(self, s):
        self.out.append('\t' + s)

    def alu(self):
        r = self.r
        ops_r = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or',
                 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw', 'mul', 'mulh',
                 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw',
                 'divw', 'divuw', 'remw', 'remuw']
        ops_i = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw']
        k = r.randrange(10)
        if k < 5:
            self.emit('%s %s, %s, %s' % (r.choice(ops_r), self.x(), self.xs(),
                                         self.xs()))
        elif k < 7:
            self.emit('%s %s, %s, %d' % (r.choice(ops_i), self.x(), self.xs(),
                                         r.randrange(-2048, 2048)))
        elif k < 9:
            op = r.choice(['slli', 'srli', 'srai', 'slliw', 'srliw', 'sraiw'])
            self.emit('%s %s, %s, %d' % (op, self.x(), self.xs(),
                                         r.randrange(32 if op[-1] == 'w' else 64)))
        else:
            self.emit('lui %s, %d' % (self.x(), r.randrange(1 << 20)))

    def mem_off(self, size, aligned):
        off = self.r.randrange(SCRATCH_SIZE - 8)
        return off & ~(size - 1) if aligned else off

    def mem(self):
        r = self.r
        size, op = r.choice([(1, 'lb'), (2, 'lh'), (4, 'lw'), (8, 'ld'),
                             (1, 'lbu'), (2, 'lhu'), (4, 'lwu'), (1, 'sb'),
                             (2, 'sh'), (4, 'sw'), (8, 'sd'), (4, 'flw'),
                             (8, 'fld'), (4, 'fsw'), (8, 'fsd')])
        off = self.mem_off(size, r.randrange(8) != 0)
        if op[0] == 'f':
            reg = self.f()
        elif op[0] == 's':
            reg = self.xs()
        else:
            reg = self.x()
        self.emit('%s %s, %d(x31)' % (op, reg, off - 2048))

    def amo(self):
        r = self.r
        w = r.choice(['w', 'd'])
        size = 4 if w == 'w' else 8
        base = self.x()
        self.emit('addi %s, x31, %d' % (base, self.mem_off(size, True) - 2048))
        order = r.choice(['', '.aq', '.rl', '.aqrl'])
        # Values stored must not be the address.
        val = 'x%d' % r.choice([0] + [n for n in XREGS if 'x%d' % n != base])
        k = r.randrange(4)
        if k == 0:
            # LR, maybe something harmless, SC.
            # rd may be anything but the base, which SC still needs.
            lrd = 'x%d' % r.choice([n for n in XREGS if 'x%d' % n != base])
            self.emit('lr.%s%s %s, (%s)' % (w, order, lrd, base))
            if r.randrange(2):
                self.emit('addi %s, %s, 1' % (base, base))
                self.emit('addi %s, %s, -1' % (base, base))
            dst = 'x%d' % r.choice([n for n in XREGS if 'x%d' % n != base])
            self.emit('sc.%s%s %s, %s, (%s)' % (w, order, dst, val, base))
        else:
            op = r.choice(['swap', 'add', 'xor', 'and', 'or', 'min', 'max',
                           'minu', 'maxu'])
            self.emit('amo%s.%s%s %s, %s, (%s)' % (op, w, order, self.x(),
                                                   val, base))
        # The base held an address: nothing may depend on where buf is.
        self.emit('li %s, 0' % base)

    def fp(self):
        r = self.r
        p = r.choice(['s', 'd'])
        k = r.randrange(16)
        f, rm = self.f, self.rm
        if k < 3:
            op = r.choice(['fadd', 'fsub', 'fmul', 'fdiv'])
            self.emit('%s.%s %s, %s, %s, %s' % (op, p, f(), f(), f(), rm()))
        elif k < 5:
            op = r.choice(['fmadd', 'fmsub', 'fnmsub', 'fnmadd'])
            self.emit('%s.%s %s, %s, %s, %s, %s' % (op, p, f(), f(), f(), f(),
                                                    rm()))
        elif k < 6:
            self.emit('fsqrt.%s %s, %s, %s' % (p, f(), f(), rm()))
        elif k < 7:
            op = r.choice(['fsgnj', 'fsgnjn', 'fsgnjx', 'fmin', 'fmax'])
            self.emit('%s.%s %s, %s, %s' % (op, p, f(), f(), f()))
        elif k < 9:
            t = r.choice(['w', 'wu', 'l', 'lu'])
            self.emit('fcvt.%s.%s %s, %s, %s' % (t, p, self.x(), f(), rm()))
        elif k < 11:
            t = r.choice(['w', 'wu', 'l', 'lu'])
            self.emit('fcvt.%s.%s %s, %s, %s' % (p, t, f(), self.xs(), rm()))
        elif k < 12:
            op = r.choice(['feq', 'flt', 'fle'])
            self.emit('%s.%s %s, %s, %s' % (op, p, self.x(), f(), f()))
        elif k < 13:
            self.emit('fclass.%s %s, %s' % (p, self.x(), f()))
        elif k < 14:
            if p == 's':
                self.emit('fcvt.s.d %s, %s, %s' % (f(), f(), rm()))
            else:
                self.emit('fcvt.d.s %s, %s, %s' % (f(), f(), rm()))
        else:
            op = r.choice(['fmv.x.w', 'fmv.x.d', 'fmv.w.x', 'fmv.d.x'])
            if op[4] == 'x':
                self.emit('%s %s, %s' % (op, self.x(), f()))
            else:
                self.emit('%s %s, %s' % (op, f(), self.xs()))

    def csr(self):
        r = self.r
        k = r.randrange(6)
        if k == 0:
            self.emit('csrrs %s, fflags, x0' % self.x())
        elif k == 1:
            self.emit('csrrw %s, fflags, %s' % (self.x(), self.xs()))
        elif k == 2:
            self.emit('csrrwi %s, frm, %d' % (self.x(), r.randrange(5)))
        elif k == 3:
            self.emit('csrrci %s, fcsr, %d' % (self.x(), r.randrange(32)))
        elif k == 4:
            self.emit('csrrsi %s, fflags, %d' % (self.x(), r.randrange(32)))
        else:
            self.emit('csrrc %s, fflags, %s' % (self.x(), self.xs()))

    def branch(self):
        r = self.r
        op = r.choice(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'])
        self.label += 1
        self.emit('%s %s, %s, .Lb%d' % (op, self.xs(), self.xs(), self.label))
        self.alu()
        self.out.append('.Lb%d:' % self.label)

    def fresh(self):
        # New FP operands: long sequences otherwise drift into NaNs.
        x = self.x()
        if self.r.randrange(2):
            self.emit('li %s, 0x%x' % (x, self.rand_fp64()))
            self.emit('fmv.d.x %s, %s' % (self.f(), x))
        else:
            self.emit('li %s, 0x%x' % (x, self.rand_fp32()))
            self.emit('fmv.w.x %s, %s' % (self.f(), x))

    def body(self):
        gens = [(30, self.alu), (12, self.mem), (5, self.amo), (40, self.fp),
                (12, self.fresh),
                (4, self.csr), (6, self.branch), (1, lambda: self.emit('fence'))]
        total = sum(w for w, _ in gens)
        for _ in range(self.count):
            k = self.r.randrange(total)
            for w, g in gens:
                if k < w:
                    g()
                    break
                k -= w

    def program(self, name):
        r = self.r
        xinit = [self.rand_x() for _ in range(32)]
        finit = [self.rand_fp64() for _ in range(32)]
        frm = r.randrange(5)
        minit = [self.rand_x() for _ in range(SCRATCH_SIZE // 8)]
        # Kernels go to the compiler's kept entry section.
        lines = ['\t.section .text.vsvm.entry, "ax", @progbits',
                 '\t.globl %s' % name, '\t.type %s, @function' % name,
                 # The entry the compiler looks for (local: not a kernel).
                 '\t.type __vsvm_entry_%s, @function' % name,
                 '\t.p2align 2',
                 '%s:' % name, '__vsvm_entry_%s:' % name,
                 '\tmv x30, a0',
                 '\tli x31, %d' % (SCRATCH + 2048), '\tadd x31, a0, x31',
                 '\tla x5, .Linit_mem',
                 '\taddi x6, x31, -2048',
                 '\tli x7, %d' % (SCRATCH_SIZE // 8),
                 '1:\tld x8, 0(x5)', '\tsd x8, 0(x6)', '\taddi x5, x5, 8',
                 '\taddi x6, x6, 8', '\taddi x7, x7, -1', '\tbnez x7, 1b',
                 '\tla x5, .Linit_f']
        for i in range(32):
            lines.append('\tfld f%d, %d(x5)' % (i, 8 * i))
        lines.append('\tla x5, .Linit_x')
        for i in XREGS:
            if i != 5:
                lines.append('\tld x%d, %d(x5)' % (i, 8 * i))
        lines.append('\tld x5, %d(x5)' % (8 * 5))
        lines.append('\tcsrwi fcsr, 0')
        lines.append('\tcsrwi frm, %d' % frm)
        self.body()
        lines += self.out
        for i in range(32):
            lines.append('\tsd x%d, %d(x30)' % (i, 8 * i))
        for i in range(32):
            lines.append('\tfsd f%d, %d(x30)' % (i, 256 + 8 * i))
        lines.append('\tfrcsr x5')
        lines.append('\tsd x5, 512(x30)')
        lines.append('\tret')
        lines += (QEMU_MAIN % (name, DUMP_SIZE, DUMP_SIZE)).split('\n')
        lines += ['\t.section .rodata', '\t.p2align 3', '.Linit_x:']
        lines += ['\t.quad 0x%016x' % v for v in xinit]
        lines.append('.Linit_f:')
        lines += ['\t.quad 0x%016x' % v for v in finit]
        lines.append('.Linit_mem:')
        lines += ['\t.quad 0x%016x' % v for v in minit]
        return '\n'.join(lines) + '\n'


def main():
    seed = int(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    name = sys.argv[3] if len(sys.argv) > 3 else 'vsvm_rvgen'
    sys.stdout.write(Gen(seed, count).program(name))


if __name__ == '__main__':
    main()
