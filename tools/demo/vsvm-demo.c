// SPDX-License-Identifier: GPL-2.0
/*
 * vsvm-demo: the GPU writes into malloc'd memory and the CPU reads it;
 * memory moves to VRAM and back; GPU and CPU atomics on one counter.
 * libdrm_vsvm finds and opens the device; everything else goes through
 * the raw uAPI, so the demo also serves as the smallest example of it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>
#include <vsvm.h>


static int exec_wait(int fd, struct drm_vsvm_cmd *cmds, unsigned int n,
		     int *status)
{
	struct drm_vsvm_exec ex = {
		.cmds = (uintptr_t)cmds, .num_cmds = n,
	};
	struct drm_vsvm_wait w = { .timeout_ns = 10000000000ll };

	if (drmIoctl(fd, DRM_IOCTL_VSVM_EXEC, &ex))
		return -errno;
	w.seqno = ex.seqno;
	if (drmIoctl(fd, DRM_IOCTL_VSVM_WAIT, &w))
		return -errno;
	*status = w.status;
	return 0;
}

#define CPU_INCS 200000
#define GPU_INCS 200000

static void *cpu_incs(void *p)
{
	_Atomic uint64_t *ctr = p;
	int i;

	for (i = 0; i < CPU_INCS; i++)
		atomic_fetch_add(ctr, 1);
	return NULL;
}

/* VRAM: prefetch, GPU work there, CPU fault-back. */
static int demo_vram(int fd)
{
	size_t size = 4 << 20, i;
	uint32_t *buf = aligned_alloc(4096, size);
	struct drm_vsvm_stats st = { 0 };
	struct drm_vsvm_prefetch pf = {
		.start = (uintptr_t)buf, .size = size, .loc = DRM_VSVM_LOC_DEVICE,
	};
	struct drm_vsvm_cmd fill = { .op = DRM_VSVM_OP_FILL,
				     .dst = (uintptr_t)buf, .size = size,
				     .value = 0x7777 };
	unsigned long long in_vram;
	int err, status, bad = 0;

	if (!buf)
		return 1;
	memset(buf, 1, size);
	if (drmIoctl(fd, DRM_IOCTL_VSVM_PREFETCH, &pf)) {
		perror("vsvm-demo: PREFETCH");
		return 1;
	}
	drmIoctl(fd, DRM_IOCTL_VSVM_STATS, &st);
	in_vram = st.vram_used;
	err = exec_wait(fd, &fill, 1, &status);
	for (i = 0; i < size / 4; i++)
		bad += buf[i] != 0x7777;
	drmIoctl(fd, DRM_IOCTL_VSVM_STATS, &st);
	printf("3. PREFETCH moved %llu pages to VRAM (%llu KiB in use); the GPU filled them there;\n"
	       "   the CPU read them back through migrate_to_ram: %s (%llu pages migrated back)\n",
	       (unsigned long long)pf.migrated, in_vram >> 10,
	       bad ? "WRONG DATA" : "every word right",
	       (unsigned long long)st.migrations_to_ram);
	free(buf);
	return err || status || bad || !pf.migrated;
}

/* Atomics: GPU and CPU increment one counter at the same time. */
static int demo_atomics(int fd)
{
	_Atomic uint64_t *ctr = aligned_alloc(4096, 4096);
	struct drm_vsvm_cmd inc = {
		.op = DRM_VSVM_OP_ATOMIC, .dst = (uintptr_t)ctr,
		.size = GPU_INCS, .value = 1,
		.flags = DRM_VSVM_CMD_64BIT |
			 DRM_VSVM_CMD_ATOMIC_OP(DRM_VSVM_ATOMIC_ADD),
	};
	struct drm_vsvm_stats st = { 0 };
	pthread_t cpu;
	int err, status;
	uint64_t v;

	if (!ctr)
		return 1;
	atomic_store(ctr, 0);
	pthread_create(&cpu, NULL, cpu_incs, (void *)ctr);
	err = exec_wait(fd, &inc, 1, &status);
	pthread_join(cpu, NULL);
	v = atomic_load(ctr);
	drmIoctl(fd, DRM_IOCTL_VSVM_STATS, &st);
	printf("4. GPU did %d atomic adds while a CPU thread did %d on the same counter: %llu (%s);\n"
	       "   %llu device-exclusive grants, %llu revoked by the CPU\n",
	       GPU_INCS, CPU_INCS, (unsigned long long)v,
	       v == GPU_INCS + CPU_INCS ? "exact" : "LOST UPDATES",
	       (unsigned long long)st.atomic_grants,
	       (unsigned long long)st.atomic_revokes);
	free((void *)ctr);
	return err || status || v != GPU_INCS + CPU_INCS;
}

int main(void)
{
	struct drm_vsvm_vm_init init = { .start = 0, .size = 1ull << 47 };
	struct drm_vsvm_stats st = { 0 };
	struct vsvm_device *dev;
	size_t size = 8 << 20, i;
	uint32_t *buf, *copy;
	int fd, err, status, bad = 0;

	err = vsvm_device_new(&dev);
	if (err) {
		fprintf(stderr, "vsvm-demo: no vsvm device: %s (is vsvm.ko loaded?)\n",
			strerror(-err));
		return 1;
	}
	fd = vsvm_device_fd(dev);
	if (drmIoctl(fd, DRM_IOCTL_VSVM_VM_INIT, &init)) {
		perror("vsvm-demo: VM_INIT");
		return 1;
	}
	buf = malloc(size);
	copy = malloc(size);
	if (!buf || !copy)
		return 1;

	struct drm_vsvm_cmd cmds[] = {
		{ .op = DRM_VSVM_OP_FILL, .dst = (uintptr_t)buf, .size = size,
		  .value = 0xc0ffee },
		{ .op = DRM_VSVM_OP_COPY, .dst = (uintptr_t)copy,
		  .src = (uintptr_t)buf, .size = size },
	};
	err = exec_wait(fd, cmds, 2, &status);
	if (err || status) {
		fprintf(stderr, "vsvm-demo: exec: %s, status %d\n",
			strerror(-err), status);
		return 1;
	}
	for (i = 0; i < size / 4; i++)
		bad += buf[i] != 0xc0ffee || copy[i] != 0xc0ffee;
	drmIoctl(fd, DRM_IOCTL_VSVM_STATS, &st);
	printf("1. GPU filled %zu MiB of malloc'd memory with 0xc0ffee and copied it: CPU reads %s\n",
	       size >> 20, bad ? "WRONG DATA" : "every word right");
	printf("   %llu GPU faults serviced through drm_svm, %llu 2M and %llu 4K GPU PTEs written\n",
	       (unsigned long long)st.gpu_faults,
	       (unsigned long long)st.mapped_2m,
	       (unsigned long long)st.mapped_4k);

	struct drm_vsvm_cmd bogus = { .op = DRM_VSVM_OP_WRITE_VALUE,
				      .dst = 0x1000, .value = 1 };
	struct drm_vsvm_fault_info fi = { 0 };

	err = exec_wait(fd, &bogus, 1, &status);
	drmIoctl(fd, DRM_IOCTL_VSVM_FAULT_INFO, &fi);
	printf("2. GPU write to unmapped 0x1000: submission status %d (%s), fault at %#llx error %d\n",
	       status, strerror(-status), (unsigned long long)fi.addr,
	       fi.error);
	bad += err || status != -EFAULT || fi.addr != 0x1000;
	bad += demo_vram(fd);
	bad += demo_atomics(fd);
	vsvm_device_del(dev);
	return bad ? 1 : 0;
}
