/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * libvsvm_cc internals: growable strings, files, subprocesses.
 */
#ifndef VSVM_CC_UTIL_H
#define VSVM_CC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) / (a) * (a))

/* A NUL-terminated growable string; a failed allocation sticks in @oom. */
struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

void sb_init(struct sbuf *sb);
void sb_free(struct sbuf *sb);
void sb_add(struct sbuf *sb, const char *s, size_t n);
void sb_puts(struct sbuf *sb, const char *s);
void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sbuf *sb, const char *fmt, va_list ap);
/* The string ("" when empty), never NULL. */
const char *sb_str(const struct sbuf *sb);
/* Hands the string over (NULL on allocation failure); @sb is reset. */
char *sb_take(struct sbuf *sb);

/* A NULL-terminated argument vector. */
struct argv {
	char **v;
	size_t n, cap;
	int oom;
};

void argv_init(struct argv *a);
void argv_free(struct argv *a);
void argv_add(struct argv *a, const char *s);
void argv_addf(struct argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int write_file(const char *path, const void *data, size_t size);
int read_file(const char *path, void **data, size_t *size);

/* A private temporary directory, removed with its files by tmpdir_del(). */
int tmpdir_new(char **dir);
void tmpdir_del(char *dir);

/*
 * Runs argv[0] (a path) with stdin from /dev/null and stdout+stderr into
 * @out_path; *@status is the exit status, or -1 when it died by a signal.
 * Return: 0 when it ran, a negative errno when it could not be started.
 */
int run_tool(char *const argv[], const char *out_path, int *status);

/* Splits @s the way a shell would, quotes and backslashes only. */
int split_options(const char *s, struct argv *out);

#endif /* VSVM_CC_UTIL_H */
