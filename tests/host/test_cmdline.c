/* lib/cmdline: the kernel command line parser. */
#include "test.h"

#include "lib/cmdline.h"
#include "lib/errno.h"

TEST(cmdline_get_basic)
{
	const char *line = "console=ttyS0,115200 root=/dev/vda1 quiet loglevel=7";
	char v[64];

	CHECK_EQ(cmdline_get(line, "console", v, sizeof(v)), 12);
	CHECK_STR_EQ(v, "ttyS0,115200");
	CHECK_EQ(cmdline_get(line, "root", v, sizeof(v)), 9);
	CHECK_STR_EQ(v, "/dev/vda1");
	CHECK_EQ(cmdline_get(line, "loglevel", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "7");
	/* A flag has no value; prefixes and suffixes of keys do not match. */
	CHECK_EQ(cmdline_get(line, "quiet", v, sizeof(v)), -ENOENT);
	CHECK_STR_EQ(v, "");
	CHECK_EQ(cmdline_get(line, "roo", v, sizeof(v)), -ENOENT);
	CHECK_EQ(cmdline_get(line, "rootfs", v, sizeof(v)), -ENOENT);
	CHECK_EQ(cmdline_get(line, "level", v, sizeof(v)), -ENOENT);
	CHECK_EQ(cmdline_get("", "root", v, sizeof(v)), -ENOENT);
	CHECK_EQ(cmdline_get(NULL, "root", v, sizeof(v)), -ENOENT);
	CHECK_EQ(cmdline_get("   ", "root", v, sizeof(v)), -ENOENT);
}

TEST(cmdline_get_last_wins)
{
	char v[16];

	CHECK_EQ(cmdline_get("a=1 b=2 a=3", "a", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "3");
	/* A later bare flag does not hide the earlier value. */
	CHECK_EQ(cmdline_get("a=1 a", "a", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "1");
	CHECK_EQ(cmdline_get("a=1 a=", "a", v, sizeof(v)), 0);
	CHECK_STR_EQ(v, "");
}

TEST(cmdline_get_quotes_and_blanks)
{
	char v[64];

	CHECK_EQ(cmdline_get("init=\"/bin/sh -x\" quiet", "init", v, sizeof(v)), 10);
	CHECK_STR_EQ(v, "/bin/sh -x");
	/* Quoting the whole word, Linux style. */
	CHECK_EQ(cmdline_get("\"init=/bin/sh -x\" quiet", "init", v, sizeof(v)), 10);
	CHECK_STR_EQ(v, "/bin/sh -x");
	/* '=' inside a quoted value stays in the value. */
	CHECK_EQ(cmdline_get("opt=\"a=b c\"", "opt", v, sizeof(v)), 5);
	CHECK_STR_EQ(v, "a=b c");
	/* Only the first '=' splits; the rest belongs to the value. */
	CHECK_EQ(cmdline_get("opt=a=b", "opt", v, sizeof(v)), 3);
	CHECK_STR_EQ(v, "a=b");
	CHECK_EQ(cmdline_get("e=\"\"", "e", v, sizeof(v)), 0);
	CHECK_STR_EQ(v, "");
	/* An unterminated quote runs to the end of the line. */
	CHECK_EQ(cmdline_get("x=\"a b", "x", v, sizeof(v)), 3);
	CHECK_STR_EQ(v, "a b");
	/* Tabs and newlines separate words like spaces. */
	CHECK_EQ(cmdline_get("\ta=1\tb=2\n", "b", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "2");
	CHECK_EQ(cmdline_get("  lead=x   trail=y   ", "trail", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "y");
	/* A quoted blank inside a key is part of the key. */
	CHECK_EQ(cmdline_get("\"a b\"=1", "a b", v, sizeof(v)), 1);
}

TEST(cmdline_get_truncation)
{
	char v[5];

	memset(v, 'x', sizeof(v));
	CHECK_EQ(cmdline_get("k=1234", "k", v, sizeof(v)), 4); /* exact fit */
	CHECK_STR_EQ(v, "1234");
	memset(v, 'x', sizeof(v));
	CHECK_EQ(cmdline_get("k=12345", "k", v, sizeof(v)), -ENAMETOOLONG);
	CHECK_STR_EQ(v, "1234");
	memset(v, 'x', sizeof(v));
	CHECK_EQ(cmdline_get("k=\"1 3 5 7\"", "k", v, sizeof(v)), -ENAMETOOLONG);
	CHECK_STR_EQ(v, "1 3 ");
	memset(v, 'x', sizeof(v));
	CHECK_EQ(cmdline_get("k=1", "k", v, 0), -ENAMETOOLONG);
	CHECK_EQ(v[0], 'x');
	CHECK_EQ(cmdline_get("k=1", "k", NULL, 0), -ENAMETOOLONG);
}

TEST(cmdline_has)
{
	const char *line = "quiet root=/dev/sda nosmp= \"noapic\" -- single debug";

	CHECK(cmdline_has(line, "quiet"));
	CHECK(cmdline_has(line, "root"));
	CHECK(cmdline_has(line, "nosmp"));
	CHECK(cmdline_has(line, "noapic"));
	CHECK(!cmdline_has(line, "quie"));
	CHECK(!cmdline_has(line, "/dev/sda"));
	/* Words after "--" are init's. */
	CHECK(!cmdline_has(line, "single"));
	CHECK(!cmdline_has(line, "debug"));
	CHECK(!cmdline_has(line, "--"));
	CHECK(!cmdline_has("", "quiet"));
	CHECK(!cmdline_has(NULL, "quiet"));
}

TEST(cmdline_init_args)
{
	char v[16];

	CHECK_STR_EQ(cmdline_init_args("quiet -- single  x=1"), "single  x=1");
	CHECK_STR_EQ(cmdline_init_args("--   a"), "a");
	CHECK_STR_EQ(cmdline_init_args("quiet --"), "");
	CHECK_STR_EQ(cmdline_init_args("quiet --  "), "");
	CHECK_PTR_EQ(cmdline_init_args("quiet"), NULL);
	CHECK_PTR_EQ(cmdline_init_args(NULL), NULL);
	/* Only a bare "--" word counts. */
	CHECK_PTR_EQ(cmdline_init_args("a--b --x x--"), NULL);
	CHECK_PTR_EQ(cmdline_init_args("s=\"a -- b\""), NULL);
	CHECK_STR_EQ(cmdline_init_args("a=\"x -- y\" -- z"), "z");
	/* The first "--" ends the kernel's words; a later one is init's. */
	CHECK_STR_EQ(cmdline_init_args("a -- b -- c"), "b -- c");

	/* cmdline_get ignores init's words, even for the same key. */
	CHECK_EQ(cmdline_get("a=1 -- a=2", "a", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "1");
	CHECK_EQ(cmdline_get("-- a=2", "a", v, sizeof(v)), -ENOENT);
}

TEST(cmdline_get_int)
{
	const char *line = "a=42 b=-17 c=0x1F d=0XfF e=abc f=12x g= h=0x i=- j=+5 "
			   "max=9223372036854775807 min=-9223372036854775808 "
			   "over=9223372036854775808 under=-9223372036854775809 "
			   "hmax=0x7fffffffffffffff hover=0x8000000000000000 "
			   "neghex=-0x10 long=0000000000000000000000000000000000001 "
			   "flag z=0";
	long v = 123;

	CHECK_EQ(cmdline_get_int(line, "a", &v), 0);
	CHECK_EQ(v, 42);
	CHECK_EQ(cmdline_get_int(line, "b", &v), 0);
	CHECK_EQ(v, -17);
	CHECK_EQ(cmdline_get_int(line, "c", &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(cmdline_get_int(line, "d", &v), 0);
	CHECK_EQ(v, 255);
	CHECK_EQ(cmdline_get_int(line, "j", &v), 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(cmdline_get_int(line, "z", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(cmdline_get_int(line, "max", &v), 0);
	CHECK_EQ(v, INT64_MAX);
	CHECK_EQ(cmdline_get_int(line, "min", &v), 0);
	CHECK_EQ(v, INT64_MIN);
	CHECK_EQ(cmdline_get_int(line, "hmax", &v), 0);
	CHECK_EQ(v, INT64_MAX);
	CHECK_EQ(cmdline_get_int(line, "neghex", &v), 0);
	CHECK_EQ(v, -16);

	v = 123;
	CHECK_EQ(cmdline_get_int(line, "e", &v), -EINVAL);
	CHECK_EQ(cmdline_get_int(line, "f", &v), -EINVAL);
	CHECK_EQ(cmdline_get_int(line, "g", &v), -EINVAL);
	CHECK_EQ(cmdline_get_int(line, "h", &v), -EINVAL);
	CHECK_EQ(cmdline_get_int(line, "i", &v), -EINVAL);
	CHECK_EQ(cmdline_get_int(line, "long", &v), -EINVAL);
	CHECK_EQ(cmdline_get_int(line, "over", &v), -ERANGE);
	CHECK_EQ(cmdline_get_int(line, "under", &v), -ERANGE);
	CHECK_EQ(cmdline_get_int(line, "hover", &v), -ERANGE);
	CHECK_EQ(cmdline_get_int(line, "flag", &v), -ENOENT);
	CHECK_EQ(cmdline_get_int(line, "missing", &v), -ENOENT);
	CHECK_EQ(v, 123); /* untouched by every failure */
}

TEST(cmdline_next_iterates)
{
	const char *line = "  root=/dev/vda quiet init=\"/bin/sh -x\" =odd x= -- a=1";
	static const struct {
		const char *key, *val;
		bool has_value;
	} want[] = {
		{ "root", "/dev/vda", true },
		{ "quiet", "", false },
		{ "init", "/bin/sh -x", true },
		{ "", "odd", true },
		{ "x", "", true },
	};
	char key[16], val[16];
	const char *p = line;
	size_t i = 0;
	bool hv;

	while ((p = cmdline_next(p, key, sizeof(key), val, sizeof(val), &hv))) {
		if (i >= ARRAY_SIZE(want)) {
			i++;
			break;
		}
		CHECK_STR_EQ(key, want[i].key);
		CHECK_STR_EQ(val, want[i].val);
		CHECK_EQ(hv, want[i].has_value);
		i++;
	}
	CHECK_EQ(i, ARRAY_SIZE(want));

	CHECK_PTR_EQ(cmdline_next("", key, sizeof(key), val, sizeof(val), &hv), NULL);
	CHECK_PTR_EQ(cmdline_next("   ", key, sizeof(key), val, sizeof(val), &hv), NULL);
	CHECK_PTR_EQ(cmdline_next(NULL, key, sizeof(key), val, sizeof(val), &hv), NULL);
	CHECK_PTR_EQ(cmdline_next("-- a", key, sizeof(key), val, sizeof(val), &hv), NULL);
}

TEST(cmdline_next_truncates_and_optional_outputs)
{
	const char *line = "averyveryverylongkey=averyveryverylongvalue next";
	char key[8], val[8];
	const char *p;

	p = cmdline_next(line, key, sizeof(key), val, sizeof(val), NULL);
	CHECK(p != NULL);
	CHECK_STR_EQ(key, "averyve");
	CHECK_STR_EQ(val, "averyve");
	/* The returned position is just past the word. */
	CHECK_PTR_EQ(p, line + strlen("averyveryverylongkey=averyveryverylongvalue"));
	p = cmdline_next(p, key, sizeof(key), NULL, 0, NULL);
	CHECK(p != NULL);
	CHECK_STR_EQ(key, "next");
	CHECK_PTR_EQ(cmdline_next(p, key, sizeof(key), NULL, 0, NULL), NULL);
}
