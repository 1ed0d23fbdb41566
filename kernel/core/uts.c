/* The host and domain names (see core/uts.h). */
#include "core/spinlock.h"
#include "core/uts.h"
#include "lib/errno.h"
#include "lib/string.h"

static struct spinlock uts_lock = SPINLOCK_INIT("uts");
static char hostname[UTS_LEN + 1] = "sable";     /* [uts_lock] */
static char domainname[UTS_LEN + 1] = "(none)";  /* [uts_lock] */

static void get_name(const char *src, char *buf, size_t size)
{
	spin_lock(&uts_lock);
	strlcpy(buf, src, size);
	spin_unlock(&uts_lock);
}

static int set_name(char *dst, const char *name, size_t len)
{
	if (len > UTS_LEN)
		return -EINVAL;
	spin_lock(&uts_lock);
	memcpy(dst, name, len);
	dst[len] = '\0';
	spin_unlock(&uts_lock);
	return 0;
}

void uts_get_hostname(char *buf, size_t size)
{
	get_name(hostname, buf, size);
}

void uts_get_domainname(char *buf, size_t size)
{
	get_name(domainname, buf, size);
}

int uts_set_hostname(const char *name, size_t len)
{
	return set_name(hostname, name, len);
}

int uts_set_domainname(const char *name, size_t len)
{
	return set_name(domainname, name, len);
}
