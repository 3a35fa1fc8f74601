// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm engine
 *
 * Each VM has %VSVM_NUM_CHANNELS channels. A channel is a queue of
 * submissions run in order by a work item, the channel's engine, on the
 * device's unbound engine workqueue, so the channels of all VMs run in
 * parallel on every CPU. The commands of a submission are rows of the
 * command table (vsvm_cmd.c); every memory access they make goes through
 * the GPU MMU (vsvm_mmu.c), and a miss stalls the channel on a replayable
 * fault (vsvm_fault.c), after which the command is called again and goes
 * on from where it stopped.
 *
 * Budgets. A submission runs for at most its wall-clock budget: the
 * ``job_timeout_ms`` module parameter, or less if &drm_vsvm_exec.timeout_ns
 * asks, counted from when it starts to run (as drm_sched counts a job's
 * timeout). Commands check it between slices of work (vsvm_cmd_yield()),
 * and the engine between a command's replays; past it the submission ends
 * with -ETIMEDOUT and the channel goes on with the next one. A fault that
 * keeps missing at the same place without the command making any progress
 * fails after %VSVM_MAX_REPLAYS replays and %VSVM_REPLAY_NS with -EFAULT
 * (FAULT_INFO error -EBUSY).
 *
 * Bounds. At most %VSVM_MAX_INFLIGHT submissions of a channel are queued or
 * running; EXEC blocks (interruptibly) until one completes. Submissions
 * are charged to the submitter's memory cgroup.
 *
 * Teardown. Closing the file (or the process exiting) marks the VM
 * closing: stalls end at once, running commands end at their next slice
 * boundary with -ECANCELED, queued submissions complete with -ECANCELED
 * without running, and vsvm_vm_destroy() waits only for that.
 */

#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vsvm_cmd.h"
#include "vsvm_trace.h"

/*
 * Replays of one access without progress before the submission fails:
 * more than %VSVM_MAX_REPLAYS of them over at least %VSVM_REPLAY_NS. A
 * replay can be a few microseconds: a count alone would fail a command
 * whose engine thread lost the CPU for a moment to the thread racing it.
 */
#define VSVM_MAX_REPLAYS	1000
#define VSVM_REPLAY_NS		(2 * NSEC_PER_SEC)

static unsigned int job_timeout_ms = 10000;
module_param(job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms,
		 "Wall-clock budget of one submission, ms (default 10000, at least 1)");

/**
 * struct vsvm_submission - one EXEC, queued on a channel
 */
struct vsvm_submission {
	/** @link: entry in &vsvm_channel.queue. */
	struct list_head link;
	/** @seqno: sequence number on the channel. */
	u64 seqno;
	/** @timeout_ns: budget from &drm_vsvm_exec.timeout_ns, 0: the default. */
	u64 timeout_ns;
	/** @started: ktime (ns) it started to run, 0 before. */
	u64 started;
	/** @num_cmds: number of commands. */
	u32 num_cmds;
	/** @cur: command being executed. */
	u32 cur;
	/** @run: the running command's state. */
	struct vsvm_cmd_run run;
	/** @payloads: each command's prepared payload, or NULL when none has one. */
	void **payloads;
	/** @cmds: the commands. */
	struct drm_vsvm_cmd cmds[];
};

/**
 * vsvm_engine_job_timeout_ns() - the wall-clock budget of a submission
 *
 * Return: the ``job_timeout_ms`` module parameter in ns.
 */
u64 vsvm_engine_job_timeout_ns(void)
{
	return (u64)max(READ_ONCE(job_timeout_ms), 1U) * NSEC_PER_MSEC;
}

static void vsvm_submission_free(struct vsvm_submission *s)
{
	const struct vsvm_cmd_desc *desc;
	u32 i;

	for (i = 0; s->payloads && i < s->num_cmds; i++) {
		desc = vsvm_cmd_desc(s->cmds[i].op);
		if (s->payloads[i])
			desc->release(s->payloads[i]);
	}
	kvfree(s->payloads);
	kvfree(s);
}

/* Check every command and prepare the payloads of those that have one. */
static int vsvm_submission_prepare(struct vsvm_file *vf,
				   struct vsvm_submission *s)
{
	const struct vsvm_cmd_desc *desc;
	int err;
	u32 i;

	for (i = 0; i < s->num_cmds; i++) {
		err = vsvm_cmd_check(&s->cmds[i]);
		if (err)
			return err;
		desc = vsvm_cmd_desc(s->cmds[i].op);
		if (!desc->prepare)
			continue;
		if (!s->payloads) {
			s->payloads = kvcalloc(s->num_cmds, sizeof(*s->payloads),
					       GFP_KERNEL_ACCOUNT);
			if (!s->payloads)
				return -ENOMEM;
		}
		err = desc->prepare(vf, &s->cmds[i], &s->payloads[i]);
		if (err)
			return err;
	}
	return 0;
}

/**
 * vsvm_submission_new() - build a submission from an EXEC
 * @vf: the file
 * @args: the EXEC arguments, checked for @num_cmds and @channel
 *
 * Copies the commands, checks each against its table row and prepares the
 * payloads. The memory is charged to the caller's memory cgroup.
 *
 * Return: the submission, or an ERR_PTR(): -EFAULT (commands or a payload
 * unreadable), -EINVAL (a command refused), -ENOENT, -ENOMEM.
 */
struct vsvm_submission *vsvm_submission_new(struct vsvm_file *vf,
					    const struct drm_vsvm_exec *args)
{
	struct vsvm_submission *s;
	int err;

	s = kvzalloc(struct_size(s, cmds, args->num_cmds), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->num_cmds = args->num_cmds;
	s->timeout_ns = args->timeout_ns;
	if (copy_from_user(s->cmds, u64_to_user_ptr(args->cmds),
			   array_size(args->num_cmds, sizeof(s->cmds[0])))) {
		err = -EFAULT;
		goto err_free;
	}
	err = vsvm_submission_prepare(vf, s);
	if (err)
		goto err_free;
	return s;

err_free:
	vsvm_submission_free(s);
	return ERR_PTR(err);
}

static void vsvm_record_fault(struct vsvm_channel *ch, u64 seqno,
			      const struct vsvm_cmd_run *run, int cause)
{
	struct vsvm_vm *vm = ch->vm;

	spin_lock(&vm->fault_lock);
	vm->last_fault.addr = run->miss.addr;
	vm->last_fault.seqno = seqno;
	vm->last_fault.channel = ch->index;
	vm->last_fault.access = run->miss.access;
	vm->last_fault.error = cause;
	vm->last_fault.pc = run->pc;
	vm->last_fault.insn = run->insn;
	vm->last_fault.count++;
	spin_unlock(&vm->fault_lock);
}

static bool vsvm_fault_done_acquire(struct vsvm_channel *ch)
{
	/* Pairs with the release in vsvm_fault_done(): fault_cause. */
	return smp_load_acquire(&ch->fault_state) == VSVM_FAULT_DONE;
}

/*
 * Stall on a fault until the fault handler has dealt with it. Return: the
 * cause of the failure (0 to replay), which vsvm_fault_status() turns into
 * the submission status.
 */
static int vsvm_channel_stall(struct vsvm_channel *ch,
			      const struct vsvm_miss *miss)
{
	WRITE_ONCE(ch->fault_state, VSVM_FAULT_PENDING);
	vsvm_fault_post(ch, miss->addr, miss->access);
	vsvm_fault_kick(ch->vm);
	wait_event(ch->fault_wq, vsvm_fault_done_acquire(ch));
	return ch->fault_cause;
}

/*
 * Run the current command of @s to its end: call its exec function, and
 * after each miss get the fault serviced and call it again.
 */
static int vsvm_run_cmd(struct vsvm_channel *ch, struct vsvm_submission *s)
{
	struct vsvm_cmd_run *run = &s->run;
	const struct vsvm_cmd_desc *desc = vsvm_cmd_desc(run->cmd->op);
	struct vsvm_miss last = {};
	u64 last_progress = 0, stuck_since = 0;
	unsigned int replays = 0;
	int err;

	for (;;) {
		err = vsvm_cmd_should_stop(run);
		if (err)
			return err;
		err = desc->exec(run);
		if (err != VSVM_MISS)
			return err;
		/* Count the replays of one access that makes no progress. */
		if (run->miss.addr == last.addr && run->miss.access == last.access &&
		    run->progress == last_progress) {
			replays++;
		} else {
			replays = 0;
			stuck_since = ktime_get_ns();
			last = run->miss;
			last_progress = run->progress;
		}
		err = replays > VSVM_MAX_REPLAYS &&
		      ktime_get_ns() - stuck_since > VSVM_REPLAY_NS ? -EBUSY :
		      vsvm_channel_stall(ch, &run->miss);
		if (!err)
			continue;
		if (err != -ECANCELED)
			vsvm_record_fault(ch, s->seqno, run, err);
		return vsvm_fault_status(err);
	}
}

static int vsvm_run_submission(struct vsvm_channel *ch,
			       struct vsvm_submission *s)
{
	u64 budget = vsvm_engine_job_timeout_ns();
	struct vsvm_cmd_run *run = &s->run;
	int err;

	if (s->timeout_ns)
		budget = min(budget, s->timeout_ns);
	run->vm = ch->vm;
	run->ch = ch;
	run->deadline = vsvm_deadline_after(budget);
	s->started = ktime_get_ns();
	trace_vsvm_job_start(ch->vm, ch->index, s->seqno, s->num_cmds);
	for (; s->cur < s->num_cmds; s->cur++) {
		memset(&run->cmd, 0, sizeof(*run) - offsetof(typeof(*run), cmd));
		run->cmd = &s->cmds[s->cur];
		run->payload = s->payloads ? s->payloads[s->cur] : NULL;
		err = vsvm_run_cmd(ch, s);
		if (err)
			return err;
		atomic64_inc(&ch->vm->commands);
	}
	return 0;
}

static void vsvm_channel_complete(struct vsvm_channel *ch,
				  struct vsvm_submission *s, int status)
{
	spin_lock(&ch->lock);
	list_del(&s->link);
	ch->status[s->seqno % VSVM_STATUS_RING] = status;
	ch->completed = s->seqno;
	spin_unlock(&ch->lock);
	if (status == -ETIMEDOUT)
		atomic64_inc(&ch->vm->job_timeouts);
	trace_vsvm_job_done(ch->vm, ch->index, s->seqno, status,
			    s->started ? ktime_get_ns() - s->started : 0);
	atomic64_inc(&ch->vm->submissions);
	wake_up_all(&ch->done_wq);
	vsvm_submission_free(s);
}

static void vsvm_channel_work(struct work_struct *work)
{
	struct vsvm_channel *ch = container_of(work, struct vsvm_channel, work);
	struct vsvm_submission *s;
	int status;

	for (;;) {
		spin_lock(&ch->lock);
		s = list_first_entry_or_null(&ch->queue,
					     struct vsvm_submission, link);
		spin_unlock(&ch->lock);
		if (!s)
			return;
		if (READ_ONCE(ch->vm->closing))
			status = -ECANCELED;
		else
			status = vsvm_run_submission(ch, s);
		vsvm_channel_complete(ch, s, status);
		cond_resched();
	}
}

/**
 * vsvm_channel_init() - set a channel up
 * @ch: the channel
 * @vm: its VM
 * @index: its number
 */
void vsvm_channel_init(struct vsvm_channel *ch, struct vsvm_vm *vm,
		       unsigned int index)
{
	ch->vm = vm;
	ch->index = index;
	spin_lock_init(&ch->lock);
	INIT_LIST_HEAD(&ch->queue);
	init_waitqueue_head(&ch->done_wq);
	init_waitqueue_head(&ch->fault_wq);
	INIT_WORK(&ch->work, vsvm_channel_work);
}

/* Whether a submission may be queued: room on the channel, or closing. */
static bool vsvm_channel_has_room(struct vsvm_channel *ch)
{
	return READ_ONCE(ch->submitted) - READ_ONCE(ch->completed) <
	       VSVM_MAX_INFLIGHT || READ_ONCE(ch->vm->closing);
}

/**
 * vsvm_channel_submit() - queue a submission
 * @ch: the channel
 * @s: the submission from vsvm_submission_new(); the channel owns it from
 *	now on (freed when completed, or here on error)
 * @seqno: out, its sequence number
 *
 * Blocks while %VSVM_MAX_INFLIGHT submissions of the channel are not
 * complete.
 *
 * Return: 0, -ENODEV when the VM is being torn down, -ERESTARTSYS when
 * interrupted while blocked.
 */
int vsvm_channel_submit(struct vsvm_channel *ch, struct vsvm_submission *s,
			u64 *seqno)
{
	int err;

	for (;;) {
		err = wait_event_interruptible(ch->done_wq,
					       vsvm_channel_has_room(ch));
		if (err)
			goto err_free;
		spin_lock(&ch->lock);
		if (READ_ONCE(ch->vm->closing)) {
			err = -ENODEV;
			spin_unlock(&ch->lock);
			goto err_free;
		}
		if (ch->submitted - ch->completed < VSVM_MAX_INFLIGHT)
			break;
		spin_unlock(&ch->lock);
	}
	s->seqno = ++ch->submitted;
	list_add_tail(&s->link, &ch->queue);
	spin_unlock(&ch->lock);
	*seqno = s->seqno;
	queue_work(ch->vm->vdev->engine_wq, &ch->work);
	return 0;

err_free:
	vsvm_submission_free(s);
	return err;
}

/**
 * vsvm_channel_wait() - wait for a submission
 * @ch: the channel
 * @seqno: the submission
 * @timeout_ns: relative timeout, negative for none
 * @status: out, its result
 *
 * Return: 0, -EINVAL (@seqno not submitted), -ETIME, -ENODATA (result no
 * longer kept) or -ERESTARTSYS.
 */
int vsvm_channel_wait(struct vsvm_channel *ch, u64 seqno, s64 timeout_ns,
		      s32 *status)
{
	long timeout = timeout_ns < 0 ? MAX_SCHEDULE_TIMEOUT :
		       nsecs_to_jiffies(timeout_ns);
	long ret;
	int err = 0;

	spin_lock(&ch->lock);
	if (!seqno || seqno > ch->submitted)
		err = -EINVAL;
	spin_unlock(&ch->lock);
	if (err)
		return err;

	ret = wait_event_interruptible_timeout(ch->done_wq,
					       READ_ONCE(ch->completed) >= seqno,
					       timeout);
	if (ret < 0)
		return ret;
	if (!ret && READ_ONCE(ch->completed) < seqno)
		return -ETIME;

	spin_lock(&ch->lock);
	if (ch->completed - seqno >= VSVM_STATUS_RING)
		err = -ENODATA;
	else
		*status = ch->status[seqno % VSVM_STATUS_RING];
	spin_unlock(&ch->lock);
	return err;
}

/**
 * vsvm_channel_cancel() - end a stall at teardown
 * @ch: the channel; &vsvm_vm.closing is set
 *
 * The engine then completes the current and every queued submission with
 * -ECANCELED, and submitters blocked for room give up with -ENODEV.
 */
void vsvm_channel_cancel(struct vsvm_channel *ch)
{
	if (READ_ONCE(ch->fault_state) == VSVM_FAULT_PENDING) {
		ch->fault_cause = -ECANCELED;
		/* Publishes fault_cause to vsvm_channel_stall(). */
		smp_store_release(&ch->fault_state, VSVM_FAULT_DONE);
	}
	wake_up(&ch->fault_wq);
	wake_up_all(&ch->done_wq);
}
