/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open the first vsvm render node with plain libdrm, for the demo and the
 * benchmark (which talk to the raw uAPI; libdrm_vsvm does this for users).
 */
#ifndef VSVM_OPEN_H
#define VSVM_OPEN_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

/* Return: the fd, or -ENODEV when no render node is driven by vsvm. */
static inline int vsvm_open_render_node(void)
{
	char path[64];
	int i, fd;

	for (i = 128; i < 192; i++) {
		drmVersionPtr v;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "vsvm")) {
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	return -ENODEV;
}

#endif
