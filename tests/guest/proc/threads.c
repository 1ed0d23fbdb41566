/* Threads: clone(CLONE_THREAD) through pthreads, futex-based mutexes and
 * condition variables, join (CLONE_CHILD_CLEARTID wake), and what threads
 * share (pid, memory) and do not (tid). */
#include "t.h"
#include <pthread.h>
#include <sched.h>

/* From linux/futex.h, which musl's toolchain does not ship. */
#define T_FUTEX_WAIT_PRIVATE 128
#define T_FUTEX_WAKE_PRIVATE 129

#define NTHREADS 4
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready, consumed;
static pid_t tids[NTHREADS];
static pid_t pids[NTHREADS];

static void *adder(void *arg)
{
	long i = (long)arg;

	tids[i] = (pid_t)syscall(SYS_gettid);
	pids[i] = getpid();
	for (int r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (r % 500 == 0)
			sched_yield();
	}
	return (void *)(i + 100);
}

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		pthread_mutex_lock(&lock);
		while (ready)
			pthread_cond_wait(&cond, &lock);
		ready = 1;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[NTHREADS], prod;
	int ok = 1, joined = 1;

	t_init(argc, argv);
	for (long i = 0; i < NTHREADS; i++) {
		if (pthread_create(&th[i], NULL, adder, (void *)i) != 0)
			ok = 0;
	}
	CHECK("pthread_create", ok);
	for (long i = 0; i < NTHREADS && ok; i++) {
		void *ret = NULL;

		if (pthread_join(th[i], &ret) != 0 || ret != (void *)(i + 100))
			joined = 0;
	}
	CHECK("pthread_join_values", ok && joined);
	CHECK_EQ("mutex_counter", counter, (long)NTHREADS * ROUNDS);
	CHECK("threads_share_pid", pids[0] == getpid() && pids[NTHREADS - 1] == getpid());
	CHECK("threads_own_tids", tids[0] != getpid() && tids[0] != tids[1] && tids[0] > 0);

	/* A condition variable hand-off, 50 rounds. */
	CHECK_EQ("cond_producer_create", pthread_create(&prod, NULL, producer, NULL), 0);
	for (int i = 0; i < 50; i++) {
		pthread_mutex_lock(&lock);
		while (!ready)
			pthread_cond_wait(&cond, &lock);
		ready = 0;
		consumed++;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	CHECK_EQ("cond_producer_join", pthread_join(prod, NULL), 0);
	CHECK_EQ("cond_handoffs", consumed, 50);

	/* futex(2) directly: a wait with a different value is EAGAIN; a timed
	 * wait times out; a misaligned address is EINVAL; a bad one EFAULT. */
	{
		static int word = 1;
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		CHECK_ERR("futex_wait_value_changed_eagain",
			  syscall(SYS_futex, &word, T_FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0), EAGAIN);
		CHECK_ERR("futex_wait_timeout", syscall(SYS_futex, &word, T_FUTEX_WAIT_PRIVATE, 1, &ts,
							 NULL, 0), ETIMEDOUT);
		CHECK_ERR("futex_misaligned_einval",
			  syscall(SYS_futex, (char *)&word + 1, T_FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0),
			  EINVAL);
		CHECK_ERR("futex_bad_address_efault",
			  syscall(SYS_futex, T_KPTR, T_FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT);
		CHECK_EQ("futex_wake_nobody", syscall(SYS_futex, &word, T_FUTEX_WAKE_PRIVATE, 1, NULL,
						      NULL, 0), 0);
	}
	return t_done();
}
