# SPDX-License-Identifier: GPL-2.0
#
# drm-svm: the two commands are "make demo" and "make check"; everything
# else is a step they run. See README.md.

SHELL := /bin/bash
KDIR = $(shell bash tools/kernel.sh --dir)
export DRM_SVM_OUT ?= $(CURDIR)/out

.PHONY: all deps kernel modules libdrm_vsvm compiler igt stress userspace check demo bench vm lint docs mesa-check clean

all: modules userspace

deps:
	@bash tools/deps.sh

kernel: deps
	@bash tools/kernel.sh >/dev/null

# Objects built for another kernel (another flavour) are not rebuilt by
# kbuild on its own: clean them when the kernel changes.
modules: kernel
	@mkdir -p $(DRM_SVM_OUT)
	@if [ "$$(cat .modules-kdir 2>/dev/null)" != "$(KDIR)" ]; then \
		$(MAKE) -s -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1; \
		echo "$(KDIR)" >.modules-kdir; fi
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR) W=1 modules >$(DRM_SVM_OUT)/modules.log 2>&1 || \
		{ echo "[drm-svm] FAILED at step \"modules\": read $(DRM_SVM_OUT)/modules.log"; \
		  tail -n 30 $(DRM_SVM_OUT)/modules.log; exit 1; }
	@if grep -q 'warning:' $(DRM_SVM_OUT)/modules.log; then \
		echo "[drm-svm] FAILED at step \"modules\": warnings in $(DRM_SVM_OUT)/modules.log"; \
		grep 'warning:' $(DRM_SVM_OUT)/modules.log; exit 1; fi

libdrm_vsvm: deps
	@mkdir -p $(DRM_SVM_OUT)
	@$(MAKE) -s -C libdrm_vsvm >$(DRM_SVM_OUT)/libdrm_vsvm.log 2>&1 || \
		{ echo "[drm-svm] FAILED at step \"libdrm_vsvm\": read $(DRM_SVM_OUT)/libdrm_vsvm.log"; \
		  tail -n 30 $(DRM_SVM_OUT)/libdrm_vsvm.log; exit 1; }

compiler: deps
	@mkdir -p $(DRM_SVM_OUT)
	@$(MAKE) -s -C compiler >$(DRM_SVM_OUT)/compiler.log 2>&1 || \
		{ echo "[drm-svm] FAILED at step \"compiler\": read $(DRM_SVM_OUT)/compiler.log"; \
		  tail -n 30 $(DRM_SVM_OUT)/compiler.log; exit 1; }

igt: deps libdrm_vsvm
	@mkdir -p $(DRM_SVM_OUT)
	@$(MAKE) -s -C igt-tests >$(DRM_SVM_OUT)/igt.log 2>&1 || \
		{ echo "[drm-svm] FAILED at step \"igt\": read $(DRM_SVM_OUT)/igt.log"; \
		  tail -n 30 $(DRM_SVM_OUT)/igt.log; exit 1; }

stress: deps libdrm_vsvm
	@mkdir -p $(DRM_SVM_OUT)
	@$(MAKE) -s -C tests/stress >$(DRM_SVM_OUT)/stress.log 2>&1 || \
		{ echo "[drm-svm] FAILED at step \"stress\": read $(DRM_SVM_OUT)/stress.log"; \
		  tail -n 30 $(DRM_SVM_OUT)/stress.log; exit 1; }

userspace: kernel libdrm_vsvm compiler igt stress
	@bash tools/build-hmm-tests.sh

check: modules userspace
	@bash tools/check-flavours.sh

demo: modules userspace
	@bash tools/demo.sh

# The benchmarks run on the production kernel flavour (tools/bench.sh
# builds it and our modules for it); DRM_SVM_BENCH_FLAVOUR picks another.
bench: deps
	@bash tools/bench.sh

vm: modules userspace
	@bash tools/vm.sh --shell

lint: kernel
	@bash tools/lint.sh

docs: kernel
	@bash tools/docs.sh

# mesa-patches/ and kernel-patches/nouveau/ against Debian's Mesa 25.0.7 and
# linux-source-6.12; installs its own packages (tools/mesa-check.sh).
mesa-check:
	@bash tools/mesa-check.sh

clean:
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf build out
