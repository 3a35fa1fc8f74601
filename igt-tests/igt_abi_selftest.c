// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: igt abi selftest
 * Category: Infrastructure
 * Functionality: include/igt_abi.h against libigt.so.0 1.27.1
 * Description: Checks include/igt_abi.h against the libigt.so.0 it is
 *	linked with. No GPU needed (drm-open skips without a DRM device). Most
 *	checks only hold if the header matches the library: results of forked
 *	children reach the parent, skips longjmp out of the right block,
 *	fixtures do not run while listing, and the self-* subtests re-run this
 *	binary (/proc/self/exe) to compare --list-subtests, --run-subtest,
 *	--debug and --describe output and exit codes with what the header
 *	promises. Expected default run: every subtest SUCCESS except
 *	require-skip and group-fixture-skip (SKIP by design) and drm-open (SKIP
 *	without a DRM device); dynamic-skip passes with children skip (SKIP)
 *	and pass. --expect-fail adds two subtests that must FAIL; only
 *	tests/suites/40-igt.sh runs them, one at a time.
 *
 * SUBTEST: basic
 * Description: The fixture ran before the first subtest.
 *
 * SUBTEST: assert-macros
 * Description: Every assert form compares in its own type.
 *
 * SUBTEST: subtest-f-%d
 * Description: igt_subtest_f() formats the subtest name.
 * arg[1].values: 1, 2
 *
 * SUBTEST: require-skip
 * Description: igt_require_f() skips the subtest (a skip on purpose).
 *
 * SUBTEST: group-fixture-skip
 * Description: A failed requirement in its group's fixture skips the subtest
 *	(on purpose).
 *
 * SUBTEST: after-group
 * Description: The group scope ended, and the skipped blocks stopped at the
 *	skip.
 *
 * SUBTEST: dynamic
 * Description: Two dynamic children, named with igt_dynamic() and
 *	igt_dynamic_f(), both pass.
 *
 * SUBTEST: dynamic-skip
 * Description: A skipping dynamic child longjmps back into its container
 *	only.
 *
 * SUBTEST: fork
 * Description: Two igt_fork() children with distinct pids run their asserts.
 *
 * SUBTEST: state-check
 * Description: The state the earlier subtests left behind is what the header
 *	promises.
 *
 * SUBTEST: self-list
 * Description: --list-subtests prints exactly the subtest names, and runs no
 *	fixture.
 *
 * SUBTEST: self-run-one
 * Description: --run-subtest runs one subtest of a 1.27.1 library, with
 *	igt_info() but not igt_debug() output.
 *
 * SUBTEST: self-debug
 * Description: --debug shows igt_debug() output.
 *
 * SUBTEST: self-skip-exit
 * Description: A skip exits 77 with its reason.
 *
 * SUBTEST: self-describe
 * Description: --describe shows the igt_describe() text and our file name.
 *
 * SUBTEST: drm-open
 * Description: drm_open_driver() and its variants open a device other than
 *	vgem with DRIVER_ANY.
 *
 * SUBTEST: expect-fail
 * Description: (--expect-fail only) An assertion failure fails the subtest,
 *	with its message and debug log.
 *
 * SUBTEST: expect-fail-fork
 * Description: (--expect-fail only) A failing igt_fork() child fails the
 *	subtest.
 *
 * SUBTEST: describe
 * Description: A subtest with an igt_describe() text, for self-describe.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"

IGT_TEST_DESCRIPTION("Checks our libigt 1.27.1 ABI header against the library.");

#define SELF "/proc/self/exe"
#define DESCRIPTION "igt_describe() text reaches --describe"

/* Every subtest of a default run, in order: self-list compares to this. */
static const char *const default_subtests[] = {
	"basic", "assert-macros", "subtest-f-1", "subtest-f-2",
	"require-skip", "group-fixture-skip", "after-group", "dynamic",
	"dynamic-skip", "fork", "state-check", "describe", "self-list",
	"self-run-one", "self-debug", "self-skip-exit", "self-describe",
	"drm-open",
};

static bool with_expect_fail;
static int fixture_value;
static bool group_fixture_passed, group_body_ran;
static bool skip_entered, skip_continued;
static bool dyn_a_done;
static bool dyn_skip_entered, dyn_skip_continued, dyn_pass_ran;

static int opt_handler(int opt, int opt_index, void *data)
{
	(void)opt_index;
	if (opt != 'x')
		return IGT_OPT_HANDLER_ERROR;
	*(bool *)data = true;
	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "expect-fail", no_argument, NULL, 'x' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --expect-fail\t\tAlso define the subtests that must fail\n";

struct run {
	int status;	/* exit code, or 128 + signal */
	char out[16384];
	char err[16384];
};

static void slurp(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	igt_assert(lseek(fd, 0, SEEK_SET) == 0);
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
}

/*
 * Debug-logs a nested run's output indented, so that its "Subtest ..."
 * lines never start a line of our own output.
 */
static void log_indented(const char *what, const char *buf)
{
	const char *l = buf, *nl;

	igt_debug("  %s:\n", what);
	for (; *l; l = nl + 1) {
		nl = strchrnul(l, '\n');
		igt_debug("  | %.*s\n", (int)(nl - l), l);
		if (!*nl)
			break;
	}
}

/* Runs this binary with ARGS (NULL-terminated); output goes to memfds. */
static void run_self(struct run *r, const char *const *args)
{
	const char *argv[16] = { SELF };
	int out = memfd_create("igt-out", 0), err = memfd_create("igt-err", 0);
	int i, wstatus;
	pid_t pid;

	igt_assert_fd(out);
	igt_assert_fd(err);
	for (i = 0; args[i]; i++) {
		igt_assert_lt(i + 1, 15);
		argv[i + 1] = args[i];
	}
	fflush(NULL);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		execv(SELF, (char **)argv);
		_exit(127);
	}
	igt_assert_eq(waitpid(pid, &wstatus, 0), pid);
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
		    128 + WTERMSIG(wstatus);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	igt_debug("%s %s ... exited %d\n", SELF, args[0], r->status);
	log_indented("stdout", r->out);
	log_indented("stderr", r->err);
}

/* Number of lines of BUF that start with PREFIX. */
static int count_lines(const char *buf, const char *prefix)
{
	int n = 0;

	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		n += strncmp(l, prefix, strlen(prefix)) == 0;
	return n;
}

static bool has_line(const char *buf, const char *line)
{
	size_t len = strlen(line);

	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (strncmp(l, line, len) == 0 && (l[len] == '\n' || !l[len]))
			return true;
	return false;
}

/* A DRM node of NAME%d whose driver is not vgem exists. */
static bool have_non_vgem_node(const char *base, int first)
{
	for (int i = first; i < first + 16; i++) {
		char path[64];
		drmVersionPtr v;
		bool ok;
		int fd;

		snprintf(path, sizeof(path), "%s%d", base, i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		ok = v && strcmp(v->name, "vgem") != 0;
		if (v)
			igt_debug("%s: driver %s\n", path, v->name);
		drmFreeVersion(v);
		close(fd);
		if (ok)
			return true;
	}
	return false;
}

static void check_driver_fd(int fd)
{
	drmVersionPtr v;

	igt_assert_fd(fd);
	v = drmGetVersion(fd);
	igt_assert(v);
	igt_info("opened a %s device\n", v->name);
	igt_assert_f(strcmp(v->name, "vgem") != 0,
		     "DRIVER_ANY must not match vgem\n");
	drmFreeVersion(v);
	close(fd);
}

igt_main_args(NULL, long_opts, help_str, opt_handler, &with_expect_fail)
{
	igt_fixture {
		igt_assert(!igt_only_list_subtests());
		igt_info("fixture entered\n");
		fixture_value = 42;
	}

	igt_describe("The fixture ran before the first subtest; igt_subtest_name(), "
		     "igt_test_name() and igt_can_fail() answer correctly.");
	igt_subtest("basic") {
		igt_assert_eq(fixture_value, 42);
		igt_assert(igt_can_fail());
		igt_assert(strcmp(igt_subtest_name(), "basic") == 0);
		igt_assert_f(strcmp(igt_test_name(), "igt_abi_selftest") == 0,
			     "test name %s\n", igt_test_name());
	}

	igt_describe("Every assert form compares in its own type.");
	igt_subtest("assert-macros") {
		uint64_t big = 1ull << 40;
		int minus_one = -1;

		/* Each of these fails if the macro compares in the wrong type. */
		igt_assert_lt(minus_one, 0);
		igt_assert_lte(minus_one, -1);
		igt_assert_neq(minus_one, 0);
		igt_assert_eq(minus_one, -1);
		igt_assert_lt_u32(0x7fffffffu, 0x80000000u);
		igt_assert_lte_u32(0x80000000u, 0x80000000u);
		igt_assert_eq_u32(0xffffffffu, (uint32_t)minus_one);
		igt_assert_neq_u32(0x80000000u, 0);
		igt_assert_eq_u64(big, 1ull << 40);
		igt_assert_neq_u64(big, 0);
		igt_assert_lt_u64(big, big + 1);
		igt_assert_lte_u64(big, big);
		igt_assert_lt_s64(-(int64_t)big, 0);
		igt_assert_eq_s64(-(int64_t)big, -(int64_t)big);
		igt_assert(big);
		igt_assert_f(big, "never printed %d\n", 1);
		igt_fail_on(!big);
		igt_fail_on_f(!big, "never printed\n");
		igt_require(big);
		igt_require_f(big, "never printed\n");
		igt_skip_on(!big);
		igt_skip_on_f(!big, "never printed\n");
	}

	/* volatile: live across the subtests' sigsetjmp() (-Wclobbered) */
	for (volatile int i = 1; i <= 2; i++) {
		igt_describe("igt_subtest_f() formats the subtest name.");
		igt_subtest_f("subtest-f-%d", i) {
			char want[32];

			snprintf(want, sizeof(want), "subtest-f-%d", (int)i);
			igt_assert(strcmp(igt_subtest_name(), want) == 0);
			igt_info("info marker from %s\n", want);
			igt_debug("debug marker from %s\n", want);
		}
	}

	igt_describe("igt_require_f() skips the subtest (a skip on purpose).");
	igt_subtest("require-skip") {
		volatile bool no = false;

		skip_entered = true;
		igt_require_f(no, "skipping on purpose\n");
		skip_continued = true;
	}

	igt_subtest_group {
		igt_fixture {
			volatile bool no = false;

			igt_require(no);
			group_fixture_passed = true;
		}
		igt_describe("A failed requirement in its group's fixture skips the subtest (on "
			     "purpose).");
		igt_subtest("group-fixture-skip")
			group_body_ran = true;
	}

	igt_describe("The group scope ended, and the skipped blocks stopped at the skip.");
	igt_subtest("after-group") {
		igt_assert(!group_fixture_passed);
		igt_assert(!group_body_ran);
	}

	igt_describe("Two dynamic children, named with igt_dynamic() and igt_dynamic_f(), both "
		     "pass.");
	igt_subtest_with_dynamic("dynamic") {
		igt_dynamic("dyn-a") {
			igt_assert(strcmp(igt_subtest_name(), "dynamic") == 0);
			dyn_a_done = true;
		}
		igt_dynamic_f("dyn-%c", 'b') {
			igt_assert(strcmp(igt_subtest_name(), "dynamic") == 0);
			igt_info("dyn-a completed before dyn-b: %d\n", dyn_a_done);
		}
	}

	/* A skipped child must longjmp back into the container only. */
	igt_describe("A skipping dynamic child longjmps back into its container only; the next "
		     "child runs.");
	igt_subtest_with_dynamic("dynamic-skip") {
		dyn_skip_entered = true;
		igt_dynamic("skip") {
			igt_skip("dynamic child skips on purpose\n");
			dyn_skip_continued = true;
		}
		igt_dynamic("pass")
			dyn_pass_ran = true;
	}

	igt_describe("Two igt_fork() children with distinct pids run their asserts.");
	igt_subtest("fork") {
		pid_t parent = getpid();
		volatile pid_t *pids = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(pids != MAP_FAILED);
		igt_fork(child, 2) {
			igt_assert_neq(getpid(), parent);
			igt_assert_lt(child, 2);
			igt_assert_eq(pids[child], 0);
			pids[child] = getpid();
		}
		igt_waitchildren();
		igt_assert_neq(pids[0], 0);
		igt_assert_neq(pids[1], 0);
		igt_assert_neq(pids[0], pids[1]);
		igt_assert_neq(pids[0], parent);
		munmap((void *)pids, 4096);
	}

	/* What earlier subtests left behind, for those that were run. */
	igt_describe("The state the earlier subtests left behind is what the header promises.");
	igt_subtest("state-check") {
		igt_assert(!skip_entered || !skip_continued);
		igt_assert(!dyn_skip_entered || (!dyn_skip_continued && dyn_pass_ran));
		igt_debug("require-skip entered %d, dynamic-skip entered %d\n",
			  skip_entered, dyn_skip_entered);
	}

	igt_describe(DESCRIPTION);
	igt_subtest("describe")
		igt_assert(!igt_only_list_subtests());

	igt_describe("--list-subtests prints exactly the subtest names, and runs no fixture.");
	igt_subtest("self-list") {
		static struct run r;
		char want[1024] = "";

		for (size_t i = 0; i < sizeof(default_subtests) / sizeof(*default_subtests); i++) {
			strcat(want, default_subtests[i]);
			strcat(want, "\n");
		}
		run_self(&r, (const char *[]){ "--list-subtests", NULL });
		igt_assert_eq(r.status, IGT_EXIT_SUCCESS);
		/* Exactly the names: the fixture (igt_info) must not run. */
		igt_assert_f(strcmp(r.out, want) == 0, "listed:\n%s", r.out);
	}

	igt_describe("--run-subtest runs one subtest of a 1.27.1 library, with igt_info() but not "
		     "igt_debug() output.");
	igt_subtest("self-run-one") {
		static struct run r;

		run_self(&r, (const char *[]){ "--run-subtest", "subtest-f-2", NULL });
		igt_assert_eq(r.status, IGT_EXIT_SUCCESS);
		igt_assert_f(strncmp(r.out, "IGT-Version: " IGT_ABI_VERSION "-", 17) == 0,
			     "library is not " IGT_ABI_VERSION ":\n%s", r.out);
		igt_assert(has_line(r.out, "Starting subtest: subtest-f-2"));
		igt_assert(strstr(r.out, "Subtest subtest-f-2: SUCCESS ("));
		igt_assert_eq(count_lines(r.out, "Subtest "), 1);
		igt_assert(has_line(r.out, "info marker from subtest-f-2"));
		igt_assert(!strstr(r.out, "debug marker"));
		igt_assert(!strstr(r.out, "subtest-f-1"));
	}

	igt_describe("--debug shows igt_debug() output.");
	igt_subtest("self-debug") {
		static struct run r;

		run_self(&r, (const char *[]){ "--debug", "--run-subtest",
					       "subtest-f-1", NULL });
		igt_assert_eq(r.status, IGT_EXIT_SUCCESS);
		igt_assert(strstr(r.out, "Subtest subtest-f-1: SUCCESS ("));
		igt_assert(strstr(r.out, "debug marker from subtest-f-1") ||
			   strstr(r.err, "debug marker from subtest-f-1"));
	}

	igt_describe("A skip exits 77 with its reason; an unknown subtest exits 79.");
	igt_subtest("self-skip-exit") {
		static struct run r;

		run_self(&r, (const char *[]){ "--run-subtest", "require-skip", NULL });
		igt_assert_eq(r.status, IGT_EXIT_SKIP);
		igt_assert(has_line(r.out, "Subtest require-skip: SKIP") ||
			   strstr(r.out, "Subtest require-skip: SKIP ("));
		igt_assert(has_line(r.out, "Test requirement: no"));
		igt_assert(has_line(r.out, "skipping on purpose"));

		run_self(&r, (const char *[]){ "--run-subtest", "no-such-subtest", NULL });
		igt_assert_eq(r.status, IGT_EXIT_INVALID);
	}

	igt_describe("--describe shows the igt_describe() text and our file name.");
	igt_subtest("self-describe") {
		static struct run r;

		run_self(&r, (const char *[]){ "--describe=describe", NULL });
		igt_assert_eq(r.status, IGT_EXIT_SUCCESS);
		/* __igt_run_subtest() got our __FILE__ */
		igt_assert_f(strstr(r.out, "SUB describe igt_abi_selftest.c:") &&
			     strstr(r.out, DESCRIPTION), "got:\n%s", r.out);
		igt_assert(!strstr(r.out, "SUB basic "));
	}

	igt_describe("drm_open_driver() and its variants open a device other than vgem with "
		     "DRIVER_ANY.");
	igt_subtest("drm-open") {
		/*
		 * Only with a non-vgem node present: otherwise libigt would
		 * try to modprobe every driver in its table.
		 */
		igt_require_f(have_non_vgem_node("/dev/dri/card", 0),
			      "no DRM device other than vgem\n");
		check_driver_fd(__drm_open_driver(DRIVER_ANY));
		check_driver_fd(drm_open_driver(DRIVER_ANY));
		if (have_non_vgem_node("/dev/dri/renderD", 128))
			check_driver_fd(drm_open_driver_render(DRIVER_ANY));
	}

	if (with_expect_fail) {
		igt_describe("(--expect-fail only) An assertion failure fails the subtest, with "
			     "its message and debug log.");
		igt_subtest("expect-fail") {
			igt_debug("expect-fail debug marker\n");
			igt_assert_eq(1 + 1, 3);
		}

		igt_describe("(--expect-fail only) A failing igt_fork() child fails the subtest.");
		igt_subtest("expect-fail-fork") {
			igt_fork(child, 2)
				igt_assert_f(child == 0, "child %d fails\n", child);
			igt_waitchildren();
			igt_info("not reached: children failed\n");
		}
	}
}
