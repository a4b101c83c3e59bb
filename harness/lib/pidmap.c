/* pidmap.c - a small chained hash from pid to pointer, for the tracer's task and process
 * tables (a run can hold thousands of tasks; lookups happen at every stop). */
#include <stdlib.h>
#include "trace_int.h"

int pidmap_init(struct pidmap *m, size_t nbuckets)
{
	m->b = calloc(nbuckets, sizeof(*m->b));
	m->nb = m->b ? nbuckets : 0;
	m->n = 0;
	return m->b ? 0 : -1;
}

static size_t slot(const struct pidmap *m, pid_t key)
{
	return ((size_t)(unsigned)key * 2654435761u) % m->nb;
}

void *pidmap_get(const struct pidmap *m, pid_t key)
{
	if (!m->nb)
		return NULL;
	for (struct pidmap_ent *e = m->b[slot(m, key)]; e; e = e->next)
		if (e->key == key)
			return e->val;
	return NULL;
}

int pidmap_put(struct pidmap *m, pid_t key, void *val)
{
	size_t s = slot(m, key);
	for (struct pidmap_ent *e = m->b[s]; e; e = e->next)
		if (e->key == key) {
			e->val = val;
			return 0;
		}
	struct pidmap_ent *e = malloc(sizeof(*e));
	if (!e)
		return -1;
	e->key = key;
	e->val = val;
	e->next = m->b[s];
	m->b[s] = e;
	m->n++;
	return 0;
}

void *pidmap_del(struct pidmap *m, pid_t key)
{
	if (!m->nb)
		return NULL;
	for (struct pidmap_ent **pp = &m->b[slot(m, key)]; *pp; pp = &(*pp)->next)
		if ((*pp)->key == key) {
			struct pidmap_ent *e = *pp;
			void *val = e->val;
			*pp = e->next;
			free(e);
			m->n--;
			return val;
		}
	return NULL;
}

void pidmap_each(const struct pidmap *m, void (*fn)(void *val, void *arg), void *arg)
{
	for (size_t i = 0; i < m->nb; i++)
		for (struct pidmap_ent *e = m->b[i]; e; e = e->next)
			fn(e->val, arg);
}

void pidmap_free(struct pidmap *m)
{
	for (size_t i = 0; i < m->nb; i++)
		while (m->b[i]) {
			struct pidmap_ent *e = m->b[i];
			m->b[i] = e->next;
			free(e);
		}
	free(m->b);
	m->b = NULL;
	m->nb = m->n = 0;
}
