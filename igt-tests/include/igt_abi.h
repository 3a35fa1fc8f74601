// SPDX-License-Identifier: MIT
/*
 * igt_abi.h - our own declarations of the part of libigt.so.0 that the
 * drm-svm IGT tests use, written against intel-gpu-tools 1.27.1 (Debian
 * bookworm 1.27.1-1, upstream commit 2b29e8ac0, January 2023).
 *
 * Debian ships libigt.so.0 but none of IGT's headers, and IGT's
 * control-flow macros (igt_subtest, igt_fixture, igt_fork, ...) expand to
 * calls into library internals and to sigsetjmp() on library globals. So
 * this header is tied to one library version: the prototypes, the global
 * variable names and types, the DRIVER_* bits and the shape of every
 * macro below were checked against that libigt.so.0 (nm -D, objdump -d)
 * and against the upstream headers of that era. When libigt changes,
 * re-check everything here (docs/igt.md lists how) before trusting a
 * test result; igt_abi_selftest is the regression test for this file.
 *
 * Spellings follow 1.27.1: igt_main, igt_fixture and igt_subtest_group
 * take no parentheses (newer IGT added them). There is no igt_simple_main:
 * our tests always have subtests, which is what tests/suites/40-igt.sh
 * parses.
 *
 * Only what our tests use is declared. Add to it only after checking the
 * symbol in the 1.27.1 library.
 */
#ifndef DRM_SVM_IGT_ABI_H
#define DRM_SVM_IGT_ABI_H

#include <getopt.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* The library version this file was checked against. */
#define IGT_ABI_VERSION "1.27.1"

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

/* Exit codes of a test binary (also the runner's protocol). */
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_SKIP 77
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_ABORT 112

#define __igt_noreturn __attribute__((noreturn))
#define __igt_printf(f, a) __attribute__((format(printf, f, a)))

/* ------------------------------------------------------------------ */
/* Library globals (nm -D: B/D symbols).                               */

/*
 * Both are 200-byte (sizeof(struct __jmp_buf_tag)) objects in the
 * library; the macros sigsetjmp() on them and the library siglongjmp()s.
 */
extern jmp_buf igt_subtest_jmpbuf;
extern jmp_buf igt_dynamic_jmpbuf;

/* Weak in the library; IGT_TEST_DESCRIPTION() provides it. */
extern const char *__igt_test_description __attribute__((weak));
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};
extern enum igt_log_level igt_log_level;

/* ------------------------------------------------------------------ */
/* Library functions.                                                  */

typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);
__igt_noreturn void igt_exit(void);

bool __igt_fixture(void);
void __igt_fixture_complete(void);
__igt_noreturn void __igt_fixture_end(void);	/* called by the library */

bool __igt_run_subtest(const char *name, const char *file, const int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *name);
void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);

const char *igt_test_name(void);
const char *igt_subtest_name(void);
bool igt_only_list_subtests(void);
bool igt_can_fail(void);

__igt_printf(1, 2) void igt_describe_f(const char *fmt, ...);

void igt_success(void);
__igt_noreturn void igt_fail(int exitcode);
__igt_noreturn __igt_printf(1, 2) void igt_skip(const char *fmt, ...);
__igt_noreturn __igt_printf(5, 6)
void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *fmt, ...);
__igt_noreturn __igt_printf(6, 7)
void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *fmt, ...);

bool __igt_fork(void);
void igt_waitchildren(void);

__igt_printf(3, 4)
void igt_log(const char *domain, enum igt_log_level level, const char *fmt, ...);

/* ------------------------------------------------------------------ */
/* Control-flow macros. Each must expand exactly as libigt expects: a   */
/* library call that says whether to enter the block, then sigsetjmp() */
/* on the library's jmpbuf (the library longjmps there on skip/fail),  */
/* and igt_success() (or __igt_fixture_complete()) when the block ends. */

#define __igt_cat2(a, b) a##b
#define __igt_cat(a, b) __igt_cat2(a, b)
#define __igt_tmp(p) __igt_cat(__igt_cat(__igt_tmp_, p), __LINE__)

#define igt_fixture \
	for (volatile int __igt_tmp(fx) = 0; \
	     __igt_tmp(fx) < 1 && __igt_fixture() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     __igt_tmp(fx)++, __igt_fixture_complete())

#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_subtest_f(buf, ...) \
	for (char buf[256]; snprintf(buf, sizeof(buf), __VA_ARGS__), \
	     __igt_run_subtest(buf, __FILE__, __LINE__) && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())
#define igt_subtest_f(...) __igt_subtest_f(__igt_tmp(name), __VA_ARGS__)

/* Only igt_dynamic blocks may fail inside; igt_require/skip are fine. */
#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       __igt_enter_dynamic_container() && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_subtest_with_dynamic_f(buf, ...) \
	for (char buf[256]; snprintf(buf, sizeof(buf), __VA_ARGS__), \
	     __igt_run_subtest(buf, __FILE__, __LINE__) && \
	     __igt_enter_dynamic_container() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())
#define igt_subtest_with_dynamic_f(...) \
	__igt_subtest_with_dynamic_f(__igt_tmp(name), __VA_ARGS__)

#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest((name)) && \
	       sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_dynamic_f(buf, ...) \
	for (char buf[256]; snprintf(buf, sizeof(buf), __VA_ARGS__), \
	     __igt_run_dynamic_subtest(buf) && \
	     sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())
#define igt_dynamic_f(...) __igt_dynamic_f(__igt_tmp(name), __VA_ARGS__)

/* Scopes fixtures and skips to the enclosed subtests. */
#define igt_subtest_group \
	for (int __igt_tmp(g) = 0, __igt_tmp(gsave) = 0, __igt_tmp(gdesc) = 0; \
	     __igt_tmp(g) < 1 && \
	     (__igt_subtest_group_save(&__igt_tmp(gsave), &__igt_tmp(gdesc)), true); \
	     __igt_tmp(g)++, \
	     __igt_subtest_group_restore(__igt_tmp(gsave), __igt_tmp(gdesc)))

/* Attaches a description to the next subtest or group (--describe). */
#define igt_describe(dsc) igt_describe_f("%s", dsc)

/*
 * Used as "igt_main { ... }" (upstream: "main(...)" with implicit int; here
 * a full prototype so that -Werror builds).
 */
#define igt_main_args(short_opts, long_opts, help_str, handler, data) \
	int main(int argc, char **argv); \
	static void __igt_tmp(real_main)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, short_opts, long_opts, \
					    help_str, handler, data); \
		__igt_tmp(real_main)(); \
		igt_exit(); \
	} \
	static void __igt_tmp(real_main)(void)

#define igt_main igt_main_args(NULL, NULL, NULL, NULL, NULL)

/*
 * Children run the block and exit(0) at its end; an assert in a child
 * exits it with IGT_EXIT_FAILURE, and igt_waitchildren() turns that into
 * a failure of the calling subtest. igt_skip does not propagate.
 */
#define igt_fork(child, num_children) \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(0))

/* ------------------------------------------------------------------ */
/* Logging. Debug goes to the ring buffer that is dumped on failure,    */
/* and to stdout with --debug; warnings go to stderr.                  */

#define igt_debug(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, __VA_ARGS__)

/* ------------------------------------------------------------------ */
/* Skips and asserts.                                                  */

#define igt_skip_check(check, ...) \
	__igt_skip_check(__FILE__, __LINE__, __func__, check, __VA_ARGS__)

#define igt_require(expr) do { \
	if (!(expr)) \
		igt_skip_check(#expr, NULL); \
	else \
		igt_debug("Test requirement passed: %s\n", #expr); \
} while (0)

#define igt_require_f(expr, ...) do { \
	if (!(expr)) \
		igt_skip_check(#expr, __VA_ARGS__); \
	else \
		igt_debug("Test requirement passed: %s\n", #expr); \
} while (0)

#define igt_skip_on(expr) do { \
	if ((expr)) \
		igt_skip_check("!(" #expr ")", NULL); \
	else \
		igt_debug("Test requirement passed: !(%s)\n", #expr); \
} while (0)

#define igt_skip_on_f(expr, ...) do { \
	if ((expr)) \
		igt_skip_check("!(" #expr ")", __VA_ARGS__); \
	else \
		igt_debug("Test requirement passed: !(%s)\n", #expr); \
} while (0)

#define igt_require_fd(fd) \
	igt_require_f((fd) >= 0, "file descriptor " #fd " failed\n")

#define igt_assert(expr) do { \
	if (!(expr)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #expr, NULL); \
} while (0)

#define igt_assert_f(expr, ...) do { \
	if (!(expr)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #expr, __VA_ARGS__); \
} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, ...) igt_assert_f(!(expr), __VA_ARGS__)
#define igt_assert_fd(fd) \
	igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")

/*
 * __igt_assert_cmp(type, printf-conversion, cast, a, op, negated op, b):
 * evaluates a and b once, as type, and prints both on failure.
 */
#define __igt_assert_cmp(T, conv, P, n1, op, nop, n2) do { \
	T __igt_n1 = (n1), __igt_n2 = (n2); \
	if (!(__igt_n1 op __igt_n2)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #n1 " " #op " " #n2, \
				  "error: " conv " " #nop " " conv "\n", \
				  (P)__igt_n1, (P)__igt_n2); \
} while (0)

#define igt_assert_cmpint(a, op, nop, b) \
	__igt_assert_cmp(int, "%d", int, a, op, nop, b)
#define igt_assert_cmpuint(a, op, nop, b) \
	__igt_assert_cmp(uint32_t, "%#x", unsigned int, a, op, nop, b)
#define igt_assert_cmps64(a, op, nop, b) \
	__igt_assert_cmp(int64_t, "%lld", long long, a, op, nop, b)
#define igt_assert_cmpu64(a, op, nop, b) \
	__igt_assert_cmp(uint64_t, "%#llx", unsigned long long, a, op, nop, b)

#define igt_assert_eq(a, b) igt_assert_cmpint(a, ==, !=, b)
#define igt_assert_neq(a, b) igt_assert_cmpint(a, !=, ==, b)
#define igt_assert_lt(a, b) igt_assert_cmpint(a, <, >=, b)
#define igt_assert_lte(a, b) igt_assert_cmpint(a, <=, >, b)
#define igt_assert_eq_u32(a, b) igt_assert_cmpuint(a, ==, !=, b)
#define igt_assert_neq_u32(a, b) igt_assert_cmpuint(a, !=, ==, b)
#define igt_assert_lt_u32(a, b) igt_assert_cmpuint(a, <, >=, b)
#define igt_assert_lte_u32(a, b) igt_assert_cmpuint(a, <=, >, b)
#define igt_assert_eq_s64(a, b) igt_assert_cmps64(a, ==, !=, b)
#define igt_assert_lt_s64(a, b) igt_assert_cmps64(a, <, >=, b)
#define igt_assert_lte_s64(a, b) igt_assert_cmps64(a, <=, >, b)
#define igt_assert_eq_u64(a, b) igt_assert_cmpu64(a, ==, !=, b)
#define igt_assert_neq_u64(a, b) igt_assert_cmpu64(a, !=, ==, b)
#define igt_assert_lt_u64(a, b) igt_assert_cmpu64(a, <, >=, b)
#define igt_assert_lte_u64(a, b) igt_assert_cmpu64(a, <=, >, b)

/* ------------------------------------------------------------------ */
/* drmtest subset.                                                     */
/*
 * Bits of the 1.27.1 modules[] table (read from the library's
 * .data.rel.ro: amdgpu 0x08, i915 0x01, msm 0x40, panfrost 0x20,
 * v3d 0x10, vc4 0x02, vgem 0x04). A driver that is not in the table, such
 * as vsvm, only matches DRIVER_ANY; check drmGetVersion()->name after.
 *
 * When no matching node is found, the library "modprobe"s (libkmod, the
 * running kernel's /lib/modules) every module whose bit is in the mask,
 * i.e. all of them for DRIVER_ANY, then searches again. drm_open_driver()
 * skips the subtest when nothing is found; __drm_open_driver() returns -1.
 * 1.27.1 has no drm_close_driver(): use close().
 */
#define DRIVER_INTEL (1 << 0)
#define DRIVER_VC4 (1 << 1)
#define DRIVER_VGEM (1 << 2)
#define DRIVER_AMDGPU (1 << 3)
#define DRIVER_V3D (1 << 4)
#define DRIVER_PANFROST (1 << 5)
#define DRIVER_MSM (1 << 6)
#define DRIVER_ANY (~(DRIVER_VGEM))

int __drm_open_driver(int chipset);		/* /dev/dri/card* */
int drm_open_driver(int chipset);
int __drm_open_driver_render(int chipset);	/* /dev/dri/renderD* */
int drm_open_driver_render(int chipset);

#endif /* DRM_SVM_IGT_ABI_H */
