/*
 * Job control on terminals: controlling terminals of sessions, background
 * process groups stopped by SIGTTIN/SIGTTOU, and hangup (credentials(7),
 * termios(3) "Job control", tty_ioctl(4)).
 *
 * Locks: process->tty, tty->session and tty->pgrp change under
 * proc_tree_lock; readers that only compare them take no lock.
 */
#include "drivers/tty.h"
#include "fs/fs.h"
#include "lib/errno.h"
#include "proc/process.h"
#include "proc/signal.h"

struct job_query {
	struct tty *tty;
	int pgrp, sid;
	bool found;
	int found_sid;
};

/* A group is orphaned when no member has a parent in another group of the
 * same session (POSIX; init does not count as such a parent, as on Linux). */
static void check_orphan(struct process *q, void *arg)
{
	struct job_query *jq = arg;
	struct process *par = q->parent;

	if (q->state != PROC_ALIVE || q->pgid != jq->pgrp || !par)
		return;
	if (par != init_process && par->state == PROC_ALIVE &&
	    par->pgid != jq->pgrp && par->sid == q->sid)
		jq->found = true;
}

static bool pgrp_orphaned(int pgrp)
{
	struct job_query jq = { .pgrp = pgrp };
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);

	proc_for_each(check_orphan, &jq);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return !jq.found;
}

static bool sig_ignored_or_blocked(int sig)
{
	struct process *p = current_process();
	struct signal_state *s = p->signals;
	unsigned long f = spin_lock_irqsave(&s->lock);
	bool ign = s->action[sig - 1].handler == SIG_IGN;

	spin_unlock_irqrestore(&s->lock, f);
	return ign || (current_task()->sig->blocked & sigbit(sig));
}

int tty_check_job(struct tty *tty, int sig)
{
	struct process *p = current_process();
	int pgrp = tty->pgrp;

	if (!p || p->tty != tty || pgrp <= 0 || p->pgid == pgrp)
		return 0;
	if (sig_ignored_or_blocked(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(p->pgid))
		return -EIO;
	proc_signal_pgrp(p->pgid, sig);
	/* The stop happens on the way out; after SIGCONT the call restarts. */
	return -ERESTARTSYS;
}

static void find_holder(struct process *q, void *arg)
{
	struct job_query *jq = arg;

	if (q->state == PROC_ALIVE && q->tty == jq->tty)
		jq->found = true;
}

static void clear_holder(struct process *q, void *arg)
{
	struct job_query *jq = arg;

	if (q->tty == jq->tty)
		q->tty = NULL;
}

/* Some live process still has tty as its controlling terminal.
 * proc_tree_lock held. */
static bool tty_held(struct tty *tty)
{
	struct job_query jq = { .tty = tty };

	proc_for_each(find_holder, &jq);
	return jq.found;
}

/* proc_tree_lock held. */
static int set_ctty_locked(struct process *p, struct tty *tty, bool steal)
{
	struct job_query jq = { .tty = tty };

	if (p->sid == p->pid && p->tty == tty)
		return 0;
	if (p->sid != p->pid || p->tty)
		return -EPERM;
	if (tty->hung_up)
		return -EIO;
	if (tty_held(tty)) {
		/* tty_ioctl(4) TIOCSCTTY: arg 1 lets root steal it. */
		if (!steal || p->cred.euid != 0)
			return -EPERM;
		proc_for_each(clear_holder, &jq);
	}
	p->tty = tty;
	tty->session = p->sid;
	tty->pgrp = p->pgid;
	return 0;
}

int tty_set_ctty(struct tty *tty, bool steal)
{
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);
	int err = set_ctty_locked(current_process(), tty, steal);

	spin_unlock_irqrestore(&proc_tree_lock, f);
	return err;
}

/*
 * open(2) without O_NOCTTY by a session leader that has no controlling
 * terminal acquires this one (the VFS shows O_NOCTTY to ->open only).
 */
void tty_open_ctty(struct tty *tty, unsigned int flags)
{
	struct process *p = current_process();
	unsigned long f;

	if (!p || (flags & O_NOCTTY))
		return;
	f = spin_lock_irqsave(&proc_tree_lock);
	if (p->sid == p->pid && !p->tty && !tty_held(tty))
		set_ctty_locked(p, tty, false);
	spin_unlock_irqrestore(&proc_tree_lock, f);
}

struct tty *tty_get_ctty(void)
{
	struct process *p = current_process();
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);
	struct tty *tty = p ? p->tty : NULL;

	if (tty)
		tty_get(tty);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return tty;
}

struct hup_query {
	struct tty *tty;
	int sid;
	bool leaders_only;
};

static void hup_session(struct process *q, void *arg)
{
	struct hup_query *hq = arg;
	struct ksiginfo info = { .code = SI_KERNEL };

	if (q->tty != hq->tty)
		return;
	q->tty = NULL;
	if (q->state != PROC_ALIVE || (hq->leaders_only && q->pid != q->sid))
		return;
	info.signo = SIGHUP;
	send_signal_process(q, SIGHUP, &info);
	info.signo = SIGCONT;
	send_signal_process(q, SIGCONT, &info);
}

void tty_hangup(struct tty *tty)
{
	struct hup_query hq = { .tty = tty, .leaders_only = true };
	unsigned long f = spin_lock_irqsave(&tty->lock);

	tty->hung_up = true;
	spin_unlock_irqrestore(&tty->lock, f);
	wake_up_all(&tty->read_wait);
	wake_up_all(&tty->write_wait);
	/* Linux's __tty_hangup: every process of the session loses the
	 * terminal; the session leader gets SIGHUP then SIGCONT. */
	f = spin_lock_irqsave(&proc_tree_lock);
	proc_for_each(hup_session, &hq);
	tty->session = 0;
	tty->pgrp = 0;
	spin_unlock_irqrestore(&proc_tree_lock, f);
}

int tty_drop_ctty(struct tty *tty)
{
	struct process *p = current_process();
	struct job_query jq = { .tty = tty };
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);
	int pgrp = tty->pgrp;
	bool leader;

	if (p->tty != tty) {
		spin_unlock_irqrestore(&proc_tree_lock, f);
		return -ENOTTY;
	}
	leader = p->pid == p->sid;
	if (leader) {
		/* tty_ioctl(4) TIOCNOTTY by the session leader: the whole
		 * session loses the terminal, the foreground group gets
		 * SIGHUP and SIGCONT. */
		proc_for_each(clear_holder, &jq);
		tty->session = 0;
		tty->pgrp = 0;
	} else {
		p->tty = NULL;
	}
	spin_unlock_irqrestore(&proc_tree_lock, f);
	if (leader && pgrp > 0) {
		proc_signal_pgrp(pgrp, SIGHUP);
		proc_signal_pgrp(pgrp, SIGCONT);
	}
	return 0;
}

struct pgrp_query {
	int pgrp;
	bool exists;
	int sid;
};

static void find_pgrp(struct process *q, void *arg)
{
	struct pgrp_query *pq = arg;

	if (q->state == PROC_ALIVE && q->pgid == pq->pgrp) {
		pq->exists = true;
		pq->sid = q->sid;
	}
}

int tty_set_pgrp(struct tty *tty, int pgrp)
{
	struct process *p = current_process();
	struct pgrp_query pq = { .pgrp = pgrp };
	unsigned long f;
	int err;

	if (p->tty != tty || tty->session != p->sid)
		return -ENOTTY;
	if (pgrp < 0)
		return -EINVAL;
	/* tcsetpgrp(3) from a background group: SIGTTOU unless ignored. */
	err = tty_check_job(tty, SIGTTOU);
	if (err)
		return err;
	f = spin_lock_irqsave(&proc_tree_lock);
	proc_for_each(find_pgrp, &pq);
	if (!pq.exists)
		err = -ESRCH;
	else if (pq.sid != p->sid)
		err = -EPERM;
	else
		tty->pgrp = pgrp;
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return err;
}

void tty_session_leader_exit(struct process *p)
{
	struct tty *tty;
	struct job_query jq;
	unsigned long f;
	int pgrp = 0;

	if (p->pid != p->sid)
		return;
	f = spin_lock_irqsave(&proc_tree_lock);
	tty = p->tty;
	if (tty && tty->session == p->sid) {
		/* Linux's disassociate_ctty(1): the session loses the terminal
		 * and its foreground group gets SIGHUP (then SIGCONT, so that a
		 * stopped job sees it). Linux also hangs the terminal up; that
		 * waits for hangup per open file (one serial console is shared
		 * by every open of it here). */
		jq.tty = tty;
		proc_for_each(clear_holder, &jq);
		pgrp = tty->pgrp;
		tty->session = 0;
		tty->pgrp = 0;
	}
	p->tty = NULL;
	spin_unlock_irqrestore(&proc_tree_lock, f);
	if (pgrp > 0) {
		proc_signal_pgrp(pgrp, SIGHUP);
		proc_signal_pgrp(pgrp, SIGCONT);
	}
}
