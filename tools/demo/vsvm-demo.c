// SPDX-License-Identifier: GPL-2.0
/*
 * vsvm-demo: the GPU writes into malloc'd memory and the CPU reads it.
 * Talks to the render node with the raw uAPI, so it also serves as the
 * smallest example of it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>
#include "vsvm_drm.h"
#include "vsvm-open.h"


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

int main(void)
{
	struct drm_vsvm_vm_init init = { .start = 0, .size = 1ull << 47 };
	struct drm_vsvm_stats st = { 0 };
	size_t size = 8 << 20, i;
	uint32_t *buf, *copy;
	int fd, err, status, bad = 0;

	fd = vsvm_open_render_node();
	if (fd < 0) {
		fprintf(stderr, "vsvm-demo: no vsvm render node (is vsvm.ko loaded?)\n");
		return 1;
	}
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
	close(fd);
	return bad ? 1 : 0;
}
