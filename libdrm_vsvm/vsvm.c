// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * libdrm_vsvm: see vsvm.h. Built with -fvisibility=hidden; only what is
 * marked drm_public is exported (the list is vsvm-symbols.txt, checked by
 * the Makefile).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vsvm.h"

#define drm_public __attribute__((visibility("default")))

/* DRM allows 64 minors of each node type. */
#define MAX_DEVICES 64

struct vsvm_device {
	int fd;
	bool owns_fd;
	int major, minor, patchlevel;
};

struct vsvm_cmdbuf {
	struct drm_vsvm_cmd *cmds;
	uint32_t count;
	uint32_t capacity;
	uint64_t timeout_ns;
};

/* drmIoctl() (which retries EINTR/EAGAIN) as 0 or -errno. */
static int vsvm_ioctl(int fd, unsigned long req, void *arg)
{
	if (drmIoctl(fd, req, arg) == 0)
		return 0;
	return errno ? -errno : -EIO;
}

/* Fills @dev's version if @fd's driver is vsvm; -ENODEV otherwise. */
static int check_driver(int fd, struct vsvm_device *dev)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ret = -ENODEV;

	if (!v)
		return errno == ENOMEM ? -ENOMEM : -ENODEV;
	if (v->name && strcmp(v->name, "vsvm") == 0) {
		dev->major = v->version_major;
		dev->minor = v->version_minor;
		dev->patchlevel = v->version_patchlevel;
		ret = 0;
	}
	drmFreeVersion(v);
	return ret;
}

/* A render node: its path and minor number. */
struct render_node {
	unsigned int minor;
	char path[64];
};

static int cmp_minor(const void *a, const void *b)
{
	unsigned int x = ((const struct render_node *)a)->minor;
	unsigned int y = ((const struct render_node *)b)->minor;

	return (x > y) - (x < y);
}

/*
 * The render nodes of the DRM devices libdrm finds (drmGetDevices2()), in
 * minor-number order, into @nodes. Returns how many (0 without /dev/dri),
 * or a negative errno.
 */
static int render_nodes(struct render_node *nodes, int max)
{
	drmDevicePtr devs[MAX_DEVICES];
	int n, i, count = 0;

	n = drmGetDevices2(0, devs, MAX_DEVICES);
	if (n < 0)
		return n == -ENOENT ? 0 : n;
	for (i = 0; i < n && count < max; i++) {
		const char *path = devs[i]->nodes[DRM_NODE_RENDER];
		struct stat st;

		if (!(devs[i]->available_nodes & (1 << DRM_NODE_RENDER)) ||
		    strlen(path) >= sizeof(nodes[count].path) || stat(path, &st))
			continue;
		nodes[count].minor = minor(st.st_rdev);
		strcpy(nodes[count].path, path);
		count++;
	}
	drmFreeDevices(devs, n);
	qsort(nodes, count, sizeof(*nodes), cmp_minor);
	return count;
}

/*
 * Opens the @index-th render node whose driver is vsvm into @dev, or with
 * @dev NULL only counts them (*@found). -ENODEV when there are not that
 * many; the error of open() if some node could not be opened and none
 * matched.
 */
static int scan(unsigned int index, struct vsvm_device *dev,
		unsigned int *found)
{
	struct render_node nodes[MAX_DEVICES];
	int n, i, open_err = 0;
	unsigned int seen = 0;

	n = render_nodes(nodes, MAX_DEVICES);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		int fd, ret;

		fd = open(nodes[i].path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			if (!open_err)
				open_err = -errno;
			continue;
		}
		ret = check_driver(fd, dev ? dev : &(struct vsvm_device){ 0 });
		if (ret == -ENOMEM) {
			close(fd);
			return ret;
		}
		if (ret == 0 && dev && seen == index) {
			dev->fd = fd;
			dev->owns_fd = true;
			return 0;
		}
		seen += ret == 0;
		close(fd);
	}
	if (found) {
		*found = seen;
		return 0;
	}
	return seen == 0 && open_err ? open_err : -ENODEV;
}

drm_public int vsvm_device_count(unsigned int *count)
{
	if (!count)
		return -EINVAL;
	return scan(0, NULL, count);
}

drm_public int vsvm_device_new_nth(unsigned int index, struct vsvm_device **pdev)
{
	struct vsvm_device *dev;
	int ret;

	if (!pdev)
		return -EINVAL;
	*pdev = NULL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	ret = scan(index, dev, NULL);
	if (ret) {
		free(dev);
		return ret;
	}
	*pdev = dev;
	return 0;
}

drm_public int vsvm_device_new(struct vsvm_device **pdev)
{
	return vsvm_device_new_nth(0, pdev);
}

drm_public int vsvm_device_new_from_fd(int fd, struct vsvm_device **pdev)
{
	struct vsvm_device *dev;
	int ret;

	if (!pdev)
		return -EINVAL;
	*pdev = NULL;
	if (fd < 0)
		return -EBADF;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	ret = check_driver(fd, dev);
	if (ret) {
		free(dev);
		return ret;
	}
	dev->fd = fd;
	dev->owns_fd = false;
	*pdev = dev;
	return 0;
}

drm_public void vsvm_device_del(struct vsvm_device *dev)
{
	if (!dev)
		return;
	if (dev->owns_fd)
		close(dev->fd);
	free(dev);
}

drm_public int vsvm_device_fd(const struct vsvm_device *dev)
{
	return dev ? dev->fd : -EINVAL;
}

drm_public int vsvm_device_version(const struct vsvm_device *dev, int *major,
				   int *minor, int *patchlevel)
{
	if (!dev)
		return -EINVAL;
	if (major)
		*major = dev->major;
	if (minor)
		*minor = dev->minor;
	if (patchlevel)
		*patchlevel = dev->patchlevel;
	return 0;
}

drm_public int vsvm_get_param(struct vsvm_device *dev, uint32_t param,
			      uint64_t *value)
{
	struct drm_vsvm_get_param gp = { .param = param };
	int ret;

	if (!dev || !value)
		return -EINVAL;
	ret = vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_GET_PARAM, &gp);
	if (ret)
		return ret;
	*value = gp.value;
	return 0;
}

drm_public int vsvm_vm_init(struct vsvm_device *dev, uint64_t start,
			    uint64_t size)
{
	struct drm_vsvm_vm_init vi = { .start = start, .size = size };

	if (!dev)
		return -EINVAL;
	if (start == 0 && size == 0) {
		uint64_t bits;
		int ret = vsvm_get_param(dev, DRM_VSVM_PARAM_VA_BITS, &bits);

		if (ret)
			return ret;
		if (bits == 0)
			return -EINVAL;
		vi.size = 1ull << (bits > 63 ? 63 : bits);
	}
	return vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_VM_INIT, &vi);
}

/* ------------------------------------------------------------------ */

drm_public int vsvm_cmdbuf_new(struct vsvm_cmdbuf **pcb)
{
	if (!pcb)
		return -EINVAL;
	*pcb = calloc(1, sizeof(**pcb));
	return *pcb ? 0 : -ENOMEM;
}

drm_public void vsvm_cmdbuf_del(struct vsvm_cmdbuf *cb)
{
	if (!cb)
		return;
	free(cb->cmds);
	free(cb);
}

drm_public int vsvm_cmdbuf_reset(struct vsvm_cmdbuf *cb)
{
	if (!cb)
		return -EINVAL;
	cb->count = 0;
	return 0;
}

drm_public int vsvm_cmdbuf_count(const struct vsvm_cmdbuf *cb)
{
	if (!cb)
		return -EINVAL;
	return cb->count > INT_MAX ? INT_MAX : (int)cb->count;
}

drm_public int vsvm_cmdbuf_set_timeout(struct vsvm_cmdbuf *cb,
				       uint64_t timeout_ns)
{
	if (!cb)
		return -EINVAL;
	cb->timeout_ns = timeout_ns;
	return 0;
}

/* A zeroed slot at the end of @cb, or NULL (no memory). */
static struct drm_vsvm_cmd *cmd_push(struct vsvm_cmdbuf *cb)
{
	struct drm_vsvm_cmd *c;

	if (cb->count == cb->capacity) {
		uint32_t cap = cb->capacity ? cb->capacity * 2 : 16;

		if (cb->capacity >= UINT32_MAX / 2)
			return NULL;
		c = reallocarray(cb->cmds, cap, sizeof(*c));
		if (!c)
			return NULL;
		cb->cmds = c;
		cb->capacity = cap;
	}
	c = &cb->cmds[cb->count++];
	memset(c, 0, sizeof(*c));
	return c;
}

#define PUSH(cb, c) do { \
	if (!(cb)) \
		return -EINVAL; \
	(c) = cmd_push(cb); \
	if (!(c)) \
		return -ENOMEM; \
} while (0)

static bool width_ok(uint32_t flags)
{
	return (flags & ~DRM_VSVM_CMD_64BIT) == 0;
}

drm_public int vsvm_cmd_raw(struct vsvm_cmdbuf *cb, const struct drm_vsvm_cmd *cmd)
{
	struct drm_vsvm_cmd *c;

	if (!cmd)
		return -EINVAL;
	PUSH(cb, c);
	*c = *cmd;
	return 0;
}

drm_public int vsvm_cmd_nop(struct vsvm_cmdbuf *cb)
{
	struct drm_vsvm_cmd *c;

	PUSH(cb, c);
	c->op = DRM_VSVM_OP_NOP;
	return 0;
}

drm_public int vsvm_cmd_fill(struct vsvm_cmdbuf *cb, uint64_t dst,
			     uint64_t size, uint32_t value)
{
	struct drm_vsvm_cmd *c;

	PUSH(cb, c);
	c->op = DRM_VSVM_OP_FILL;
	c->dst = dst;
	c->size = size;
	c->value = value;
	return 0;
}

drm_public int vsvm_cmd_copy(struct vsvm_cmdbuf *cb, uint64_t dst,
			     uint64_t src, uint64_t size)
{
	struct drm_vsvm_cmd *c;

	PUSH(cb, c);
	c->op = DRM_VSVM_OP_COPY;
	c->dst = dst;
	c->src = src;
	c->size = size;
	return 0;
}

drm_public int vsvm_cmd_write_value(struct vsvm_cmdbuf *cb, uint64_t dst,
				    uint64_t value, uint32_t flags)
{
	struct drm_vsvm_cmd *c;

	if (!width_ok(flags))
		return -EINVAL;
	PUSH(cb, c);
	c->op = DRM_VSVM_OP_WRITE_VALUE;
	c->flags = flags;
	c->dst = dst;
	c->value = value;
	return 0;
}

drm_public int vsvm_cmd_wait_value(struct vsvm_cmdbuf *cb, uint64_t src,
				   uint32_t cmp, uint64_t value, uint64_t mask,
				   uint32_t flags, uint64_t timeout_ns)
{
	struct drm_vsvm_cmd *c;

	if (!width_ok(flags) || cmp > 0xf)
		return -EINVAL;
	PUSH(cb, c);
	c->op = DRM_VSVM_OP_WAIT_VALUE;
	c->flags = flags | DRM_VSVM_CMD_WAIT_OP(cmp);
	c->src = src;
	c->value = value;
	c->value2 = mask;
	c->timeout_ns = timeout_ns;
	return 0;
}

drm_public int vsvm_cmd_atomic(struct vsvm_cmdbuf *cb, uint32_t op,
			       uint64_t dst, uint64_t value, uint64_t value2,
			       uint64_t count, uint64_t result, uint32_t flags)
{
	struct drm_vsvm_cmd *c;

	if (!width_ok(flags) || op > 0xf)
		return -EINVAL;
	PUSH(cb, c);
	c->op = DRM_VSVM_OP_ATOMIC;
	c->flags = flags | DRM_VSVM_CMD_ATOMIC_OP(op);
	c->dst = dst;
	c->src = result;
	c->size = count;
	c->value = value;
	c->value2 = value2;
	return 0;
}

drm_public int vsvm_cmd_pointer_chase(struct vsvm_cmdbuf *cb, uint64_t dst,
				      uint64_t head, uint64_t max_nodes)
{
	struct drm_vsvm_cmd *c;

	PUSH(cb, c);
	c->op = DRM_VSVM_OP_POINTER_CHASE;
	c->dst = dst;
	c->src = head;
	c->size = max_nodes;
	return 0;
}

drm_public int vsvm_cmd_timestamp(struct vsvm_cmdbuf *cb, uint64_t dst)
{
	struct drm_vsvm_cmd *c;

	PUSH(cb, c);
	c->op = DRM_VSVM_OP_TIMESTAMP;
	c->dst = dst;
	return 0;
}

/* ------------------------------------------------------------------ */

drm_public int vsvm_exec(struct vsvm_device *dev, uint32_t channel,
			 const struct vsvm_cmdbuf *cb, uint64_t *seqno)
{
	struct drm_vsvm_exec ex = { 0 };
	int ret;

	if (!dev || !cb)
		return -EINVAL;
	ex.cmds = VSVM_PTR(cb->cmds);
	ex.num_cmds = cb->count;
	ex.channel = channel;
	ex.timeout_ns = cb->timeout_ns;
	ret = vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_EXEC, &ex);
	if (ret)
		return ret;
	if (seqno)
		*seqno = ex.seqno;
	return 0;
}

drm_public int vsvm_wait(struct vsvm_device *dev, uint32_t channel,
			 uint64_t seqno, int64_t timeout_ns, int32_t *status)
{
	struct drm_vsvm_wait w = {
		.seqno = seqno,
		.timeout_ns = timeout_ns,
		.channel = channel,
	};
	int ret;

	if (!dev)
		return -EINVAL;
	ret = vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_WAIT, &w);
	if (ret)
		return ret;
	if (status)
		*status = w.status;
	return 0;
}

drm_public int vsvm_exec_wait(struct vsvm_device *dev, uint32_t channel,
			      const struct vsvm_cmdbuf *cb, int64_t timeout_ns,
			      int32_t *status)
{
	uint64_t seqno;
	int ret;

	ret = vsvm_exec(dev, channel, cb, &seqno);
	if (ret)
		return ret;
	return vsvm_wait(dev, channel, seqno, timeout_ns, status);
}

drm_public int vsvm_fault_info(struct vsvm_device *dev,
			       struct drm_vsvm_fault_info *info)
{
	if (!dev || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	return vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_FAULT_INFO, info);
}

drm_public int vsvm_stats(struct vsvm_device *dev, struct drm_vsvm_stats *stats)
{
	if (!dev || !stats)
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	return vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_STATS, stats);
}

drm_public int vsvm_advise(struct vsvm_device *dev, uint64_t start,
			   uint64_t size, uint32_t attr, uint64_t value)
{
	struct drm_vsvm_advise args = {
		.start = start,
		.size = size,
		.attr = attr,
		.value = value,
	};

	if (!dev)
		return -EINVAL;
	return vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_ADVISE, &args);
}

drm_public int vsvm_advise_get(struct vsvm_device *dev, uint64_t addr,
			       uint32_t attr, uint64_t *value)
{
	struct drm_vsvm_advise args = {
		.start = addr,
		.attr = attr,
		.flags = DRM_VSVM_ADVISE_GET,
	};
	int err;

	if (!dev || !value)
		return -EINVAL;
	err = vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_ADVISE, &args);
	if (!err)
		*value = args.value;
	return err;
}

drm_public int vsvm_prefetch(struct vsvm_device *dev, uint64_t start,
			     uint64_t size, uint32_t loc, uint64_t *migrated)
{
	struct drm_vsvm_prefetch args = {
		.start = start,
		.size = size,
		.loc = loc,
	};
	int err;

	if (!dev)
		return -EINVAL;
	err = vsvm_ioctl(dev->fd, DRM_IOCTL_VSVM_PREFETCH, &args);
	if (migrated)
		*migrated = args.migrated;
	return err;
}
