/*
 * printk: formats a message, keeps it in the log ring buffer (for dmesg and
 * syslog(2)) and writes it to the registered consoles when its level is at or
 * below the console loglevel. Lines in the ring read "<level>[seconds] text".
 */
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/time.h"
#include "lib/printf.h"
#include "lib/string.h"

#define LOG_RING_SIZE (64 * 1024)

static char log_ring[LOG_RING_SIZE]; /* [printk_lock] */
static size_t log_head;              /* [printk_lock] next byte written */
static size_t log_len;               /* [printk_lock] bytes held */
static bool at_line_start = true;    /* [printk_lock] */
static int console_level = LOGLEVEL_DEFAULT + 1;
static struct console *consoles;     /* [printk_lock] */
static struct spinlock printk_lock = SPINLOCK_INIT("printk");

void printk_set_console_level(int level)
{
	if (level >= 0 && level <= 8)
		console_level = level;
}

void console_register(struct console *con)
{
	unsigned long f = spin_lock_irqsave(&printk_lock);

	con->next = consoles;
	consoles = con;
	spin_unlock_irqrestore(&printk_lock, f);
}

static void ring_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		log_ring[log_head] = s[i];
		log_head = (log_head + 1) % LOG_RING_SIZE;
		if (log_len < LOG_RING_SIZE)
			log_len++;
	}
}

static void console_out(const char *s, size_t n)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(s, n);
}

/* Parses a leading "<n>" level; returns the text after it. */
static const char *parse_level(const char *msg, int *level)
{
	if (msg[0] == '<' && msg[1] >= '0' && msg[1] <= '7' && msg[2] == '>') {
		*level = msg[1] - '0';
		return msg + 3;
	}
	*level = -1; /* continuation or default */
	return msg;
}

static void emit_line_prefix(int level, bool to_console)
{
	char pre[40];
	u64 ns = time_ns();
	int n;

	n = snprintf(pre, sizeof(pre), "<%d>[%5llu.%06llu] ", level,
		     (unsigned long long)(ns / NSEC_PER_SEC),
		     (unsigned long long)(ns % NSEC_PER_SEC / 1000));
	ring_put(pre, (size_t)n);
	if (to_console)
		console_out(pre + 3, (size_t)n - 3);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	static int cur_level = LOGLEVEL_DEFAULT;
	const char *text, *p;
	unsigned long flags;
	int level, n;
	bool show;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	text = parse_level(buf, &level);

	flags = spin_lock_irqsave(&printk_lock);
	if (level >= 0 || at_line_start) {
		if (!at_line_start) { /* a new message ends an open line */
			ring_put("\n", 1);
			if (cur_level < console_level)
				console_out("\n", 1);
			at_line_start = true;
		}
		cur_level = level >= 0 ? level : LOGLEVEL_DEFAULT;
	}
	show = cur_level < console_level;
	for (p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);

		if (at_line_start)
			emit_line_prefix(cur_level, show);
		ring_put(p, len);
		if (show)
			console_out(p, len);
		at_line_start = nl != NULL;
		p += len;
	}
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

size_t printk_read_ring(char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&printk_lock);
	size_t start = (log_head + LOG_RING_SIZE - log_len) % LOG_RING_SIZE;
	size_t n = MIN(len, log_len);

	for (size_t i = 0; i < n; i++)
		buf[i] = log_ring[(start + i) % LOG_RING_SIZE];
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

/* panic() calls this so a CPU that died holding the lock cannot silence it. */
void printk_panic_unlock(void)
{
	printk_lock.locked = 0;
}
