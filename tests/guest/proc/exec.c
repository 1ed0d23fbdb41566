/* execve: argv and envp reach the new program, the pid stays, #! scripts
 * (with and without an interpreter argument, nested interpreters refused
 * cleanly), what exec resets (caught signals to default, not ignored ones;
 * the blocked mask is kept), and the errors: ENOENT, EACCES (no x bit, a
 * directory, a noexec-like mode), ENOEXEC (garbage, empty file), E2BIG
 * (one argument over 128 KiB, or too much in all), EFAULT, ENOTDIR.
 * Uses the helpers "argv" (prints its argv/env) and "true". */
#include "t.h"

/* Runs path with argv/envp in a child, output to a pipe; returns the output
 * (static buffer) and stores the exit status or -errno of a failed exec. */
static char out[65536];
static int run(const char *path, char *const argv[], char *const envp[], int *status)
{
	int p[2], e[2];
	pipe(p);
	pipe2(e, O_CLOEXEC);
	pid_t pid = t_fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve(path, argv, envp);
		int err = errno;
		write(e[1], &err, sizeof(err));
		_exit(127);
	}
	close(p[1]);
	close(e[1]);
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(out) - 1 && (r = read(p[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += r;
	out[n] = 0;
	close(p[0]);
	int err = 0;
	if (read(e[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(e[0]);
	*status = t_wait(pid);
	return err;
}

static int has_line(const char *line)
{
	size_t l = strlen(line);
	for (const char *s = out; (s = strstr(s, line)); s++)
		if ((s == out || s[-1] == '\n') && (s[l] == '\n' || s[l] == 0))
			return 1;
	return 0;
}

static void write_script(const char *name, const char *text, mode_t mode)
{
	t_write_file(name, text, strlen(text));
	chmod(name, mode);
}

static void test_basic(void)
{
	int st;
	const char *argvh = t_helper("argv");
	char *argv[] = { "first", "two words", "", "last", NULL };
	char *envp[] = { "A=1", "EMPTY=", "B=two=parts", NULL };

	CHECK_EQ("execve_ok", run(argvh, argv, envp, &st), 0);
	CHECK("execve_exit_0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK("argc_passed", has_line("argc=4"));
	CHECK("argv0_passed", has_line("argv[0]=first"));
	CHECK("argv_with_space", has_line("argv[1]=two words"));
	CHECK("argv_empty_string", has_line("argv[2]="));
	CHECK("argv_last", has_line("argv[3]=last"));
	CHECK("envp_passed", has_line("env=A=1") && has_line("env=EMPTY=") && has_line("env=B=two=parts"));
	CHECK("envp_nothing_extra", !strstr(out, "env=PATH"));
	char *envx[] = { "ARGV_EXIT=33", NULL };
	run(argvh, argv, envx, &st);
	CHECK("exec_exit_status", WIFEXITED(st) && WEXITSTATUS(st) == 33);
	char *argv0[] = { NULL };
	CHECK_EQ("execve_empty_argv_ok", run(argvh, argv0, envp, &st), 0);
	CHECK("execve_empty_argv_argc", has_line("argc=0") || has_line("argc=1"));

	/* The pid does not change across exec. */
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		char fdarg[16];
		snprintf(fdarg, sizeof(fdarg), "%d", p[1]);
		close(p[0]);
		dup2(p[1], 1);
		execl("/bin/sh", "sh", "-c", "echo $$", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[32] = { 0 };
	read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	t_wait(pid);
	CHECK_EQ("exec_keeps_pid", atoi(buf), pid);
}

static void test_scripts(void)
{
	int st;
	char text[1024];
	const char *argvh = t_helper("argv");
	char *envp[] = { "X=1", NULL };

	snprintf(text, sizeof(text), "#!%s\nignored\n", argvh);
	write_script("s1", text, 0755);
	char *argv[] = { "s1name", "a1", "a2", NULL };
	CHECK_EQ("script_exec_ok", run("./s1", argv, envp, &st), 0);
	CHECK("script_argc", has_line("argc=4"));
	char want[600];
	snprintf(want, sizeof(want), "argv[0]=%s", argvh);
	CHECK("script_argv0_interp", has_line(want));
	CHECK("script_argv1_script_path", has_line("argv[1]=./s1"));
	CHECK("script_args_follow", has_line("argv[2]=a1") && has_line("argv[3]=a2"));

	/* One interpreter argument, spaces kept as one argument. */
	snprintf(text, sizeof(text), "#! %s  -x  y \n", argvh);
	write_script("s2", text, 0755);
	CHECK_EQ("script_with_arg_ok", run("./s2", argv, envp, &st), 0);
	CHECK("script_interp_arg", has_line("argv[1]=-x  y"));
	CHECK("script_path_after_arg", has_line("argv[2]=./s2"));

	/* A shell script through /bin/sh. */
	write_script("s3", "#!/bin/sh\necho script says $1\nexit 7\n", 0755);
	char *argv3[] = { "s3", "hi", NULL };
	run("./s3", argv3, envp, &st);
	CHECK("sh_script_output", has_line("script says hi"));
	CHECK("sh_script_status", WIFEXITED(st) && WEXITSTATUS(st) == 7);

	write_script("s4", "#!/nonexistent/interp\n", 0755);
	CHECK_EQ("script_missing_interp_enoent", run("./s4", argv, envp, &st), ENOENT);
	write_script("s5", "#!/bin/sh\n", 0644);
	CHECK_EQ("script_not_executable_eacces", run("./s5", argv, envp, &st), EACCES);
	/* An interpreter that is itself a script: Linux allows a few levels. */
	write_script("s6", "#!./s1\n", 0755);
	CHECK_EQ("script_nested_interp_ok", run("./s6", argv, envp, &st), 0);
}

static void test_errors(void)
{
	int st;
	char *argv[] = { "x", NULL };
	char *envp[] = { NULL };

	CHECK_EQ("exec_missing_enoent", run("./missing", argv, envp, &st), ENOENT);
	CHECK_EQ("exec_dir_eacces", run(".", argv, envp, &st), EACCES);
	write_script("noexec", "#!/bin/sh\n", 0644);
	CHECK_EQ("exec_no_x_bit_eacces", run("./noexec", argv, envp, &st), EACCES);
	write_script("garbage", "this is not an executable\n", 0755);
	CHECK_EQ("exec_garbage_enoexec", run("./garbage", argv, envp, &st), ENOEXEC);
	write_script("empty", "", 0755);
	CHECK_EQ("exec_empty_enoexec", run("./empty", argv, envp, &st), ENOEXEC);
	/* A truncated ELF header. */
	write_script("badelf", "\177ELF\2\1\1", 0755);
	CHECK_EQ("exec_truncated_elf_enoexec", run("./badelf", argv, envp, &st), ENOEXEC);
	t_write_file("file", "", 0);
	CHECK_EQ("exec_through_file_enotdir", run("./file/x", argv, envp, &st), ENOTDIR);
	CHECK_ERR("exec_null_path_efault", syscall(SYS_execve, NULL, argv, envp), EFAULT);
	CHECK_ERR("exec_kernel_path_efault", syscall(SYS_execve, T_KPTR, argv, envp), EFAULT);
	CHECK_ERR("exec_bad_argv_efault", syscall(SYS_execve, t_helper("true"), T_KPTR, envp), EFAULT);
	char *badarg[] = { "x", T_KPTR, NULL };
	CHECK_ERR("exec_bad_argv_string_efault", syscall(SYS_execve, t_helper("true"), badarg, envp), EFAULT);
	CHECK_ERR("exec_bad_envp_efault", syscall(SYS_execve, t_helper("true"), argv, T_KPTR), EFAULT);

	/* E2BIG: one string over MAX_ARG_STRLEN (32 pages). */
	static char huge[200000];
	memset(huge, 'a', sizeof(huge) - 1);
	char *bigargv[] = { "x", huge, NULL };
	CHECK_EQ("exec_arg_over_128k_e2big", run(t_helper("true"), bigargv, envp, &st), E2BIG);
	/* E2BIG: in all more than a quarter of the stack limit (8 MiB -> 2 MiB). */
	static char *many[64];
	static char chunk[100000];
	memset(chunk, 'b', sizeof(chunk) - 1);
	for (int i = 0; i < 63; i++)
		many[i] = chunk;
	many[63] = NULL;
	CHECK_EQ("exec_total_args_e2big", run(t_helper("true"), many, envp, &st), E2BIG);
	/* A large but allowed argument list works (1 MiB in 16 strings). */
	for (int i = 0; i < 10; i++)
		many[i] = chunk;
	many[10] = NULL;
	CHECK_EQ("exec_1m_args_ok", run(t_helper("true"), many, envp, &st), 0);
	CHECK("exec_1m_args_status", WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void on_usr1(int s)
{
}

/* After exec (re-executed as "<self> --after-exec"): what was kept. */
static int after_exec(void)
{
	struct sigaction sa;
	sigset_t m;

	sigaction(SIGUSR1, NULL, &sa);
	CHECK("exec_caught_signal_reset_to_default", sa.sa_handler == SIG_DFL);
	sigaction(SIGUSR2, NULL, &sa);
	CHECK("exec_ignored_signal_stays_ignored", sa.sa_handler == SIG_IGN);
	sigprocmask(SIG_BLOCK, NULL, &m);
	CHECK("exec_keeps_blocked_mask", sigismember(&m, SIGTERM) && !sigismember(&m, SIGUSR1));
	sigpending(&m);
	CHECK("exec_keeps_pending_signal", sigismember(&m, SIGTERM));
	return t_done();
}

static void test_exec_resets(const char *self)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		signal(SIGUSR1, on_usr1);
		signal(SIGUSR2, SIG_IGN);
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGTERM);
		sigprocmask(SIG_BLOCK, &m, NULL);
		kill(getpid(), SIGTERM);
		execl(self, self, "--after-exec", (char *)NULL);
		_exit(127);
	}
	t_wait_ok("exec_resets_child", pid);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--after-exec"))
		return after_exec();
	test_basic();
	test_scripts();
	test_errors();
	test_exec_resets(argv[0]);
	return t_done();
}
