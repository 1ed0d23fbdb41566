/* lib/list.h: the intrusive circular list. */
#include "test.h"

#include "lib/list.h"

struct item {
	int v;
	struct list_head node;
};

/* Values along the list, as a string such as "1 2 3", and check the back links. */
static const char *walk(struct list_head *h)
{
	static char buf[256];
	struct list_head *p;
	size_t n = 0;

	buf[0] = '\0';
	list_for_each(p, h) {
		struct item *it = list_entry(p, struct item, node);

		if (p->next->prev != p)
			return "broken back link";
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, n ? " %d" : "%d", it->v);
	}
	return buf;
}

TEST(list_init_and_empty)
{
	LIST_HEAD(h);
	struct list_head h2;

	CHECK(list_empty(&h));
	CHECK_PTR_EQ(h.next, &h);
	CHECK_PTR_EQ(h.prev, &h);
	list_init(&h2);
	CHECK(list_empty(&h2));
	CHECK_STR_EQ(walk(&h), "");
}

TEST(list_add_orders)
{
	struct item it[4] = { { 1, { 0 } }, { 2, { 0 } }, { 3, { 0 } }, { 4, { 0 } } };
	LIST_HEAD(stack);
	LIST_HEAD(queue);

	list_add(&it[0].node, &stack);
	list_add(&it[1].node, &stack);
	CHECK_STR_EQ(walk(&stack), "2 1");
	CHECK_EQ(list_first_entry(&stack, struct item, node)->v, 2);

	list_add_tail(&it[2].node, &queue);
	list_add_tail(&it[3].node, &queue);
	CHECK_STR_EQ(walk(&queue), "3 4");
	CHECK_EQ(list_first_entry(&queue, struct item, node)->v, 3);
	CHECK(!list_empty(&queue));
}

TEST(list_del)
{
	struct item it[3] = { { 1, { 0 } }, { 2, { 0 } }, { 3, { 0 } } };
	LIST_HEAD(h);
	int i;

	for (i = 0; i < 3; i++)
		list_add_tail(&it[i].node, &h);
	list_del(&it[1].node);
	CHECK_STR_EQ(walk(&h), "1 3");
	/* A deleted entry points at itself, so deleting it again is harmless. */
	CHECK_PTR_EQ(it[1].node.next, &it[1].node);
	list_del(&it[1].node);
	CHECK_STR_EQ(walk(&h), "1 3");
	list_del(&it[0].node);
	list_del(&it[2].node);
	CHECK(list_empty(&h));
	/* Re-adding a deleted entry works. */
	list_add(&it[2].node, &h);
	CHECK_STR_EQ(walk(&h), "3");
}

TEST(list_for_each_safe_deletes)
{
	struct item it[6];
	struct list_head *p, *tmp;
	struct item *pos;
	LIST_HEAD(h);
	int i, sum = 0;

	for (i = 0; i < 6; i++) {
		it[i].v = i;
		list_add_tail(&it[i].node, &h);
	}
	/* Drop the odd ones while walking. */
	list_for_each_safe(p, tmp, &h) {
		if (list_entry(p, struct item, node)->v % 2)
			list_del(p);
	}
	CHECK_STR_EQ(walk(&h), "0 2 4");
	list_for_each_entry(pos, &h, node)
		sum += pos->v;
	CHECK_EQ(sum, 6);
	list_for_each_safe(p, tmp, &h)
		list_del(p);
	CHECK(list_empty(&h));
}
