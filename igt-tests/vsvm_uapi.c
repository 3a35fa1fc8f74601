// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm uapi
 * Category: Core
 * Mega feature: SVM
 * Sub-category: uAPI
 * Functionality: ioctl argument validation
 * Description: Argument validation of the vsvm ioctls (uapi/drm/vsvm_drm.h),
 *	mostly through raw drmIoctl() so that the library cannot hide anything:
 *	bad flags, pads and unused fields give -EINVAL, bad user pointers
 *	-EFAULT, out-of-range channels -EINVAL, EXEC before VM_INIT -EINVAL,
 *	VM_INIT twice -EBUSY, WAIT on a future seqno -EINVAL, timeouts -ETIME,
 *	forgotten results -ENODATA; plus libdrm_vsvm's own device handling.
 *
 * SUBTEST: getparam
 * Description: Every GET_PARAM answers within its documented range.
 *
 * SUBTEST: getparam-invalid-%s
 * Description: GET_PARAM with %arg[1]: -EINVAL.
 * arg[1].values: unknown-param, unknown-param-max, pad
 *
 * SUBTEST: vm-init-invalid-%s
 * Description: VM_INIT with a bad window or field (%arg[1]): -EINVAL.
 * arg[1].values: unaligned-start, unaligned-size, zero-size, wrap, beyond-va-bits,
 *	flags, pad
 *
 * SUBTEST: vm-init-twice
 * Description: A second VM_INIT on one file: -EBUSY.
 *
 * SUBTEST: vm-per-fd
 * Description: Two files of one process are two VMs.
 *
 * SUBTEST: open-close-many
 * Description: Open, VM_INIT, submit and close 64 times.
 *
 * SUBTEST: before-vm-init-%s
 * Description: %arg[1] before VM_INIT.
 * arg[1].values: exec, wait, fault-info, stats
 *
 * SUBTEST: exec-invalid-%s
 * Description: EXEC with a bad argument (%arg[1]): -EINVAL.
 * arg[1].values: channel-out-of-range, channel-max, zero-cmds, flags, pad
 *
 * SUBTEST: exec-invalid-cmd-%s
 * Description: EXEC of a bad command (%arg[1]): -EINVAL, nothing runs.
 * arg[1].values: unknown-op, unknown-op-max, unknown-flag, nop-flags, atomic-bad-op,
 *	atomic-with-wait-op, wait-bad-op, wait-with-atomic-op, write-with-atomic-op,
 *	fill-misaligned-dst, fill-misaligned-size, write32-misaligned, write64-misaligned,
 *	wait32-misaligned, wait64-misaligned, atomic32-misaligned, atomic64-misaligned,
 *	atomic64-misaligned-result, nop-dst, nop-value, fill-src, fill-value2, fill-timeout,
 *	copy-value, write-src, write-size, write-value2, wait-dst, wait-size,
 *	atomic-add-value2, atomic-timeout, chase-value, timestamp-src, timestamp-value,
 *	cmd-pad
 *
 * SUBTEST: exec-max-cmds
 * Description: EXEC takes exactly DRM_VSVM_PARAM_MAX_CMDS commands.
 *
 * SUBTEST: exec-copies-cmds
 * Description: EXEC copies the commands.
 *
 * SUBTEST: exec-bad-pointer-%s
 * Description: EXEC with a bad command array (%arg[1]): -EFAULT.
 * arg[1].values: null, unmapped, prot-none, kernel, partial
 *
 * SUBTEST: bad-arg-pointer-%s
 * Description: The %arg[1] ioctl with an unreadable argument: -EFAULT.
 * arg[1].values: get-param, vm-init, exec, wait, fault-info, stats
 *
 * SUBTEST: wait-invalid-%s
 * Description: WAIT with a bad argument (%arg[1]): -EINVAL.
 * arg[1].values: future-seqno, far-future-seqno, other-channel-seqno,
 *	channel-out-of-range, flags, pad
 *
 * SUBTEST: wait-timeout
 * Description: WAIT on a blocked submission times out (-ETIME).
 *
 * SUBTEST: wait-interrupted
 * Description: A signal interrupts a blocking WAIT.
 *
 * SUBTEST: wait-expired
 * Description: Results of older than the last 4096 submissions: -ENODATA.
 *
 * SUBTEST: fault-info-invalid
 * Description: FAULT_INFO before a fault and with flags.
 *
 * SUBTEST: stats-invalid-%s
 * Description: STATS with non-zero %arg[1]: -EINVAL.
 * arg[1].values: flags, pad
 *
 * SUBTEST: stats-counters
 * Description: A new VM's counters start at zero and count exactly.
 *
 * SUBTEST: libdrm-vsvm
 * Description: libdrm_vsvm's device enumeration and argument checks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("Argument validation of the vsvm ioctls and of libdrm_vsvm.");

static int raw_ioctl(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? -errno : 0;
}

static int fd_of(struct vsvm_device *dev)
{
	int fd = vsvm_device_fd(dev);

	igt_assert_fd(fd);
	return fd;
}

static int raw_exec(int fd, const struct drm_vsvm_cmd *cmds, uint32_t n,
		    uint32_t channel, uint64_t *seqno)
{
	struct drm_vsvm_exec ex = {
		.cmds = VSVM_PTR(cmds),
		.num_cmds = n,
		.channel = channel,
	};
	int ret = raw_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &ex);

	if (!ret && seqno)
		*seqno = ex.seqno;
	return ret;
}

static int raw_wait(int fd, uint32_t channel, uint64_t seqno, int64_t timeout,
		    int32_t *status)
{
	struct drm_vsvm_wait w = {
		.seqno = seqno,
		.timeout_ns = timeout,
		.channel = channel,
	};
	int ret = raw_ioctl(fd, DRM_IOCTL_VSVM_WAIT, &w);

	if (!ret && status)
		*status = w.status;
	return ret;
}

/* ------------------------------------------------------------------ */

static void test_getparam(void)
{
	struct vsvm_device *dev = test_dev();
	uint64_t v;

	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_FEATURES, &v), 0);
	igt_assert(v & DRM_VSVM_FEATURE_SVM);
	igt_assert_eq_u64(v & ~(DRM_VSVM_FEATURE_SVM | DRM_VSVM_FEATURE_VRAM |
				DRM_VSVM_FEATURE_ATOMICS), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_VRAM_SIZE, &v), 0);
	if (vsvm_features & DRM_VSVM_FEATURE_VRAM)
		igt_assert_neq_u64(v, 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_NUM_CHANNELS, &v), 0);
	igt_assert(v >= 1 && v <= 1024);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_VA_BITS, &v), 0);
	igt_assert(v >= 32 && v <= 64);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_PAGE_SIZES, &v), 0);
	igt_assert_f(v & SZ_4K, "page sizes %#llx lack 4K\n", (unsigned long long)v);
	igt_assert_eq_u64(v & ~(uint64_t)(SZ_4K | SZ_2M), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_MAX_CMDS, &v), 0);
	igt_assert(v >= 1);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_DEVICE_INDEX, &v), 0);
	igt_assert_lt_u64(v, 4);
	/* The same answer after VM_INIT. */
	igt_assert_eq(vsvm_vm_init(dev, 0, 0), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_NUM_CHANNELS, &v), 0);
	igt_assert_eq_u64(v, vsvm_num_channels);
}

static const struct {
	const char *name;
	struct drm_vsvm_get_param gp;
} getparam_invalid[] = {
	{ "unknown-param", { .param = DRM_VSVM_PARAM_DEVICE_INDEX + 1 } },
	{ "unknown-param-max", { .param = ~0u } },
	{ "pad", { .param = DRM_VSVM_PARAM_FEATURES, .pad = 1 } },
};

static void test_getparam_invalid(const struct drm_vsvm_get_param *bad)
{
	int fd = fd_of(test_dev());
	struct drm_vsvm_get_param gp = *bad;

	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_GET_PARAM, &gp), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* VM_INIT                                                             */

#define VI_WINDOW .start = SZ_2M, .size = 64 * SZ_2M

static const struct {
	const char *name;
	struct drm_vsvm_vm_init vi;
	bool beyond_va_bits;	/* vi from DRM_VSVM_PARAM_VA_BITS */
} vm_init_invalid[] = {
	{ "unaligned-start", { .start = SZ_2M + 8, .size = 64 * SZ_2M }, false },
	{ "unaligned-size", { .start = SZ_2M, .size = 64 * SZ_2M + 100 }, false },
	{ "zero-size", { .start = SZ_2M, .size = 0 }, false },
	/* start + size wraps around 0 */
	{ "wrap", { .start = -(int64_t)SZ_4K * 16, .size = 64 * SZ_2M }, false },
	{ "beyond-va-bits", { .size = 2 * SZ_2M }, true },
	{ "flags", { VI_WINDOW, .flags = 1 }, false },
	{ "pad", { VI_WINDOW, .pad = 1 }, false },
};

static void test_vm_init_invalid(const struct drm_vsvm_vm_init *bad, bool beyond_va_bits)
{
	int fd = fd_of(test_dev());
	struct drm_vsvm_vm_init vi = *bad;

	if (beyond_va_bits) {
		igt_require_f(vsvm_va_bits < 64, "64 VA bits\n");
		vi.start = (1ull << vsvm_va_bits) - SZ_2M;
	}
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &vi), -EINVAL);

	/* The failure left no VM behind. */
	igt_assert_eq(raw_exec(fd, &(struct drm_vsvm_cmd){ .op = DRM_VSVM_OP_NOP }, 1, 0, NULL),
		      -EINVAL);
	vi = (struct drm_vsvm_vm_init){ VI_WINDOW };
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &vi), 0);
}

static void test_vm_init_twice(void)
{
	int fd = fd_of(test_dev());
	struct drm_vsvm_vm_init vi = { .start = 0, .size = 1ull << 39 };
	struct drm_vsvm_vm_init other = { .start = SZ_2M, .size = SZ_2M };

	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &vi), 0);
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &vi), -EBUSY);
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &other), -EBUSY);
	/* Still the first VM, working. */
	igt_assert_eq(raw_exec(fd, &(struct drm_vsvm_cmd){ .op = DRM_VSVM_OP_NOP }, 1, 0, NULL), 0);
}

/* Every open file is its own VM, in the same process. */
static void test_vm_per_fd(void)
{
	struct vsvm_device *a = test_vm(), *b = extra_vm();
	struct drm_vsvm_fault_info fi;
	struct drm_vsvm_stats st;
	uint32_t *p = calloc(1, SZ_4K);

	igt_assert(p);
	igt_assert_gpu_ok(gpu_write32(a, p, 1));
	igt_assert_gpu_ok(gpu_write32(b, p + 1, 2));
	igt_assert_eq_u32(p[0], 1);
	igt_assert_eq_u32(p[1], 2);
	igt_assert_gpu_status(gpu_write32(a, NULL, 1), -EFAULT);
	igt_assert_eq(vsvm_fault_info(a, &fi), 0);
	igt_assert_eq(vsvm_fault_info(b, &fi), -ENOENT);
	get_stats(b, &st);
	igt_assert_eq_u64(st.submissions, 1);
	igt_assert_eq_u64(st.gpu_faults_unrecoverable, 0);
	free(p);
}

static void test_open_close_many(void)
{
	uint32_t *p = calloc(1, SZ_4K);

	igt_assert(p);
	for (int i = 0; i < 64; i++) {
		struct vsvm_device *dev = test_vm();

		igt_assert_gpu_ok(gpu_write32(dev, p, i));
		igt_assert_eq_u32(*p, i);
	}
	release_tracked();
	free(p);
}

/* ------------------------------------------------------------------ */
/* Before VM_INIT                                                      */

static void before_exec(int fd)
{
	igt_assert_eq(raw_exec(fd, &(struct drm_vsvm_cmd){ .op = DRM_VSVM_OP_NOP }, 1, 0, NULL),
		      -EINVAL);
}

static void before_wait(int fd)
{
	igt_assert_eq(raw_wait(fd, 0, 0, 0, NULL), -EINVAL);
	igt_assert_eq(raw_wait(fd, 0, 1, 0, NULL), -EINVAL);
}

static void before_fault_info(int fd)
{
	struct drm_vsvm_fault_info fi = { 0 };

	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_FAULT_INFO, &fi), -EINVAL);
}

/* STATS is allowed: the VM counters are zero. */
static void before_stats(int fd)
{
	struct drm_vsvm_stats st;

	memset(&st, 0xff, sizeof(st));
	st.flags = st.pad = 0;
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_STATS, &st), 0);
	igt_assert_eq_u64(st.gpu_faults, 0);
	igt_assert_eq_u64(st.gpu_faults_unrecoverable, 0);
	igt_assert_eq_u64(st.svm_faults, 0);
	igt_assert_eq_u64(st.svm_retries, 0);
	igt_assert_eq_u64(st.invalidations, 0);
	igt_assert_eq_u64(st.ranges_collected, 0);
	igt_assert_eq_u64(st.mapped_pages, 0);
	igt_assert_eq_u64(st.mapped_4k, 0);
	igt_assert_eq_u64(st.mapped_2m, 0);
	igt_assert_eq_u64(st.commands, 0);
	igt_assert_eq_u64(st.submissions, 0);
	igt_assert_eq_u64(st.migrations_to_vram, 0);
	igt_assert_eq_u64(st.migrations_to_ram, 0);
	igt_assert_eq_u64(st.atomic_grants, 0);
	igt_assert_eq_u64(st.atomic_revokes, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(st.reserved); i++)
		igt_assert_eq_u64(st.reserved[i], 0);
}

static const struct {
	const char *name;
	void (*fn)(int fd);
} before_vm[] = {
	{ "exec", before_exec },
	{ "wait", before_wait },
	{ "fault-info", before_fault_info },
	{ "stats", before_stats },
};

/* ------------------------------------------------------------------ */
/* EXEC                                                                */

struct bad_cmd {
	const char *name;
	struct drm_vsvm_cmd cmd;
};

/* Scratch memory the commands below point at. */
static uint8_t scratch[SZ_4K] __attribute__((aligned(SZ_4K)));
#define S(off) (VSVM_PTR(scratch) + (off))

static void bad_cmds(struct bad_cmd *t, int *n)
{
	const struct drm_vsvm_cmd nop = { .op = DRM_VSVM_OP_NOP };
	const struct drm_vsvm_cmd fill = { .op = DRM_VSVM_OP_FILL, .dst = S(0), .size = 64,
					   .value = 1 };
	const struct drm_vsvm_cmd copy = { .op = DRM_VSVM_OP_COPY, .dst = S(0), .src = S(256),
					   .size = 64 };
	const struct drm_vsvm_cmd wr32 = { .op = DRM_VSVM_OP_WRITE_VALUE, .dst = S(0), .value = 1 };
	const struct drm_vsvm_cmd wr64 = { .op = DRM_VSVM_OP_WRITE_VALUE,
					   .flags = DRM_VSVM_CMD_64BIT, .dst = S(0), .value = 1 };
	const struct drm_vsvm_cmd wait32 = { .op = DRM_VSVM_OP_WAIT_VALUE, .src = S(0),
					     .timeout_ns = 1000 };
	const struct drm_vsvm_cmd wait64 = { .op = DRM_VSVM_OP_WAIT_VALUE,
					     .flags = DRM_VSVM_CMD_64BIT, .src = S(0),
					     .timeout_ns = 1000 };
	const struct drm_vsvm_cmd at32 = { .op = DRM_VSVM_OP_ATOMIC, .dst = S(0), .value = 1 };
	const struct drm_vsvm_cmd at64 = { .op = DRM_VSVM_OP_ATOMIC, .flags = DRM_VSVM_CMD_64BIT,
					   .dst = S(0), .value = 1 };
	const struct drm_vsvm_cmd chase = { .op = DRM_VSVM_OP_POINTER_CHASE, .dst = S(0),
					    .src = S(256), .size = 1 };
	const struct drm_vsvm_cmd ts = { .op = DRM_VSVM_OP_TIMESTAMP, .dst = S(0) };
	int i = 0;

#define BAD(nm, base, ...) do { \
	t[i].name = nm; \
	t[i].cmd = base; \
	{ struct drm_vsvm_cmd *c = &t[i].cmd; (void)c; __VA_ARGS__; } \
	i++; \
} while (0)
	/* Unknown ops and flags. */
	BAD("unknown-op", nop, c->op = DRM_VSVM_OP_TIMESTAMP + 1);
	BAD("unknown-op-max", nop, c->op = ~0u);
	BAD("unknown-flag", wr32, c->flags = 1u << 31);
	BAD("nop-flags", nop, c->flags = DRM_VSVM_CMD_64BIT);
	BAD("atomic-bad-op", at32, c->flags = DRM_VSVM_CMD_ATOMIC_OP(DRM_VSVM_ATOMIC_OR + 1));
	BAD("atomic-with-wait-op", at32, c->flags = DRM_VSVM_CMD_WAIT_OP(DRM_VSVM_WAIT_NEQ));
	BAD("wait-bad-op", wait32, c->flags = DRM_VSVM_CMD_WAIT_OP(DRM_VSVM_WAIT_LT + 1));
	BAD("wait-with-atomic-op", wait32, c->flags = DRM_VSVM_CMD_ATOMIC_OP(DRM_VSVM_ATOMIC_OR));
	BAD("write-with-atomic-op", wr32, c->flags = DRM_VSVM_CMD_ATOMIC_OP(DRM_VSVM_ATOMIC_INC));
	/* Misaligned addresses and sizes. */
	BAD("fill-misaligned-dst", fill, c->dst += 2);
	BAD("fill-misaligned-size", fill, c->size = 6);
	BAD("write32-misaligned", wr32, c->dst += 2);
	BAD("write64-misaligned", wr64, c->dst += 4);
	BAD("wait32-misaligned", wait32, c->src += 1);
	BAD("wait64-misaligned", wait64, c->src += 4);
	BAD("atomic32-misaligned", at32, c->dst += 2);
	BAD("atomic64-misaligned", at64, c->dst += 4);
	BAD("atomic64-misaligned-result", at64, c->src = S(128 + 4));
	/* Fields the op does not use must be zero. */
	BAD("nop-dst", nop, c->dst = S(0));
	BAD("nop-value", nop, c->value = 1);
	BAD("fill-src", fill, c->src = S(256));
	BAD("fill-value2", fill, c->value2 = 1);
	BAD("fill-timeout", fill, c->timeout_ns = 1);
	BAD("copy-value", copy, c->value = 1);
	BAD("write-src", wr32, c->src = S(256));
	BAD("write-size", wr32, c->size = 4);
	BAD("write-value2", wr32, c->value2 = 1);
	BAD("wait-dst", wait32, c->dst = S(256));
	BAD("wait-size", wait32, c->size = 4);
	BAD("atomic-add-value2", at32, c->value2 = 1);
	BAD("atomic-timeout", at32, c->timeout_ns = 1);
	BAD("chase-value", chase, c->value = 1);
	BAD("timestamp-src", ts, c->src = S(256));
	BAD("timestamp-value", ts, c->value = 1);
	BAD("cmd-pad", wr32, c->pad = 1);
#undef BAD
	*n = i;
}

#define MAX_BAD 64

static void test_exec_invalid_cmd(const struct bad_cmd *t)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	struct drm_vsvm_stats s0, s1;
	struct drm_vsvm_cmd cmds[3] = {
		/* A valid command first: nothing of the EXEC may run. */
		{ .op = DRM_VSVM_OP_WRITE_VALUE, .dst = S(512), .value = 0x77 },
		t->cmd,
		{ .op = DRM_VSVM_OP_NOP },
	};

	memset(scratch, 0, SZ_4K);
	get_stats(dev, &s0);
	igt_assert_eq(raw_exec(fd, &t->cmd, 1, 0, NULL), -EINVAL);
	igt_assert_eq(raw_exec(fd, cmds, 3, 0, NULL), -EINVAL);
	sleep_ms(10);
	igt_assert_eq_u32(*(volatile uint32_t *)(scratch + 512), 0);
	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions, s0.submissions);
	igt_assert_eq_u64(s1.commands, s0.commands);
	/* The VM and channel are fine. */
	igt_assert_eq(raw_exec(fd, cmds, 1, 0, NULL), 0);
}

static const struct {
	const char *name;
	struct drm_vsvm_exec ex;
	bool channel_out_of_range;	/* ex.channel = DRM_VSVM_PARAM_NUM_CHANNELS */
} exec_invalid[] = {
	{ "channel-out-of-range", { .num_cmds = 1 }, true },
	{ "channel-max", { .num_cmds = 1, .channel = ~0u }, false },
	{ "zero-cmds", { .num_cmds = 0 }, false },
	{ "flags", { .num_cmds = 1, .flags = 1 }, false },
	{ "pad", { .num_cmds = 1, .pad = 1 }, false },
};

static void test_exec_invalid(const struct drm_vsvm_exec *bad, bool channel_out_of_range)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	struct drm_vsvm_cmd nop = { .op = DRM_VSVM_OP_NOP };
	struct drm_vsvm_exec ex = *bad;

	ex.cmds = VSVM_PTR(&nop);
	if (channel_out_of_range)
		ex.channel = vsvm_num_channels;
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &ex), -EINVAL);
	/* Every channel in range works. */
	for (uint32_t ch = 0; ch < vsvm_num_channels; ch++)
		igt_assert_eq(raw_exec(fd, &nop, 1, ch, NULL), 0);
}

static void test_exec_max_cmds(void)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	struct drm_vsvm_cmd *cmds;
	uint64_t seqno;
	int32_t status = 1;

	igt_require_f(vsvm_max_cmds < (1u << 20), "MAX_CMDS %llu too large to test\n",
		      (unsigned long long)vsvm_max_cmds);
	cmds = calloc(vsvm_max_cmds + 1, sizeof(*cmds));
	igt_assert(cmds);
	igt_assert_eq(raw_exec(fd, cmds, vsvm_max_cmds + 1, 0, NULL), -EINVAL);
	igt_assert_eq(raw_exec(fd, cmds, vsvm_max_cmds, 0, &seqno), 0);
	igt_assert_eq(raw_wait(fd, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	free(cmds);
}

/* The commands are copied at EXEC: changing them afterwards has no effect. */
static void test_exec_copies_cmds(void)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	uint32_t *f = calloc(4, sizeof(uint32_t));
	struct drm_vsvm_cmd cmds[2] = {
		{ .op = DRM_VSVM_OP_WAIT_VALUE, .src = VSVM_PTR(&f[0]), .value = 1,
		  .timeout_ns = 20 * NSEC_PER_SEC },
		{ .op = DRM_VSVM_OP_WRITE_VALUE, .dst = VSVM_PTR(&f[1]), .value = 5 },
	};
	uint64_t seqno;
	int32_t status = 1;

	igt_assert(f);
	igt_assert_eq(raw_exec(fd, cmds, 2, 0, &seqno), 0);
	cmds[1].dst = VSVM_PTR(&f[2]);
	cmds[1].value = 6;
	__atomic_store_n(&f[0], 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(raw_wait(fd, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(f[1], 5);
	igt_assert_eq_u32(f[2], 0);
	free(f);
}

enum { EP_NULL, EP_UNMAPPED, EP_PROT_NONE, EP_KERNEL, EP_PARTIAL };

static const struct {
	const char *name;
	int how;
} exec_bad_ptr[] = {
	{ "null", EP_NULL },
	{ "unmapped", EP_UNMAPPED },
	{ "prot-none", EP_PROT_NONE },
	{ "kernel", EP_KERNEL },
	/* the second command runs into an unmapped page */
	{ "partial", EP_PARTIAL },
};

/* The bad command array of @how, of *@n commands; *@map to munmap(.., SZ_4K). */
static uint64_t bad_cmds_pointer(int how, uint32_t *n, uint8_t **map)
{
	struct drm_vsvm_cmd *c;

	*n = 1;
	*map = NULL;
	switch (how) {
	case EP_UNMAPPED:
		c = map_anon(SZ_4K);
		munmap(c, SZ_4K);
		return VSVM_PTR(c);
	case EP_PROT_NONE:
		*map = xmmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return VSVM_PTR(*map);
	case EP_KERNEL:
		return 0xffffffff81000000ull;
	case EP_PARTIAL:
		*map = map_anon(2 * SZ_4K);
		igt_assert_eq(munmap(*map + SZ_4K, SZ_4K), 0);
		c = (struct drm_vsvm_cmd *)(*map + SZ_4K - sizeof(*c) - sizeof(*c) / 2);
		memset(c, 0, sizeof(*c) + sizeof(*c) / 2);
		*n = 2;
		return VSVM_PTR(c);
	default:
		return 0;
	}
}

static void test_exec_bad_pointer(int how)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	struct drm_vsvm_stats s0, s1;
	uint8_t *map;
	uint32_t n;
	uint64_t cmds = bad_cmds_pointer(how, &n, &map);

	get_stats(dev, &s0);
	igt_assert_eq(raw_exec(fd, (const void *)(uintptr_t)cmds, n, 0, NULL), -EFAULT);
	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions, s0.submissions);
	if (map)
		munmap(map, SZ_4K);
}

/* Every ioctl given an unreadable argument: -EFAULT. */
static void test_bad_arg_pointer(unsigned long req)
{
	struct vsvm_device *dev = test_vm();
	void *p = xmmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert_eq(raw_ioctl(fd_of(dev), req, p), -EFAULT);
	igt_assert_eq(raw_ioctl(fd_of(dev), req, NULL), -EFAULT);
	munmap(p, SZ_4K);
}

/* ------------------------------------------------------------------ */
/* WAIT                                                                */

enum { WI_FUTURE_SEQNO, WI_FAR_FUTURE_SEQNO, WI_OTHER_CHANNEL_SEQNO,
       WI_CHANNEL_OUT_OF_RANGE, WI_FLAGS, WI_PAD };

static const struct {
	const char *name;
	int how;
} wait_invalid[] = {
	{ "future-seqno", WI_FUTURE_SEQNO },
	{ "far-future-seqno", WI_FAR_FUTURE_SEQNO },
	{ "other-channel-seqno", WI_OTHER_CHANNEL_SEQNO },
	{ "channel-out-of-range", WI_CHANNEL_OUT_OF_RANGE },
	{ "flags", WI_FLAGS },
	{ "pad", WI_PAD },
};

static void test_wait_invalid(int how)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	struct drm_vsvm_cmd nop = { .op = DRM_VSVM_OP_NOP };
	struct drm_vsvm_wait w = { .timeout_ns = 0 };
	uint64_t seqno;

	igt_assert_eq(raw_exec(fd, &nop, 1, 0, &seqno), 0);
	igt_assert_eq(raw_wait(fd, 0, seqno, VSVM_TIMEOUT_NS, NULL), 0);
	w.seqno = seqno;
	switch (how) {
	case WI_FUTURE_SEQNO:
		w.seqno = seqno + 1;
		break;
	case WI_FAR_FUTURE_SEQNO:
		w.seqno = ~0ull;
		break;
	case WI_OTHER_CHANNEL_SEQNO:
		igt_require_f(vsvm_num_channels >= 2, "one channel only\n");
		w.channel = 1;	/* nothing submitted there */
		break;
	case WI_CHANNEL_OUT_OF_RANGE:
		w.channel = vsvm_num_channels;
		break;
	case WI_FLAGS:
		w.flags = 1;
		break;
	case WI_PAD:
		w.pad = 1;
		break;
	}
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_WAIT, &w), -EINVAL);
	/* The real one still waits fine. */
	igt_assert_eq(raw_wait(fd, 0, seqno, 0, NULL), 0);
}

static void test_wait_timeout(void)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	uint32_t *f = calloc(4, sizeof(uint32_t));
	struct drm_vsvm_cmd c = { .op = DRM_VSVM_OP_WAIT_VALUE, .src = VSVM_PTR(f), .value = 1,
				  .timeout_ns = 20 * NSEC_PER_SEC };
	uint64_t seqno, t0, el;
	int32_t status = 1;

	igt_assert(f);
	igt_assert_eq(raw_exec(fd, &c, 1, 0, &seqno), 0);
	igt_assert_eq(raw_wait(fd, 0, seqno, 0, NULL), -ETIME);
	t0 = now_ns();
	igt_assert_eq(raw_wait(fd, 0, seqno, 100 * NSEC_PER_MSEC, NULL), -ETIME);
	el = now_ns() - t0;
	igt_assert_f(el >= 90 * NSEC_PER_MSEC && el < 10 * NSEC_PER_SEC,
		     "a 100 ms WAIT returned after %.3f s\n", el / 1e9);
	__atomic_store_n(f, 1, __ATOMIC_SEQ_CST);
	/* Negative: no timeout. */
	igt_assert_eq(raw_wait(fd, 0, seqno, VSVM_TIMEOUT_INFINITE, &status), 0);
	igt_assert_eq(status, 0);
	free(f);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal interrupts a blocking WAIT (-ERESTARTSYS: EINTR without SA_RESTART). */
static void test_wait_interrupted(void)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	uint32_t *f = calloc(4, sizeof(uint32_t));
	struct drm_vsvm_cmd c = { .op = DRM_VSVM_OP_WAIT_VALUE, .src = VSVM_PTR(f), .value = 1,
				  .timeout_ns = 20 * NSEC_PER_SEC };
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval it = { .it_value = { 0, 100000 } };
	struct drm_vsvm_wait w = { .timeout_ns = 5 * NSEC_PER_SEC };
	uint64_t t0, el, seqno;
	int32_t status = 1;
	int ret, err;

	igt_assert(f);
	igt_assert_eq(raw_exec(fd, &c, 1, 0, &seqno), 0);
	w.seqno = seqno;
	sigemptyset(&sa.sa_mask);
	igt_assert_eq(sigaction(SIGALRM, &sa, &old), 0);
	igt_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	t0 = now_ns();
	ret = ioctl(fd, DRM_IOCTL_VSVM_WAIT, &w);	/* not drmIoctl: it retries */
	err = errno;
	el = now_ns() - t0;
	sigaction(SIGALRM, &old, NULL);
	igt_assert_f(ret == -1 && err == EINTR,
		     "WAIT returned %d (%s) after %.3f s, expected EINTR after 0.1 s\n",
		     ret, ret ? strerror(err) : "ok", el / 1e9);
	igt_assert_f(el < 4 * NSEC_PER_SEC, "interrupted only after %.3f s\n", el / 1e9);
	/* Nothing was lost: the submission completes once released. */
	__atomic_store_n(f, 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(raw_wait(fd, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	free(f);
}

/* Results are kept for the last 4096 submissions of a channel. */
static void test_wait_expired(void)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	struct drm_vsvm_cmd nop = { .op = DRM_VSVM_OP_NOP };
	enum { N = 4096 + 8 };
	uint64_t *seqno = calloc(N, sizeof(*seqno));
	int32_t status = 1;

	igt_assert(seqno);
	for (int i = 0; i < N; i++) {
		igt_assert_eq(raw_exec(fd, &nop, 1, 0, &seqno[i]), 0);
		if (i)
			igt_assert_lt_u64(seqno[i - 1], seqno[i]);
		if (i % 512 == 511)	/* keep the queue short */
			igt_assert_eq(raw_wait(fd, 0, seqno[i], VSVM_TIMEOUT_NS, NULL), 0);
	}
	igt_assert_eq(raw_wait(fd, 0, seqno[N - 1], VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq(raw_wait(fd, 0, seqno[N - 4096], 0, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq(raw_wait(fd, 0, seqno[0], 0, &status), -ENODATA);
	igt_assert_eq(raw_wait(fd, 0, seqno[N - 4097], 0, &status), -ENODATA);
	free(seqno);
}

/* ------------------------------------------------------------------ */
/* FAULT_INFO, STATS                                                   */

static void test_fault_info_invalid(void)
{
	struct vsvm_device *dev = test_vm();
	int fd = fd_of(dev);
	struct drm_vsvm_fault_info fi = { 0 };

	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_FAULT_INFO, &fi), -ENOENT);
	fi.flags = 1;
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_FAULT_INFO, &fi), -EINVAL);
	igt_assert_gpu_status(gpu_write32(dev, NULL, 1), -EFAULT);
	fi = (struct drm_vsvm_fault_info){ 0 };
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_FAULT_INFO, &fi), 0);
	igt_assert_eq_u64(fi.count, 1);
	fi.flags = 2;
	igt_assert_eq(raw_ioctl(fd, DRM_IOCTL_VSVM_FAULT_INFO, &fi), -EINVAL);
}

static const struct {
	const char *name;
	struct drm_vsvm_stats st;
} stats_invalid[] = {
	{ "flags", { .flags = 1 } },
	{ "pad", { .pad = 1 } },
};

static void test_stats_invalid(const struct drm_vsvm_stats *bad)
{
	struct vsvm_device *dev = test_vm();
	struct drm_vsvm_stats st = *bad;

	igt_assert_eq(raw_ioctl(fd_of(dev), DRM_IOCTL_VSVM_STATS, &st), -EINVAL);
}

static void test_stats_counters(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	struct drm_vsvm_stats s0, s1;

	get_stats(dev, &s0);
	igt_assert_eq_u64(s0.submissions, 0);
	igt_assert_eq_u64(s0.commands, 0);
	igt_assert_eq_u64(s0.gpu_faults, 0);
	igt_assert_eq_u64(s0.mapped_pages, 0);
	for (int i = 0; i < 3; i++)
		igt_assert_eq(vsvm_cmd_nop(cb), 0);
	for (int i = 0; i < 5; i++)
		igt_assert_gpu_ok(run_cb_on(dev, i % vsvm_num_channels, cb));
	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions, 5);
	igt_assert_eq_u64(s1.commands, 15);
	igt_assert_eq_u64(s1.gpu_faults, 0);	/* NOPs touch no memory */
	vsvm_cmdbuf_del(cb);
}

/* ------------------------------------------------------------------ */
/* libdrm_vsvm itself                                                  */

static void test_lib_devices(void)
{
	struct vsvm_device *dev, *wrap;
	unsigned int count = 0;
	int fd, null_fd;
	int major = -1;

	igt_assert_eq(vsvm_device_count(&count), 0);
	igt_assert_lte_u32(1, count);
	igt_assert_eq(vsvm_device_new_nth(count, &dev), -ENODEV);
	igt_assert(dev == NULL);
	for (unsigned int i = 0; i < count; i++) {
		uint64_t idx;

		igt_assert_eq(vsvm_device_new_nth(i, &dev), 0);
		igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_DEVICE_INDEX, &idx), 0);
		igt_debug("render node %u is vsvm device %llu\n", i, (unsigned long long)idx);
		vsvm_device_del(dev);
	}

	/* from_fd: does not take the fd. */
	igt_assert_eq(vsvm_device_new(&dev), 0);
	igt_assert_eq(vsvm_device_version(dev, &major, NULL, NULL), 0);
	igt_assert_lte(0, major);
	fd = dup(fd_of(dev));
	igt_assert_fd(fd);
	igt_assert_eq(vsvm_device_new_from_fd(fd, &wrap), 0);
	igt_assert_eq(vsvm_device_fd(wrap), fd);
	vsvm_device_del(wrap);
	igt_assert_f(fcntl(fd, F_GETFD) >= 0, "vsvm_device_del closed a borrowed fd\n");
	close(fd);
	vsvm_device_del(dev);

	/* Not a vsvm device. */
	null_fd = open("/dev/null", O_RDWR);
	igt_assert_fd(null_fd);
	igt_assert_eq(vsvm_device_new_from_fd(null_fd, &wrap), -ENODEV);
	igt_assert(wrap == NULL);
	close(null_fd);
	igt_assert_eq(vsvm_device_new_from_fd(-1, &wrap), -EBADF);

	/* Appenders refuse what does not fit its field. */
	{
		struct vsvm_cmdbuf *cb = new_cb();

		igt_assert_eq(vsvm_cmd_atomic(cb, 16, 0, 0, 0, 0, 0, 0), -EINVAL);
		igt_assert_eq(vsvm_cmd_wait_value(cb, 0, 16, 0, 0, 0, 0), -EINVAL);
		igt_assert_eq(vsvm_cmd_write_value(cb, 0, 0, 2), -EINVAL);
		igt_assert_eq(vsvm_cmdbuf_count(cb), 0);
		for (int i = 0; i < 1000; i++)
			igt_assert_eq(vsvm_cmd_nop(cb), 0);
		igt_assert_eq(vsvm_cmdbuf_count(cb), 1000);
		vsvm_cmdbuf_del(cb);
		vsvm_cmdbuf_del(NULL);
		vsvm_device_del(NULL);
		igt_assert_eq(vsvm_cmdbuf_count(NULL), -EINVAL);
	}
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	unsigned long req;
} ioctls[] = {
	{ "get-param", DRM_IOCTL_VSVM_GET_PARAM },
	{ "vm-init", DRM_IOCTL_VSVM_VM_INIT },
	{ "exec", DRM_IOCTL_VSVM_EXEC },
	{ "wait", DRM_IOCTL_VSVM_WAIT },
	{ "fault-info", DRM_IOCTL_VSVM_FAULT_INFO },
	{ "stats", DRM_IOCTL_VSVM_STATS },
};

igt_main
{
	static struct bad_cmd bad[MAX_BAD];
	static int nbad;

	bad_cmds(bad, &nbad);
	igt_fixture {
		vsvm_fixture();
		igt_assert(nbad <= MAX_BAD);
	}

	igt_describe("Every GET_PARAM answers within its documented range.");
	igt_subtest("getparam")
		test_getparam();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(getparam_invalid); i++) {
		igt_describe("GET_PARAM with an unknown parameter or a non-zero pad: -EINVAL.");
		igt_subtest_f("getparam-invalid-%s", getparam_invalid[i].name)
			test_getparam_invalid(&getparam_invalid[i].gp);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(vm_init_invalid); i++) {
		igt_describe("VM_INIT with an unaligned, empty, wrapping or too large window, or "
			     "non-zero flags or pad: -EINVAL, and no VM is left behind.");
		igt_subtest_f("vm-init-invalid-%s", vm_init_invalid[i].name)
			test_vm_init_invalid(&vm_init_invalid[i].vi,
					     vm_init_invalid[i].beyond_va_bits);
	}

	igt_describe("A second VM_INIT on one file: -EBUSY; the first VM keeps working.");
	igt_subtest("vm-init-twice")
		test_vm_init_twice();

	igt_describe("Two files of one process are two VMs with separate faults and stats.");
	igt_subtest("vm-per-fd")
		test_vm_per_fd();

	igt_describe("Open, VM_INIT, submit and close 64 times.");
	igt_subtest("open-close-many")
		test_open_close_many();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(before_vm); i++) {
		igt_describe("EXEC, WAIT and FAULT_INFO before VM_INIT: -EINVAL; STATS works and "
			     "reports zero VM counters.");
		igt_subtest_f("before-vm-init-%s", before_vm[i].name)
			before_vm[i].fn(fd_of(test_dev()));
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(exec_invalid); i++) {
		igt_describe("EXEC with a channel out of range, no commands, or non-zero flags or "
			     "pad: -EINVAL; every channel in range works.");
		igt_subtest_f("exec-invalid-%s", exec_invalid[i].name)
			test_exec_invalid(&exec_invalid[i].ex,
					  exec_invalid[i].channel_out_of_range);
	}

	for (volatile int i = 0; i < nbad; i++) {
		igt_describe("Commands with an unknown op or flag, a misaligned address or size, "
			     "or a non-zero field their op does not use: EXEC fails with -EINVAL, "
			     "also when a valid command precedes it, and nothing of that EXEC runs.");
		igt_subtest_f("exec-invalid-cmd-%s", bad[i].name)
			test_exec_invalid_cmd(&bad[i]);
	}

	igt_describe("EXEC takes exactly DRM_VSVM_PARAM_MAX_CMDS commands, not one more.");
	igt_subtest("exec-max-cmds")
		test_exec_max_cmds();

	igt_describe("EXEC copies the commands: changing them after the ioctl has no effect.");
	igt_subtest("exec-copies-cmds")
		test_exec_copies_cmds();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(exec_bad_ptr); i++) {
		igt_describe("EXEC with a NULL, unmapped, PROT_NONE, kernel or partly unmapped "
			     "command array: -EFAULT, and no submission.");
		igt_subtest_f("exec-bad-pointer-%s", exec_bad_ptr[i].name)
			test_exec_bad_pointer(exec_bad_ptr[i].how);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(ioctls); i++) {
		igt_describe("Every ioctl with an unreadable argument: -EFAULT.");
		igt_subtest_f("bad-arg-pointer-%s", ioctls[i].name)
			test_bad_arg_pointer(ioctls[i].req);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(wait_invalid); i++) {
		igt_describe("WAIT on a seqno not yet submitted (on its channel or another), a "
			     "channel out of range, or non-zero flags or pad: -EINVAL.");
		igt_subtest_f("wait-invalid-%s", wait_invalid[i].name)
			test_wait_invalid(wait_invalid[i].how);
	}

	igt_describe("WAIT on a blocked submission: -ETIME at once with timeout 0 and after the "
		     "timeout otherwise; a negative timeout waits until completion.");
	igt_subtest("wait-timeout")
		test_wait_timeout();

	igt_describe("A signal interrupts a blocking WAIT (EINTR without SA_RESTART) and the "
		     "submission still completes afterwards.");
	igt_subtest("wait-interrupted")
		test_wait_interrupted();

	igt_describe("The results of a channel's last 4096 submissions are known; older ones "
		     "give -ENODATA.");
	igt_subtest("wait-expired")
		test_wait_expired();

	igt_describe("FAULT_INFO: -ENOENT before any fault, -EINVAL with flags, the fault "
		     "count after one.");
	igt_subtest("fault-info-invalid")
		test_fault_info_invalid();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(stats_invalid); i++) {
		igt_describe("STATS with non-zero flags or pad: -EINVAL.");
		igt_subtest_f("stats-invalid-%s", stats_invalid[i].name)
			test_stats_invalid(&stats_invalid[i].st);
	}

	igt_describe("A new VM's counters start at zero; submissions and commands count exactly.");
	igt_subtest("stats-counters")
		test_stats_counters();

	igt_describe("libdrm_vsvm: device enumeration, new_nth past the last device, new_from_fd "
		     "borrowing the fd and refusing a non-vsvm fd, appender argument checks.");
	igt_subtest("libdrm-vsvm")
		test_lib_devices();

	igt_fixture
		release_tracked();
}
