// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

void sb_init(struct sbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void sb_free(struct sbuf *sb)
{
	free(sb->s);
	sb_init(sb);
}

static int sb_grow(struct sbuf *sb, size_t extra)
{
	size_t need;
	char *s;

	if (sb->oom)
		return -1;
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 0;
	if (need < 2 * sb->cap)
		need = 2 * sb->cap;
	if (need < 64)
		need = 64;
	s = realloc(sb->s, need);
	if (!s) {
		sb->oom = 1;
		return -1;
	}
	sb->s = s;
	sb->cap = need;
	return 0;
}

void sb_add(struct sbuf *sb, const char *s, size_t n)
{
	if (sb_grow(sb, n))
		return;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = 0;
}

void sb_puts(struct sbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || sb_grow(sb, (size_t)n))
		return;
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *sb_str(const struct sbuf *sb)
{
	return sb->s ? sb->s : "";
}

char *sb_take(struct sbuf *sb)
{
	char *s = sb->oom ? NULL : sb->s;

	if (!s && !sb->oom)
		s = strdup("");
	else if (sb->oom)
		free(sb->s);
	sb_init(sb);
	return s;
}

void argv_init(struct argv *a)
{
	memset(a, 0, sizeof(*a));
}

void argv_free(struct argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	argv_init(a);
}

static void argv_push(struct argv *a, char *s)
{
	char **v;

	if (!s || a->oom) {
		free(s);
		a->oom = 1;
		return;
	}
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;

		v = realloc(a->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			a->oom = 1;
			return;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

void argv_add(struct argv *a, const char *s)
{
	argv_push(a, strdup(s));
}

void argv_addf(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	argv_push(a, s);
}

int write_file(const char *path, const void *data, size_t size)
{
	const char *p = data;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		p += n;
		size -= (size_t)n;
	}
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int read_file(const char *path, void **data, size_t *size)
{
	struct stat st;
	size_t got = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		close(fd);
		return -errno;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = 0;
	*data = buf;
	*size = got;
	return 0;
}

int tmpdir_new(char **dir)
{
	const char *base = getenv("TMPDIR");
	char *d;

	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&d, "%s/vsvm-cc.XXXXXX", base) < 0)
		return -ENOMEM;
	if (!mkdtemp(d)) {
		int err = -errno;

		free(d);
		return err;
	}
	*dir = d;
	return 0;
}

void tmpdir_del(char *dir)
{
	struct dirent *e;
	DIR *d;

	if (!dir)
		return;
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d))) {
			char *p;

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (asprintf(&p, "%s/%s", dir, e->d_name) >= 0) {
				unlink(p);
				free(p);
			}
		}
		closedir(d);
	}
	rmdir(dir);
	free(dir);
}

int run_tool(char *const argv[], const char *out_path, int *status)
{
	posix_spawn_file_actions_t fa;
	int ret, wst;
	pid_t pid;

	if (posix_spawn_file_actions_init(&fa))
		return -ENOMEM;
	ret = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!ret)
		ret = posix_spawn_file_actions_addopen(&fa, 1, out_path,
						       O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (!ret)
		ret = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &wst, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	*status = WIFEXITED(wst) ? WEXITSTATUS(wst) : -1;
	return 0;
}

int split_options(const char *s, struct argv *out)
{
	struct sbuf cur;
	int have = 0;
	char q = 0;

	sb_init(&cur);
	for (; s && *s; s++) {
		char c = *s;

		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"' && s[1])
				sb_add(&cur, ++s, 1);
			else
				sb_add(&cur, s, 1);
			continue;
		}
		if (c == '\'' || c == '"') {
			q = c;
			have = 1;
		} else if (c == '\\' && s[1]) {
			sb_add(&cur, ++s, 1);
			have = 1;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (have)
				argv_add(out, sb_str(&cur));
			sb_free(&cur);
			have = 0;
		} else {
			sb_add(&cur, s, 1);
			have = 1;
		}
	}
	if (have)
		argv_add(out, sb_str(&cur));
	sb_free(&cur);
	if (q)
		return -EINVAL;
	return out->oom || cur.oom ? -ENOMEM : 0;
}
