#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host suite "mesa" (tools/check.sh runs it before the guest): the steps of
# make mesa-check, one result line each. It runs on the host because a cold
# cache needs Debian's mirror (it skips, naming the step, when the mirror
# cannot be reached) and a writable root for its packages.
exec bash "$(dirname "$0")/../../tools/mesa-check.sh" --tsv "$DRM_SVM_RESULTS"
