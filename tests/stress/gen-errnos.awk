# SPDX-License-Identifier: MIT
#
# Generates vsvm_fuzz's table of documented errnos from the text of
# uapi/drm/vsvm_drm.h, so that the fuzzer asserts exactly what the header
# promises and follows it when it changes:
#
#   awk -f gen-errnos.awk uapi/drm/vsvm_drm.h >vsvm_fuzz_errnos.h
#
# What is read (kernel-doc comments, /** ... */):
#  - "DOC: vsvm uAPI": the conventions, errnos any ioctl may give;
#  - "struct drm_vsvm_X - DRM_IOCTL_VSVM_Y": the errnos after "Errors:"
#    are those of ioctl Y;
#  - the comment with "@status:": submission statuses of any command,
#    but those after "for OP" are OP's only;
#  - the comment right before "#define DRM_VSVM_OP_X": errnos after the
#    word "status" are statuses of op X, those before it errors of the
#    EXEC ioctl for op X; without the word "status", all are statuses.
#    An errno right after "error " (a FAULT_INFO error) is neither;
#  - "#define DRM_IOCTL_VSVM_Y": the ioctl numbers the header defines.
# -ERESTARTSYS is listed as EINTR, what userspace sees of it.

function add(list, e) {
	if (index(" " list " ", " " e " "))
		return list
	return list == "" ? e : list " " e
}

# The errnos in @s, skipping "error -EX" (a FAULT_INFO error, not a status).
function errnos(s, list,    e, before) {
	while (match(s, /-E[A-Z0-9]+/)) {
		e = substr(s, RSTART + 1, RLENGTH - 1)
		# The kernel-internal restart code reaches userspace as EINTR.
		if (e == "ERESTARTSYS")
			e = "EINTR"
		before = substr(s, 1, RSTART - 1)
		if (before !~ /error $/)
			list = add(list, e)
		s = substr(s, RSTART + RLENGTH)
	}
	return list
}

function merge(a, b,    n, x, i) {
	n = split(b, x, " ")
	for (i = 1; i <= n; i++)
		a = add(a, x[i])
	return a
}

function clist(list,    n, a, i, out) {
	n = split(list, a, " ")
	out = ""
	for (i = 1; i <= n; i++)
		out = out a[i] ", "
	return "{ " out "0 }"
}

# The @status: text: statuses of any command, but those after
# "for DISPATCH" (say) belong to that op only.
function status_text(t,    p, op) {
	if (match(t, /for [A-Z_][A-Z_]+ /)) {
		p = RSTART
		op = substr(t, p + 4, RLENGTH - 5)
		status_extra[op] = errnos(substr(t, p), status_extra[op])
		t = substr(t, 1, p - 1)
	}
	status = errnos(t, status)
}

# A finished comment block; @next_line is the line after it.
function block_done(next_line,    name, t, p, op) {
	if (blk ~ /DOC: vsvm uAPI/) {
		generic = errnos(blk, generic)
	} else if (match(blk, /struct drm_vsvm_[a-z_]+ - DRM_IOCTL_VSVM_[A-Z_]+/)) {
		name = substr(blk, RSTART, RLENGTH)
		sub(/.*DRM_IOCTL_VSVM_/, "", name)
		t = blk
		p = index(t, "Errors:")
		ioctl_errs[name] = p ? errnos(substr(t, p), "") : ""
		ioctls[++nioctls] = name
		if ((p = index(t, "@status:")))
			status_text(substr(t, p))
	} else if (index(blk, "@status:")) {
		status_text(substr(blk, index(blk, "@status:")))
	}
	if (match(next_line, /^#define DRM_VSVM_OP_[A-Z_]+/)) {
		op = substr(next_line, RSTART + 20, RLENGTH - 20)
		ops[++nops] = op
		t = blk
		p = match(tolower(t), /status/)
		if (p) {
			op_exec[op] = errnos(substr(t, 1, p - 1), "")
			op_status[op] = errnos(substr(t, p), "")
		} else {
			op_exec[op] = ""
			op_status[op] = errnos(t, "")
		}
	}
}

BEGIN { inblk = 0; blk = ""; pending = 0 }

{
	if (pending) {
		block_done($0)
		pending = 0
		blk = ""
	}
	if (!inblk && $0 ~ /^[ \t]*\/\*\*/) {
		inblk = 1
		blk = ""
	}
	if (inblk) {
		blk = blk " " $0
		if ($0 ~ /\*\//) {
			inblk = 0
			pending = 1
		}
		next
	}
	if ($0 ~ /^#define DRM_IOCTL_VSVM_[A-Z_]+/)
		nrs[++nnrs] = substr($2, 16)
}

END {
	if (pending)
		block_done("")
	if (!nioctls || !nops || status == "" || generic == "") {
		print "gen-errnos.awk: the header's Errors/@status text was not found" > "/dev/stderr"
		exit 1
	}
	print "/* Generated from uapi/drm/vsvm_drm.h by tests/stress/gen-errnos.awk: do not edit. */"
	print "#ifndef VSVM_FUZZ_ERRNOS_H"
	print "#define VSVM_FUZZ_ERRNOS_H"
	print ""
	print "/* Errnos any ioctl may give (DOC: vsvm uAPI, Conventions). */"
	print "static const int doc_generic_errnos[] = " clist(generic) ";"
	print ""
	print "/* Each ioctl's \"Errors:\" (0-terminated lists). */"
	print "static const struct doc_ioctl {"
	print "\tconst char *name;"
	print "\tunsigned long req;"
	print "\tint errnos[24];"
	print "} doc_ioctls[] = {"
	for (i = 1; i <= nioctls; i++)
		printf "\t{ \"%s\", DRM_IOCTL_VSVM_%s, %s },\n", ioctls[i], ioctls[i], clist(ioctl_errs[ioctls[i]])
	print "};"
	print ""
	print "/* Submission statuses any command may end with (drm_vsvm_wait.status). */"
	print "static const int doc_status_generic[] = " clist(status) ";"
	print ""
	print "/* Per op: more statuses, and more EXEC errors. */"
	print "static const struct doc_op {"
	print "\tconst char *name;"
	print "\tunsigned int op;"
	print "\tint status[16];"
	print "\tint exec[16];"
	print "} doc_ops[] = {"
	for (i = 1; i <= nops; i++)
		printf "\t{ \"%s\", DRM_VSVM_OP_%s, %s, %s },\n", ops[i], ops[i], clist(merge(op_status[ops[i]], status_extra[ops[i]])), clist(op_exec[ops[i]])
	print "};"
	print ""
	print "/* The driver ioctl numbers the header defines. */"
	printf "static const unsigned int doc_ioctl_nrs[] = {"
	for (i = 1; i <= nnrs; i++)
		printf " DRM_VSVM_%s,", nrs[i]
	print " };"
	print ""
	print "#endif"
}
