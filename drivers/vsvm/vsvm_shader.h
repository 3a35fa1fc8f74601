/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __VSVM_SHADER_H__
#define __VSVM_SHADER_H__

#include <linux/kref.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/vsvm_drm.h>

struct drm_device;
struct drm_file;

/*
 * The shader core: RV64IMAFD programs run on software work-items.
 *
 *   vsvm_isa.c       instruction table, decoder (one row per encoding)
 *   vsvm_program.c   image validation, program objects, handles, ioctls
 *   vsvm_interp.c    the RV64IMA interpreter and its memory accesses
 *   vsvm_fpu.c       F and D, built with the kernel's FPU flags
 *   vsvm_softfp.c    integer-only IEEE 754 helpers (fma, conversions, ...)
 *   vsvm_ndrange.c   NDRange, work-groups, barriers, the engine windows
 */

/* Limits, reported by DRM_IOCTL_VSVM_GET_PARAM. */
#define VSVM_SHADER_ISA		(DRM_VSVM_ISA_RV64I | DRM_VSVM_ISA_M | \
				 DRM_VSVM_ISA_A | DRM_VSVM_ISA_F | \
				 DRM_VSVM_ISA_D | DRM_VSVM_ISA_ZACAS)
#define VSVM_SHADER_MAX_WORKGROUP	1024
#define VSVM_SHADER_MAX_LOCAL_MEM	SZ_64K
#define VSVM_SHADER_MAX_PRIVATE_MEM	SZ_64K
#define VSVM_SHADER_MAX_PROGRAM_SIZE	SZ_16M
/* Programs one open file may hold. */
#define VSVM_SHADER_MAX_PROGRAMS	1024

/* x[VSVM_XSINK] receives the writes to x0: x[0] always reads zero. */
#define VSVM_XSINK		32

/* Rounding modes (the rm field and frm). */
enum vsvm_rm {
	VSVM_RM_RNE,
	VSVM_RM_RTZ,
	VSVM_RM_RDN,
	VSVM_RM_RUP,
	VSVM_RM_RMM,
	VSVM_RM_DYN = 7,
};

/* fflags bits. */
#define VSVM_FF_NX		0x01
#define VSVM_FF_UF		0x02
#define VSVM_FF_OF		0x04
#define VSVM_FF_DZ		0x08
#define VSVM_FF_NV		0x10

/* Kinds of the A extension's read-modify-write operations. */
enum vsvm_amo {
	VSVM_AMO_SWAP,
	VSVM_AMO_ADD,
	VSVM_AMO_XOR,
	VSVM_AMO_AND,
	VSVM_AMO_OR,
	VSVM_AMO_MIN,
	VSVM_AMO_MAX,
	VSVM_AMO_MINU,
	VSVM_AMO_MAXU,
};

/*
 * Operations of decoded instructions. The interpreter switches on them;
 * VSVM_OP_FP_FIRST..VSVM_OP_FP_LAST are executed by vsvm_fpu.c.
 */
enum vsvm_op {
	VSVM_OP_INVALID,
	/* RV64I */
	VSVM_OP_LUI, VSVM_OP_AUIPC, VSVM_OP_JAL, VSVM_OP_JALR,
	VSVM_OP_BEQ, VSVM_OP_BNE, VSVM_OP_BLT, VSVM_OP_BGE, VSVM_OP_BLTU,
	VSVM_OP_BGEU,
	VSVM_OP_LB, VSVM_OP_LH, VSVM_OP_LW, VSVM_OP_LD, VSVM_OP_LBU,
	VSVM_OP_LHU, VSVM_OP_LWU,
	VSVM_OP_SB, VSVM_OP_SH, VSVM_OP_SW, VSVM_OP_SD,
	VSVM_OP_ADDI, VSVM_OP_SLTI, VSVM_OP_SLTIU, VSVM_OP_XORI, VSVM_OP_ORI,
	VSVM_OP_ANDI, VSVM_OP_SLLI, VSVM_OP_SRLI, VSVM_OP_SRAI,
	VSVM_OP_ADD, VSVM_OP_SUB, VSVM_OP_SLL, VSVM_OP_SLT, VSVM_OP_SLTU,
	VSVM_OP_XOR, VSVM_OP_SRL, VSVM_OP_SRA, VSVM_OP_OR, VSVM_OP_AND,
	VSVM_OP_ADDIW, VSVM_OP_SLLIW, VSVM_OP_SRLIW, VSVM_OP_SRAIW,
	VSVM_OP_ADDW, VSVM_OP_SUBW, VSVM_OP_SLLW, VSVM_OP_SRLW, VSVM_OP_SRAW,
	VSVM_OP_FENCE, VSVM_OP_ECALL,
	/* SYSTEM instructions that exist but are illegal here: -ENOEXEC. */
	VSVM_OP_TRAP,
	/* M */
	VSVM_OP_MUL, VSVM_OP_MULH, VSVM_OP_MULHSU, VSVM_OP_MULHU,
	VSVM_OP_DIV, VSVM_OP_DIVU, VSVM_OP_REM, VSVM_OP_REMU,
	VSVM_OP_MULW, VSVM_OP_DIVW, VSVM_OP_DIVUW, VSVM_OP_REMW,
	VSVM_OP_REMUW,
	/* A (imm: enum vsvm_amo), Zacas */
	VSVM_OP_LR_W, VSVM_OP_LR_D, VSVM_OP_SC_W, VSVM_OP_SC_D,
	VSVM_OP_AMO_W, VSVM_OP_AMO_D, VSVM_OP_AMOCAS_W, VSVM_OP_AMOCAS_D,
	/* F and D loads and stores */
	VSVM_OP_FLW, VSVM_OP_FLD, VSVM_OP_FSW, VSVM_OP_FSD,
	/* F and D computation, and the fcsr CSRs (imm: see vsvm_fpu.c) */
	VSVM_OP_FMADD_S, VSVM_OP_FMSUB_S, VSVM_OP_FNMSUB_S, VSVM_OP_FNMADD_S,
	VSVM_OP_FADD_S, VSVM_OP_FSUB_S, VSVM_OP_FMUL_S, VSVM_OP_FDIV_S,
	VSVM_OP_FSQRT_S, VSVM_OP_FSGNJ_S, VSVM_OP_FSGNJN_S, VSVM_OP_FSGNJX_S,
	VSVM_OP_FMIN_S, VSVM_OP_FMAX_S, VSVM_OP_FCVT_W_S, VSVM_OP_FCVT_WU_S,
	VSVM_OP_FCVT_L_S, VSVM_OP_FCVT_LU_S, VSVM_OP_FMV_X_W,
	VSVM_OP_FCLASS_S, VSVM_OP_FEQ_S, VSVM_OP_FLT_S, VSVM_OP_FLE_S,
	VSVM_OP_FCVT_S_W, VSVM_OP_FCVT_S_WU, VSVM_OP_FCVT_S_L,
	VSVM_OP_FCVT_S_LU, VSVM_OP_FMV_W_X,
	VSVM_OP_FMADD_D, VSVM_OP_FMSUB_D, VSVM_OP_FNMSUB_D, VSVM_OP_FNMADD_D,
	VSVM_OP_FADD_D, VSVM_OP_FSUB_D, VSVM_OP_FMUL_D, VSVM_OP_FDIV_D,
	VSVM_OP_FSQRT_D, VSVM_OP_FSGNJ_D, VSVM_OP_FSGNJN_D, VSVM_OP_FSGNJX_D,
	VSVM_OP_FMIN_D, VSVM_OP_FMAX_D, VSVM_OP_FCVT_W_D, VSVM_OP_FCVT_WU_D,
	VSVM_OP_FCVT_L_D, VSVM_OP_FCVT_LU_D, VSVM_OP_FMV_X_D,
	VSVM_OP_FCLASS_D, VSVM_OP_FEQ_D, VSVM_OP_FLT_D, VSVM_OP_FLE_D,
	VSVM_OP_FCVT_D_W, VSVM_OP_FCVT_D_WU, VSVM_OP_FCVT_D_L,
	VSVM_OP_FCVT_D_LU, VSVM_OP_FMV_D_X,
	VSVM_OP_FCVT_S_D, VSVM_OP_FCVT_D_S,
	VSVM_OP_CSRRW, VSVM_OP_CSRRS, VSVM_OP_CSRRC,
	VSVM_OP_CSRRWI, VSVM_OP_CSRRSI, VSVM_OP_CSRRCI,
	VSVM_OP_COUNT
};

#define VSVM_OP_FP_FIRST	VSVM_OP_FMADD_S
#define VSVM_OP_FP_LAST		VSVM_OP_CSRRCI

/* imm of a floating-point operation: rs3 and the rounding mode. */
#define VSVM_FP_IMM(rs3, rm)	((rs3) | (rm) << 8)
#define VSVM_FP_RS3(imm)	((imm) & 0x1f)
#define VSVM_FP_RM(imm)		(((imm) >> 8) & 0x7)

/**
 * struct vsvm_insn - a decoded instruction
 *
 * Programs are decoded once, when they are created: the interpreter runs
 * these, never the instruction words. Eight bytes, loaded in one access
 * and passed by value.
 */
struct vsvm_insn {
	/** @op: &enum vsvm_op. */
	u8 op;
	/** @rd: destination register; %VSVM_XSINK for x0. */
	u8 rd;
	/** @rs1: first source register. */
	u8 rs1;
	/** @rs2: second source register. */
	u8 rs2;
	/**
	 * @imm: immediate, sign-extended (branch and jump offsets in bytes);
	 * the AMO kind; VSVM_FP_IMM() of F and D; the CSR number of Zicsr
	 * (with the 5-bit immediate in @rs1 for csrrwi, csrrsi, csrrci).
	 */
	s32 imm;
};

static_assert(sizeof(struct vsvm_insn) == sizeof(u64));

int vsvm_isa_decode(u32 word, struct vsvm_insn *insn);
bool vsvm_isa_branch_target(u32 word, u64 pc, u64 *target);

/**
 * struct vsvm_segment - a segment of a program, in kernel memory
 */
struct vsvm_segment {
	/** @vaddr: GPU address (page aligned). */
	u64 vaddr;
	/** @size: bytes (&drm_vsvm_program_segment.mem_size). */
	u64 size;
	/** @flags: DRM_VSVM_SEGMENT_*. */
	u32 flags;
	/** @data: the contents, PAGE_ALIGN(@size) bytes, zero filled. */
	u8 *data;
	/** @insns: X segments: the decoded instructions, @size / 4. */
	struct vsvm_insn *insns;
};

/**
 * struct vsvm_program - a validated program image
 *
 * Refcounted: a handle holds one reference, every dispatch that uses the
 * program another. Never changes after creation, except the contents of
 * writable segments, which dispatches share.
 */
struct vsvm_program {
	/** @ref: the references. */
	struct kref ref;
	/** @num_segments: entries of @seg in use. */
	u32 num_segments;
	/** @has_ecall: an ecall exists, so work-items may meet at barriers. */
	bool has_ecall;
	/**
	 * @regs: registers some instruction writes (bit n: xn or fn); the
	 * others keep the zero a context starts with.
	 */
	u32 regs;
	/** @local_size: static local memory of the image, bytes. */
	u64 local_size;
	/** @seg: the segments, in the image's order. */
	struct vsvm_segment seg[DRM_VSVM_PROGRAM_MAX_SEGMENTS];
};

struct vsvm_program *vsvm_program_create(const void *image, size_t size,
					 u64 *error_offset);
void vsvm_program_put(struct vsvm_program *prog);
const struct vsvm_segment *vsvm_program_segment(const struct vsvm_program *prog,
						u64 va);
u32 vsvm_program_insn(const struct vsvm_program *prog, u64 pc);

/**
 * struct vsvm_programs - the program handles of one open file
 */
struct vsvm_programs {
	/** @xa: handle to &struct vsvm_program, allocating from 1. */
	struct xarray xa;
};

void vsvm_programs_init(struct vsvm_programs *progs);
void vsvm_programs_fini(struct vsvm_programs *progs);
struct vsvm_program *vsvm_program_lookup(struct vsvm_programs *progs,
					 u32 handle);
int vsvm_ioctl_program_create(struct drm_device *drm, void *data,
			      struct drm_file *file);
int vsvm_ioctl_program_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file);

/* Accesses, as in &drm_vsvm_fault_info.access, as bits. */
#define VSVM_PERM_READ		BIT(DRM_VSVM_ACCESS_READ)
#define VSVM_PERM_WRITE		BIT(DRM_VSVM_ACCESS_WRITE)
#define VSVM_PERM_ATOMIC	BIT(DRM_VSVM_ACCESS_ATOMIC)

/**
 * struct vsvm_shader_mem - how the shader core reaches GPU memory
 *
 * Everything outside the shader window (%DRM_VSVM_SHADER_BASE) is a GPU
 * virtual address of the VM.
 */
struct vsvm_shader_mem {
	/**
	 * @translate: the page holding @va for @access (DRM_VSVM_ACCESS_*):
	 * its kernel address, valid until the end of the slice, with the
	 * VSVM_PERM_* the mapping allows in *@perms; NULL on a miss (no
	 * mapping, or not for @access). Called during a slice, so under the
	 * notifier lock held for read: must not sleep.
	 */
	void *(*translate)(void *priv, u64 va, u32 access, u32 *perms);
	/** @priv: for @translate. */
	void *priv;
};

/*
 * One entry of the software TLB, per page: a tag per access, the page
 * number ORed with the generation it was filled in (~0 when invalid).
 */
struct vsvm_tlb_entry {
	u64 tag[3];
	u8 *page;
};

#define VSVM_TLB_BITS		6
#define VSVM_TLB_SIZE		BIT(VSVM_TLB_BITS)
/* Page numbers below bit 40 (49-bit addresses), generations above. */
#define VSVM_TLB_GEN_SHIFT	40

/**
 * struct vsvm_tlb - the translations of one slice
 *
 * Filled on use, emptied at the start of every slice and at every switch
 * of work-item (a GPU mapping can change as soon as the notifier lock is
 * dropped): emptying is a new generation, which no entry matches.
 */
struct vsvm_tlb {
	/** @gen: the current generation, shifted to %VSVM_TLB_GEN_SHIFT. */
	u64 gen;
	/** @e: the entries, indexed by a hash of the page number. */
	struct vsvm_tlb_entry e[VSVM_TLB_SIZE];
};

/* Work-item states. */
enum vsvm_hart_state {
	VSVM_HART_RUN,
	VSVM_HART_BARRIER,
	VSVM_HART_EXITED,
};

/**
 * struct vsvm_hart - a work-item: its registers and its state
 */
struct vsvm_hart {
	/** @x: integer registers, and the sink of writes to x0. */
	u64 x[33];
	/** @f: floating-point registers (single values NaN-boxed). */
	u64 f[32];
	/** @pc: the next instruction. */
	u64 pc;
	/** @fflags: accrued exception flags. */
	u32 fflags;
	/** @frm: dynamic rounding mode. */
	u32 frm;
	/** @lr_addr: address of the LR reservation. */
	u64 lr_addr;
	/** @lr_val: value LR loaded (SC compares and exchanges it). */
	u64 lr_val;
	/** @lr_size: size of the reservation, 0 when none is held. */
	u8 lr_size;
	/** @state: &enum vsvm_hart_state. */
	u8 state;
	/** @barrier_pc: pc of the barrier the work-item waits at. */
	u64 barrier_pc;
	/**
	 * @wi: what the work-item reads at %DRM_VSVM_SHADER_WORKITEM, kept
	 * here while another one runs (with barriers).
	 */
	struct drm_vsvm_workitem wi;
};

/**
 * struct vsvm_fpu - the FPU section of a slice
 */
struct vsvm_fpu {
	/** @on: kernel_fpu_begin() was called in this slice. */
	bool on;
	/** @rc: the rounding mode MXCSR holds now (enum vsvm_rm). */
	u8 rc;
	/** @fma: fused multiply-add may run on the CPU's FMA3. */
	bool fma;
};

/**
 * struct vsvm_shader_exc - why a dispatch stopped
 */
struct vsvm_shader_exc {
	/** @pc: address of the instruction. */
	u64 pc;
	/** @addr: the address accessed (or @pc). */
	u64 addr;
	/** @insn: the instruction word, 0 when none could be fetched. */
	u32 insn;
	/** @access: DRM_VSVM_ACCESS_*. */
	u32 access;
};

/**
 * struct vsvm_exec - what the interpreter works with during a slice
 */
struct vsvm_exec {
	/** @prog: the program. */
	const struct vsvm_program *prog;
	/** @mem: GPU memory. */
	const struct vsvm_shader_mem *mem;
	/** @tlb: the software TLB. */
	struct vsvm_tlb tlb;
	/** @fpu: the FPU section. */
	struct vsvm_fpu fpu;
	/** @text: the X segment @pc was last found in. */
	const struct vsvm_segment *text;
	/** @local: the work-group's local memory. */
	u8 *local;
	/** @local_size: its size. */
	u64 local_size;
	/** @priv: the running work-item's private memory. */
	u8 *priv;
	/** @priv_base: its GPU address. */
	u64 priv_base;
	/** @priv_size: its size. */
	u64 priv_size;
	/**
	 * @wi: the running work-item's descriptor, at the start of a zeroed
	 * page (the %DRM_VSVM_SHADER_WORKITEM page).
	 */
	const struct drm_vsvm_workitem *wi;
	/** @exc: the instruction that stopped the work-item. */
	struct vsvm_shader_exc exc;
};

/* vsvm_hart_run() results besides 0 (budget used up) and -errno. */
#define VSVM_HART_MISS		1
#define VSVM_HART_EXIT		2
#define VSVM_HART_BARRIER	3

void vsvm_exec_flush(struct vsvm_exec *x);
int vsvm_hart_run(struct vsvm_exec *x, struct vsvm_hart *h, u64 *budget);
void vsvm_exec_fpu_leave(struct vsvm_exec *x);

/* vsvm_fpu.c: only between vsvm_fpu_enter() and vsvm_fpu_leave(). */
int vsvm_fp_exec(struct vsvm_fpu *fpu, struct vsvm_hart *h,
		 const struct vsvm_insn d);
int vsvm_fp_fmadd(struct vsvm_fpu *fpu, struct vsvm_hart *h,
		  const struct vsvm_insn d);
u32 vsvm_fpu_take_flags(struct vsvm_fpu *fpu);

/**
 * struct vsvm_sf_fmt - an IEEE 754 binary format for vsvm_softfp.c
 */
struct vsvm_sf_fmt {
	/** @mbits: fraction bits (23, 52). */
	u8 mbits;
	/** @ebits: exponent bits (8, 11). */
	u8 ebits;
};

extern const struct vsvm_sf_fmt vsvm_sf_s, vsvm_sf_d;

u64 vsvm_sf_canonical_nan(const struct vsvm_sf_fmt *f);
bool vsvm_sf_is_nan(const struct vsvm_sf_fmt *f, u64 a);
u64 vsvm_sf_fma(const struct vsvm_sf_fmt *f, u64 a, u64 b, u64 c,
		unsigned int rm, u32 *flags);
u64 vsvm_sf_add(const struct vsvm_sf_fmt *f, u64 a, u64 b,
		unsigned int rm, u32 *flags);
u64 vsvm_sf_mul(const struct vsvm_sf_fmt *f, u64 a, u64 b,
		unsigned int rm, u32 *flags);
u64 vsvm_sf_div(const struct vsvm_sf_fmt *f, u64 a, u64 b,
		unsigned int rm, u32 *flags);
u64 vsvm_sf_to_int(const struct vsvm_sf_fmt *f, u64 a, unsigned int bits,
		   bool is_signed, unsigned int rm, u32 *flags);
u64 vsvm_sf_from_int(const struct vsvm_sf_fmt *f, u64 v, bool is_signed,
		     unsigned int rm, u32 *flags);
u64 vsvm_sf_convert(const struct vsvm_sf_fmt *to, const struct vsvm_sf_fmt *from,
		    u64 a, unsigned int rm, u32 *flags);
u64 vsvm_sf_minmax(const struct vsvm_sf_fmt *f, u64 a, u64 b, bool max,
		   u32 *flags);
u64 vsvm_sf_compare(const struct vsvm_sf_fmt *f, u64 a, u64 b,
		    unsigned int funct3, u32 *flags);
u64 vsvm_sf_classify(const struct vsvm_sf_fmt *f, u64 a);

/**
 * struct vsvm_shader_run - a dispatch being executed
 *
 * Everything a DISPATCH needs between two slices: it resumes exactly where
 * the last slice stopped.
 */
struct vsvm_shader_run {
	/** @prog: the program (a reference). */
	struct vsvm_program *prog;
	/** @d: the arguments, defaults applied. */
	struct drm_vsvm_dispatch d;
	/** @num_groups: work-groups in each dimension. */
	u64 num_groups[3];
	/** @groups: work-groups in all. */
	u64 groups;
	/** @group: linear index of the current work-group. */
	u64 group;
	/** @group_id: its id in each dimension. */
	u64 group_id[3];
	/** @group_size: its size in each dimension. */
	u32 group_size[3];
	/** @items: its work-items. */
	u32 items;
	/** @lid: local id of the next work-item to set up. */
	u32 lid[3];
	/** @gid0: global id of the group's first work-item. */
	u64 gid0[3];
	/** @glin0: global linear id of the group's first work-item. */
	u64 glin0;
	/** @gstride: global linear id strides of the dimensions. */
	u64 gstride[3];
	/** @tmpl: the descriptor fields all work-items of the group share. */
	struct drm_vsvm_workitem tmpl;
	/** @wipage: the descriptor page of the running work-item. */
	struct drm_vsvm_workitem *wipage;
	/** @next: next work-item to start, one at a time. */
	u32 next;
	/** @cur: the running work-item (index into @harts with barriers). */
	u32 cur;
	/** @started: the current work-group has started. */
	bool started;
	/** @barriers: each work-item has a context (the program has an ecall). */
	bool barriers;
	/** @nharts: entries of @harts, 1 or the most work-items of a group. */
	u32 nharts;
	/** @harts: the work-item contexts. */
	struct vsvm_hart *harts;
	/** @local: local memory, @d.local_mem bytes. */
	u8 *local;
	/** @priv: private memory, @nharts times @d.private_mem bytes. */
	u8 *priv;
	/** @retired: instructions retired. */
	u64 retired;
	/** @x: the interpreter's state. */
	struct vsvm_exec x;
};

int vsvm_shader_check_dispatch(const struct drm_vsvm_dispatch *d,
			       const struct vsvm_program *prog);
struct vsvm_shader_run *vsvm_shader_run_create(struct vsvm_program *prog,
					       const struct drm_vsvm_dispatch *d);
void vsvm_shader_run_destroy(struct vsvm_shader_run *run);
int vsvm_shader_run_slice(struct vsvm_shader_run *run,
			  const struct vsvm_shader_mem *mem, u64 max_insns);

#endif /* __VSVM_SHADER_H__ */
