// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-demo: walk the reference device (lib/test_hmm.ko) through the paths
 * drm-svm is about, printing what the kernel did at each step:
 * mirror read, migration to device-private memory, CPU fault-back, and
 * device-exclusive access revoked by a CPU write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

#define NPAGES 64

static long page_size;

static int dmirror(int fd, unsigned long req, void *addr, void *mirror,
		   unsigned long npages, struct hmm_dmirror_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->addr = (uintptr_t)addr;
	cmd->ptr = (uintptr_t)mirror;
	cmd->npages = npages;
	return ioctl(fd, req, cmd) ? -errno : 0;
}

static unsigned int count_prot(const unsigned char *snap, unsigned char want)
{
	unsigned int i, n = 0;

	for (i = 0; i < NPAGES; i++)
		n += snap[i] == want;
	return n;
}

static int pattern_ok(const unsigned int *p, unsigned long size)
{
	unsigned long i;

	for (i = 0; i < size / sizeof(*p); i++)
		if (p[i] != i)
			return 0;
	return 1;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "hmm-demo: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(void)
{
	unsigned char snap[NPAGES];
	struct hmm_dmirror_cmd cmd;
	unsigned long size, i;
	unsigned int *buf, *mirror;
	int fd, ret, bad = 0;

	page_size = sysconf(_SC_PAGESIZE);
	size = NPAGES * page_size;
	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		perror("hmm-demo: open /dev/hmm_dmirror0 (is test_hmm loaded?)");
		return 1;
	}
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mirror = malloc(size);
	if (buf == MAP_FAILED || !mirror)
		return fail("allocate", -ENOMEM);
	/* Device-exclusive needs small pages on 6.12 (see the README). */
	madvise(buf, size, MADV_NOHUGEPAGE);
	for (i = 0; i < size / sizeof(*buf); i++)
		buf[i] = i;

	ret = dmirror(fd, HMM_DMIRROR_READ, buf, mirror, NPAGES, &cmd);
	if (ret)
		return fail("device read", ret);
	bad |= memcmp(buf, mirror, size) != 0;
	printf("1. device read %llu pages through hmm_range_fault (%llu faults), data %s\n",
	       cmd.cpages, cmd.faults, bad ? "DIFFERS" : "matches the CPU's");

	memset(mirror, 0, size);
	ret = dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, buf, mirror, NPAGES, &cmd);
	if (ret)
		return fail("migrate to device", ret);
	/* Don't touch buf here: a CPU access would migrate it back. */
	bad |= !pattern_ok(mirror, size);
	printf("2. migrate_vma moved %llu pages to device-private memory, device copy %s;",
	       cmd.cpages, pattern_ok(mirror, size) ? "intact" : "CORRUPT");
	dmirror(fd, HMM_DMIRROR_SNAPSHOT, buf, snap, NPAGES, &cmd);
	ret = count_prot(snap, HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL |
			 HMM_DMIRROR_PROT_WRITE);
	bad |= ret != NPAGES;
	printf(" snapshot: %d of %d pages device-private\n", ret, NPAGES);

	if (!pattern_ok(buf, size))
		return fail("CPU read after migration", -EIO);
	dmirror(fd, HMM_DMIRROR_SNAPSHOT, buf, snap, NPAGES, &cmd);
	ret = count_prot(snap, HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL |
			 HMM_DMIRROR_PROT_WRITE);
	bad |= ret != 0;
	printf("3. CPU read every page: migrate_to_ram brought them back, data intact; %d pages still device-private\n",
	       ret);

	ret = dmirror(fd, HMM_DMIRROR_EXCLUSIVE, buf, mirror, NPAGES, &cmd);
	if (ret)
		return fail("make device-exclusive", ret);
	printf("4. make_device_exclusive_range took %llu pages;", cmd.cpages);
	ret = dmirror(fd, HMM_DMIRROR_CHECK_EXCLUSIVE, buf, NULL, NPAGES, &cmd);
	bad |= ret != -EPERM;
	printf(" device holds atomic access: %s\n", ret == -EPERM ? "yes" : "NO");

	for (i = 0; i < NPAGES; i++)
		buf[i * page_size / sizeof(*buf)] += 1;
	ret = dmirror(fd, HMM_DMIRROR_CHECK_EXCLUSIVE, buf, NULL, NPAGES, &cmd);
	bad |= ret != 0;
	printf("5. CPU wrote every page: exclusive entries restored, device access revoked: %s\n",
	       ret == 0 ? "yes" : "NO");

	munmap(buf, size);
	free(mirror);
	close(fd);
	return bad;
}
