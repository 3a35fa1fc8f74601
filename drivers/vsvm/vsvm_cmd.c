// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm commands
 *
 * The engine's commands are the rows of one table, indexed by
 * &drm_vsvm_cmd.op: which fields and flags each takes, how the EXEC ioctl
 * checks it and, for commands that need more than their fields, prepares
 * a payload, and the function that runs it (&struct vsvm_cmd_desc). The
 * EXEC ioctl rejects an unknown op, a field the op does not read that is
 * not zero, and a flag it does not allow, whatever the row; the row's
 * check does the rest.
 *
 * A command runs in slices: its exec function returns to the engine on
 * every GPU page-table miss (the engine services the fault and calls it
 * again) and calls vsvm_cmd_yield() between bounded pieces of work, which
 * ends the command with -ETIMEDOUT once the submission's budget is spent
 * and with -ECANCELED when the VM is closing.
 */

#include <linux/ktime.h>
#include <linux/sched.h>

#include "vsvm_cmd.h"

static const struct vsvm_cmd_desc vsvm_cmd_table[] = {
	[DRM_VSVM_OP_NOP] = {
		.name = "nop",
		.exec = vsvm_cmd_nop,
	},
	[DRM_VSVM_OP_FILL] = {
		.name = "fill",
		.fields = VSVM_CMD_DST | VSVM_CMD_SIZE | VSVM_CMD_VALUE,
		.check = vsvm_cmd_fill_check,
		.exec = vsvm_cmd_fill,
	},
	[DRM_VSVM_OP_COPY] = {
		.name = "copy",
		.fields = VSVM_CMD_DST | VSVM_CMD_SRC | VSVM_CMD_SIZE,
		.check = vsvm_cmd_copy_check,
		.exec = vsvm_cmd_copy,
	},
	[DRM_VSVM_OP_WRITE_VALUE] = {
		.name = "write_value",
		.fields = VSVM_CMD_DST | VSVM_CMD_VALUE,
		.flags = DRM_VSVM_CMD_64BIT,
		.check = vsvm_cmd_write_value_check,
		.exec = vsvm_cmd_write_value,
	},
	[DRM_VSVM_OP_WAIT_VALUE] = {
		.name = "wait_value",
		.fields = VSVM_CMD_SRC | VSVM_CMD_VALUE | VSVM_CMD_VALUE2 |
			  VSVM_CMD_TIMEOUT,
		.flags = DRM_VSVM_CMD_64BIT | DRM_VSVM_CMD_WAIT_OP_MASK,
		.check = vsvm_cmd_wait_value_check,
		.exec = vsvm_cmd_wait_value,
	},
	[DRM_VSVM_OP_ATOMIC] = {
		.name = "atomic",
		.fields = VSVM_CMD_DST | VSVM_CMD_SRC | VSVM_CMD_SIZE |
			  VSVM_CMD_VALUE | VSVM_CMD_VALUE2,
		.flags = DRM_VSVM_CMD_64BIT | DRM_VSVM_CMD_ATOMIC_OP_MASK,
		.check = vsvm_cmd_atomic_check,
		.exec = vsvm_cmd_atomic,
	},
	[DRM_VSVM_OP_POINTER_CHASE] = {
		.name = "pointer_chase",
		.fields = VSVM_CMD_DST | VSVM_CMD_SRC | VSVM_CMD_SIZE,
		.check = vsvm_cmd_pointer_chase_check,
		.exec = vsvm_cmd_pointer_chase,
	},
	[DRM_VSVM_OP_TIMESTAMP] = {
		.name = "timestamp",
		.fields = VSVM_CMD_DST,
		.check = vsvm_cmd_timestamp_check,
		.exec = vsvm_cmd_timestamp,
	},
};

/**
 * vsvm_cmd_desc() - the table row of an op
 * @op: &drm_vsvm_cmd.op
 *
 * Return: the row, or NULL for an op the engine does not know.
 */
const struct vsvm_cmd_desc *vsvm_cmd_desc(u32 op)
{
	if (op >= ARRAY_SIZE(vsvm_cmd_table) || !vsvm_cmd_table[op].exec)
		return NULL;
	return &vsvm_cmd_table[op];
}

/**
 * vsvm_cmd_check() - validate a command at EXEC
 * @cmd: the command
 *
 * Return: 0 or -EINVAL (unknown op or flag, a non-zero field the op does
 * not read, or what the row's check refuses).
 */
int vsvm_cmd_check(const struct drm_vsvm_cmd *cmd)
{
	const u64 fields[] = { cmd->dst, cmd->src, cmd->size, cmd->value,
			       cmd->value2, cmd->timeout_ns };
	const struct vsvm_cmd_desc *desc = vsvm_cmd_desc(cmd->op);
	unsigned int i;

	if (!desc || cmd->pad || (cmd->flags & ~desc->flags))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i] && !(desc->fields & BIT(i)))
			return -EINVAL;
	return desc->check ? desc->check(cmd) : 0;
}

/**
 * vsvm_cmd_should_stop() - whether the running command must end now
 * @run: the command
 *
 * Return: 0 to go on, -ECANCELED when the VM is closing, -ETIMEDOUT once
 * the submission's budget is spent.
 */
int vsvm_cmd_should_stop(const struct vsvm_cmd_run *run)
{
	if (READ_ONCE(run->vm->closing))
		return -ECANCELED;
	if (ktime_get_ns() >= run->deadline)
		return -ETIMEDOUT;
	return 0;
}

/**
 * vsvm_cmd_yield() - end a slice of a command's work
 * @run: the command; the notifier lock is not held
 *
 * Lets other work run, then tells whether the command may go on. Exec
 * functions call it between bounded pieces of work (a few thousand
 * operations, or pages), so a runaway command ends within a slice of its
 * deadline or of the VM's close.
 *
 * Return: as vsvm_cmd_should_stop().
 */
int vsvm_cmd_yield(struct vsvm_cmd_run *run)
{
	cond_resched();
	return vsvm_cmd_should_stop(run);
}
