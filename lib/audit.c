/* rahdari: streaming audits.
 *
 * A submission may hold millions of bookings. The calling thread reads it as a stream
 * with libxml2's push parser, through the same secure set-up as every other document
 * (no network, no DTD, no entities), but builds no tree: its SAX handlers only follow
 * the nesting, the namespace declarations in scope and the byte offsets of each record
 * (by default each child of the root; the bookings of a submission). The bytes of a
 * finished record, preceded by a wrapper element that declares the namespaces in scope,
 * go into a bounded ring of slots.
 *
 * Worker threads take the slots in order and do everything else in their own thread:
 * parse the record into a document of its own (lines numbered as in the file), make the
 * record its root, copy in the envelope's elements it lacks (a submission's agency),
 * index it, check it with the shared rules (a compiled rule set is read-only) and
 * evaluate the facets. The calling thread hands the done slots at the head of the ring
 * to the callback, in input order, and gives what a worker allocated back to that worker
 * to free: memory is freed by the thread that allocated it, so the allocator never
 * contends and cache lines stay with their core. The calling thread counts as one of the
 * jobs: there are jobs - 1 workers, and whenever more records wait than the workers will
 * soon take (or the ring is full), the calling thread checks one itself, so that N jobs
 * keep N cores busy without an (N+1)th thread competing for them. With one job there
 * are no threads: the calling thread does it all, record by record.
 *
 * Memory is bounded by the ring (records in flight) and the largest record, not by the
 * file. A rule sees exactly what rd_check() would see on the record alone.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xpathInternals.h>

#define CHUNK (256 * 1024)
#define MAX_ENVELOPE 16
#define MAX_JOBS 256
#define WAKE_BATCH 4
#define RING_PER_JOB 16
#define WRAP_NAME "rahdari-record-wrapper"

enum { SLOT_FREE = 0, SLOT_QUEUED, SLOT_TAKEN, SLOT_DONE };

typedef struct slot {
	/* from the reader (calling thread) */
	char *text;       /* wrapper start tag + record + wrapper end tag (in texts[]) */
	size_t len;
	long line;        /* line of the record's start tag */
	uint64_t index;
	/* from the worker */
	rd_document *doc;
	char *id;
	const char *element;
	rd_report *report;
	char **facets;
	int rc;           /* status of parsing and checking, with its message */
	char *error;
	int state;
	int worker;       /* the worker that made doc, report, ...; -1: the calling thread */
} slot;

/* What a worker allocated for a record, handed back to it to free. */
typedef struct garbage {
	rd_document *doc;
	rd_report *report;
	char **facets;
	char *id, *error;
	struct garbage *next;
} garbage;

/* An element of the envelope to carry into the records that lack it. */
typedef struct envelope {
	char *text;  /* wrapper + element + end */
	size_t len;
	long line;
	char *name;  /* its local name */
} envelope;

/* What one worker keeps: its XPath context, and the envelope parsed once. */
typedef struct wstate {
	rd_checker checker;
	xmlXPathContextPtr fxp; /* for the facets */
	rd_reparser parser;
	xmlDocPtr env[MAX_ENVELOPE];
	size_t nenv;
	int env_tried;
} wstate;

struct auditor;
typedef struct worker_arg {
	struct auditor *a;
	int id;
} worker_arg;

typedef struct ns_decl {
	char *prefix; /* NULL: the default namespace */
	char *uri;
	unsigned int depth;
} ns_decl;

typedef struct open_elem {
	const xmlChar *name;
	long line;
} open_elem;

typedef struct auditor {
	rd_loader ld; /* first: the secure loader's handlers find it through ctxt->_private */
	rd_xml_trap *trap; /* on this thread while the stream is parsed */
	rd_limits lim;
	const rd_rules *rules;
	const rd_audit_options *opts;
	rd_check_options check;
	const char *name;
	xmlParserCtxtPtr ctxt;
	/* the raw input kept from offset raw_base (records are cut out of it) */
	char *raw;
	size_t raw_len, raw_cap;
	uint64_t raw_base;
	/* where we are */
	int root_seen;
	const char *record_name; /* local name of records, or NULL: children of the root */
	char *carry;             /* space-separated local names to carry, or NULL */
	unsigned int rec_depth;  /* depth of the record being read, 0 when none */
	uint64_t rec_start;      /* input offset of its '<' */
	long rec_line;
	unsigned int env_depth;  /* a child of the root being kept for carrying */
	uint64_t env_start;
	long env_line;
	envelope envelope[MAX_ENVELOPE];
	size_t nenvelope;
	ns_decl *ns;
	size_t nns, capns;
	open_elem *open;         /* the elements open, by depth - 1 (names in the dictionary) */
	size_t capopen;
	char *wrap_open;         /* the wrapper's start tag, for the namespaces in scope */
	size_t wrap_len;
	uint64_t nrecords;
	/* facets */
	xmlXPathCompExprPtr *facets;
	size_t nfacets;
	/* the ring, and the text of each of its slots (reused from record to record: a
	 * malloc per record would make glibc consolidate the small blocks the trees freed) */
	slot *ring;
	size_t cap;
	char **texts;
	size_t *textcaps;
	uint64_t head, tail, next_take;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	int stop;
	unsigned int idle;       /* workers waiting for records */
	uint64_t main_wait;      /* 1 + the record the calling thread waits for, or 0 */
	/* head: next to emit (calling thread only); tail: next to publish (written by the
	 * calling thread only); next_take: next to claim (workers, atomically) */
	pthread_t threads[MAX_JOBS];
	worker_arg wargs[MAX_JOBS];
	garbage *bins[MAX_JOBS]; /* per worker: pushed by the calling thread, taken whole */
	unsigned int nthreads;
	wstate inline_state;     /* the calling thread's: it checks records too */
	size_t help_above;       /* it does so when more records than this wait */
	int no_help;             /* not after a read error: its message is the one returned */
	/* the caller's */
	rd_audit_record_fn on_record;
	rd_audit_progress_fn on_progress;
	void *payload;
	int cb_rc;               /* non-zero: the callback asked to stop (its value) */
	uint64_t stop_index;     /* the record it stopped at, and its line */
	long stop_line;
	int fatal;               /* a status that ends the audit */
	rd_audit_progress prog;
	int sync_ok;             /* mu, work and done are initialised */
	int threads_started;     /* the ring is in use (more than one job) */
} auditor;

/* ---------------------------------------------------------------- a worker's part */

static void quiet_error(void *data, rd_xml_error err)
{
	RD_UNUSED(data);
	RD_UNUSED(err);
}

static void silent_generic(void *ctx, const char *msg, ...)
{
	RD_UNUSED(ctx);
	RD_UNUSED(msg);
}

static char **eval_facets(const auditor *a, wstate *w, xmlDocPtr doc)
{
	xmlGenericErrorFunc old_fn;
	void *old_ctx;
	xmlXPathContextPtr xp;
	char **out;
	size_t i;

	out = rd__calloc(a->nfacets + 1, sizeof *out);
	if (out == NULL)
		return NULL;
	if (w->fxp == NULL) {
		w->fxp = xmlXPathNewContext(NULL);
		if (w->fxp == NULL) {
			free(out);
			return NULL;
		}
		w->fxp->error = quiet_error;
		xmlXPathRegisterNs(w->fxp, (const xmlChar *)"d", (const xmlChar *)RD_NS_DOC);
	}
	xp = w->fxp;
	xp->doc = doc;
	/* libxml2 reports an unknown function to the generic error handler (this thread's):
	 * such a facet gives "" without a word */
	old_fn = xmlGenericError;
	old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent_generic);
	for (i = 0; i < a->nfacets; i++) {
		xmlXPathObjectPtr o;
		xmlChar *s = NULL;

		xp->node = xmlDocGetRootElement(doc);
		o = xmlXPathCompiledEval(a->facets[i], xp);
		if (o)
			s = xmlXPathCastToString(o);
		xmlXPathFreeObject(o);
		out[i] = rd__strdup(s ? (const char *)s : "");
		xmlFree(s);
		if (out[i] == NULL) {
			while (i)
				free(out[--i]);
			free(out);
			out = NULL;
			break;
		}
	}
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	xp->doc = NULL;
	xp->node = NULL;
	return out;
}

static void free_facets(const auditor *a, char **facets)
{
	size_t i;

	if (facets) {
		for (i = 0; i < a->nfacets; i++)
			free(facets[i]);
		free(facets);
	}
}

/* Parse a wrapped fragment and return the wrapped element, alone in its document. */
static int parse_wrapped(const auditor *a, wstate *w, const char *text, size_t len, long line,
                         xmlDocPtr *out)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr wrap, el;
	xmlNsPtr ns, next, keep = NULL;
	rd_limits lim;
	int rc;

	*out = NULL;
	/* the streamer has held the record itself to max_record_bytes: the wrapper's
	 * declarations do not count */
	lim = a->lim;
	if (lim.max_bytes < len)
		lim.max_bytes = len;
	rc = rd__reparser_parse(&w->parser, &doc, text, len, a->name, &lim, line);
	if (rc != RD_OK)
		return rc;
	wrap = xmlDocGetRootElement(doc);
	for (el = wrap ? wrap->children : NULL; el && el->type != XML_ELEMENT_NODE; el = el->next)
		;
	if (el == NULL) {
		xmlFreeDoc(doc);
		return rd__error_set(RD_ERROR, a->name, line, 0, "%s:%ld: empty record", a->name, line);
	}
	xmlUnlinkNode(el);
	xmlDocSetRootElement(doc, el);
	/* The namespaces the wrapper declared move to the element, with their prefixes
	 * (the default namespace stays the default: name() is the same as in the file);
	 * one the element declares again is shadowed, so nothing in it refers to the
	 * wrapper's and that stays behind. */
	for (ns = wrap->nsDef, wrap->nsDef = NULL; ns; ns = next) {
		xmlNsPtr d;

		next = ns->next;
		for (d = el->nsDef; d && !xmlStrEqual(d->prefix, ns->prefix); d = d->next)
			;
		if (d) {
			ns->next = keep;
			keep = ns;
		} else {
			ns->next = el->nsDef;
			el->nsDef = ns;
		}
	}
	wrap->nsDef = keep;
	xmlFreeNode(wrap);
	*out = doc;
	return RD_OK;
}

static int has_child(xmlNodePtr parent, const xmlNode *like)
{
	xmlNodePtr c;

	for (c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, like->name) &&
		    ((c->ns == NULL && like->ns == NULL) ||
		     (c->ns && like->ns && xmlStrEqual(c->ns->href, like->ns->href))))
			return 1;
	return 0;
}

/* Parse, carry, index and check one record; any thread (w is that thread's). */
static void process(auditor *a, slot *s, wstate *w)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	xmlChar *idv;
	size_t i;

	s->rc = parse_wrapped(a, w, s->text, s->len, s->line, &doc);
	if (s->rc != RD_OK) {
		s->error = rd__strdup(rd_error_last()->message);
		return;
	}
	root = xmlDocGetRootElement(doc);
	/* the envelope's elements the record lacks, parsed once per worker */
	if (a->nenvelope && !w->env_tried) {
		w->env_tried = 1;
		for (i = 0; i < a->nenvelope; i++)
			if (parse_wrapped(a, w, a->envelope[i].text, a->envelope[i].len,
			                  a->envelope[i].line, &w->env[w->nenv]) == RD_OK)
				w->nenv++;
	}
	for (i = w->nenv; i > 0; i--) {
		xmlNodePtr e = xmlDocGetRootElement(w->env[i - 1]), copy;

		if (e == NULL || has_child(root, e))
			continue;
		copy = xmlDocCopyNode(e, doc, 1);
		if (copy == NULL)
			continue;
		if (root->children)
			xmlAddPrevSibling(root->children, copy);
		else
			xmlAddChild(root, copy);
		xmlReconciliateNs(doc, root);
	}
	s->doc = rd__calloc(1, sizeof *s->doc);
	if (s->doc == NULL || (s->doc->name = rd__strdup(a->name)) == NULL) {
		free(s->doc);
		s->doc = NULL;
		xmlFreeDoc(doc);
		s->rc = RD_ENOMEM;
		return;
	}
	s->doc->doc = doc;
	s->element = (const char *)root->name;
	idv = xmlGetNoNsProp(root, (const xmlChar *)"id");
	if (idv) {
		s->id = rd__strdup((const char *)idv);
		xmlFree(idv);
		if (s->id == NULL) {
			s->rc = RD_ENOMEM;
			return;
		}
	}
	/* as rd_document_load_memory() gives it: a licence without what no signature covers */
	if (rd__document_view_licences(s->doc) != RD_OK || rd__index_build(&s->doc->index, doc) < 0)
		s->rc = rd__error_oom();
	else
		s->rc = rd__check(&s->report, a->rules, s->doc, &a->check, &w->checker);
	/* fail closed and go on: a record that could not be checked for want of memory is a
	 * record with an evaluation-error finding that says so (the audit stops only when even
	 * that report cannot be made) */
	if (s->rc == RD_ENOMEM &&
	    rd__check_failed(&s->report, a->rules, s->doc, &a->check, "out of memory") == RD_OK)
		s->rc = RD_OK;
	if (s->rc != RD_OK) {
		s->error = rd__strdup(rd_error_last()->message);
		return;
	}
	if (a->nfacets) {
		s->facets = eval_facets(a, w, doc);
		if (s->facets == NULL)
			s->rc = RD_ENOMEM;
	}
}

static void free_garbage(const auditor *a, garbage *g)
{
	while (g) {
		garbage *next = g->next;

		rd_document_free(g->doc);
		rd_report_free(g->report);
		free_facets(a, g->facets);
		free(g->id);
		free(g->error);
		free(g);
		g = next;
	}
}

static int wstate_init(wstate *w)
{
	memset(w, 0, sizeof *w);
	if (rd__checker_init(&w->checker) != RD_OK)
		return RD_ENOMEM;
	return rd__reparser_init(&w->parser);
}

static void wstate_free(wstate *w)
{
	size_t i;

	rd__checker_free(&w->checker);
	if (w->fxp)
		xmlXPathFreeContext(w->fxp);
	for (i = 0; i < w->nenv; i++)
		xmlFreeDoc(w->env[i]);
	rd__reparser_free(&w->parser);
	memset(w, 0, sizeof *w);
}

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)

/* Wake the calling thread if it waits for record t to be done. */
static void wake_main(auditor *a, uint64_t t)
{
	if (LOAD(&a->main_wait) == t + 1) {
		pthread_mutex_lock(&a->mu);
		pthread_cond_signal(&a->done);
		pthread_mutex_unlock(&a->mu);
	}
}

/* Claim the next queued slot, or NULL when there is none (lock-free: the calling thread
 * publishes slots by advancing tail, workers claim them by advancing next_take). */
static slot *claim(auditor *a, uint64_t *index)
{
	uint64_t t = LOAD(&a->next_take);

	while (t < LOAD(&a->tail)) {
		if (__atomic_compare_exchange_n(&a->next_take, &t, t + 1, 0, __ATOMIC_SEQ_CST,
		                                __ATOMIC_SEQ_CST)) {
			*index = t;
			return &a->ring[t % a->cap];
		}
	}
	return NULL;
}

static void *worker(void *arg)
{
	auditor *a = ((worker_arg *)arg)->a;
	int id = ((worker_arg *)arg)->id;
	wstate w;
	int ok = wstate_init(&w) == RD_OK;

	for (;;) {
		uint64_t t = 0;
		slot *s = claim(a, &t);

		free_garbage(a, __atomic_exchange_n(&a->bins[id], NULL, __ATOMIC_SEQ_CST));
		if (s == NULL) {
			/* sleep until records come (or the end): announce it, then look again, so
			 * that a record published meanwhile is never missed */
			pthread_mutex_lock(&a->mu);
			__atomic_add_fetch(&a->idle, 1, __ATOMIC_SEQ_CST);
			while (!LOAD(&a->stop) && LOAD(&a->next_take) == LOAD(&a->tail))
				pthread_cond_wait(&a->work, &a->mu);
			__atomic_sub_fetch(&a->idle, 1, __ATOMIC_SEQ_CST);
			pthread_mutex_unlock(&a->mu);
			if (LOAD(&a->stop) && LOAD(&a->next_take) == LOAD(&a->tail))
				break;
			continue;
		}
		s->worker = id;
		if (!ok)
			s->rc = RD_ENOMEM;
		else if (!LOAD(&a->cb_rc) && !LOAD(&a->fatal))
			process(a, s, &w);
		STORE(&s->state, SLOT_DONE);
		wake_main(a, t);
	}
	free_garbage(a, __atomic_exchange_n(&a->bins[id], NULL, __ATOMIC_SEQ_CST));
	wstate_free(&w);
	return NULL;
}

/* ---------------------------------------------------------------- the calling thread's part */

/* Hand a checked record to the callback. */
static void emit(auditor *a, slot *s)
{
	static const char *const none[1] = { NULL };
	rd_audit_record r;

	if (a->cb_rc || a->fatal)
		return;
	if (s->rc != RD_OK) {
		/* out of memory, or a record the reader accepted and the parser did not: the
		 * audit cannot go on */
		STORE(&a->fatal, s->rc);
		rd__error_set(s->rc, a->name, s->line, 0, "%s", s->error ? s->error : rd_status_name(s->rc));
		return;
	}
	memset(&r, 0, sizeof r);
	r.index = s->index;
	r.id = s->id;
	r.element = s->element;
	r.line = s->line;
	r.report = s->report;
	r.facets = s->facets ? (const char *const *)s->facets : none;
	r.nfacets = a->nfacets;
	r.document = s->doc;
	a->prog.records++;
	if (a->on_record) {
		a->stop_index = s->index;
		a->stop_line = s->line;
		STORE(&a->cb_rc, a->on_record(&r, a->payload));
	}
}

/* Free a record: the text here, what a worker made back to that worker. */
static void slot_clear(auditor *a, slot *s)
{
	garbage *g = NULL;

	/* s->text is one of texts[], kept for the next record */
	if (s->worker >= 0 && (s->doc || s->report || s->facets || s->id || s->error))
		g = malloc(sizeof *g);
	if (g) {
		g->doc = s->doc;
		g->report = s->report;
		g->facets = s->facets;
		g->id = s->id;
		g->error = s->error;
		/* push onto the worker's bin; only this thread pushes, the worker takes all */
		g->next = LOAD(&a->bins[s->worker]);
		while (!__atomic_compare_exchange_n(&a->bins[s->worker], &g->next, g, 0,
		                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			;
	} else {
		rd_document_free(s->doc);
		rd_report_free(s->report);
		free_facets(a, s->facets);
		free(s->id);
		free(s->error);
	}
	memset(s, 0, sizeof *s);
}

/* Check the next queued record in the calling thread (its memory is this thread's:
 * worker -1). 1 if it did one. */
static int help(auditor *a)
{
	uint64_t t = 0;
	slot *s;

	if (LOAD(&a->cb_rc) || LOAD(&a->fatal) || a->no_help)
		return 0;
	s = claim(a, &t);
	if (s == NULL)
		return 0;
	s->worker = -1;
	process(a, s, &a->inline_state);
	STORE(&s->state, SLOT_DONE);
	return 1;
}

/* Emit the done records at the head of the ring. wait: 0 only those already done; 1
 * until there is a free slot; 2 until the ring is empty. */
static void drain(auditor *a, int wait)
{
	while (a->head < a->tail) {
		slot *s = &a->ring[a->head % a->cap];
		slot taken;

		if (LOAD(&s->state) != SLOT_DONE) {
			uint64_t target = a->head;
			slot *ts;

			if (!(wait == 2 || (wait == 1 && a->tail - a->head == a->cap)))
				return;
			/* check a queued record rather than wait for the workers */
			if (help(a))
				continue;
			/* a full ring: wait for half of it, not for one record, so that the
			 * threads do not wake each other up for every record */
			if (wait == 1 &&
			    LOAD(&a->ring[(a->head + a->cap / 2 - 1) % a->cap].state) != SLOT_DONE)
				target = a->head + a->cap / 2 - 1;
			ts = &a->ring[target % a->cap];
			pthread_mutex_lock(&a->mu);
			STORE(&a->main_wait, target + 1);
			if (LOAD(&a->idle))
				pthread_cond_broadcast(&a->work); /* queued records must not wait */
			while (LOAD(&ts->state) != SLOT_DONE)
				pthread_cond_wait(&a->done, &a->mu);
			STORE(&a->main_wait, 0);
			pthread_mutex_unlock(&a->mu);
			continue; /* the head may still be in work */
		}
		taken = *s;
		memset(s, 0, sizeof *s); /* free for the next record: state SLOT_FREE */
		a->head++;
		emit(a, &taken);
		slot_clear(a, &taken);
		if (wait == 1)
			wait = 0; /* a slot is free now; emit the rest only if done */
	}
}

static int wrap_into(const auditor *a, uint64_t start, uint64_t end, char **buf, size_t *cap,
                     size_t *len);

/* The record that ends at input offset end: check it now (no threads) or queue it. */
static int push(auditor *a, uint64_t end)
{
	slot s;
	size_t k;

	memset(&s, 0, sizeof s);
	if (a->nthreads && a->tail - a->head == a->cap)
		drain(a, 1);
	k = a->nthreads ? (size_t)(a->tail % a->cap) : 0;
	if (wrap_into(a, a->rec_start, end, &a->texts[k], &a->textcaps[k], &s.len) < 0)
		return -1;
	s.text = a->texts[k];
	s.line = a->rec_line;
	s.index = a->nrecords++;
	s.worker = -1;
	if (a->nthreads == 0) {
		if (!a->cb_rc && !a->fatal) {
			process(a, &s, &a->inline_state);
			emit(a, &s);
		}
		slot_clear(a, &s);
		return 0;
	}
	s.state = SLOT_QUEUED;
	a->ring[a->tail % a->cap] = s;
	STORE(&a->tail, a->tail + 1); /* publishes the slot */
	/* wake an idle worker only once a few records wait: a wake-up per record costs more
	 * than it saves */
	if (LOAD(&a->idle) && a->tail - LOAD(&a->next_take) >= WAKE_BATCH) {
		pthread_mutex_lock(&a->mu);
		pthread_cond_signal(&a->work);
		pthread_mutex_unlock(&a->mu);
	}
	/* ahead of the workers: check one here too */
	if (a->tail - LOAD(&a->next_take) > a->help_above)
		help(a);
	if (a->tail - a->head >= a->cap / 2)
		drain(a, 0);
	return 0;
}

/* ---------------------------------------------------------------- reading */

static uint64_t input_offset(xmlParserCtxtPtr ctxt)
{
	if (ctxt->input == NULL)
		return 0;
	return (uint64_t)ctxt->input->consumed + (uint64_t)(ctxt->input->cur - ctxt->input->base);
}

/* The raw bytes at input offset off, or NULL when they are no longer (or not yet) kept. */
static const char *raw_at(const auditor *a, uint64_t off)
{
	if (off < a->raw_base || off > a->raw_base + a->raw_len)
		return NULL;
	return a->raw + (size_t)(off - a->raw_base);
}

/* Offset of the '<' that starts the tag the parser has just read (cur is at its end;
 * '<' cannot occur inside a tag: attribute values escape it). */
static int tag_start(const auditor *a, uint64_t *off, long *line)
{
	uint64_t end = input_offset(a->ctxt), o = end;
	const char *p;
	long nl = 0;

	while (o > a->raw_base) {
		o--;
		p = raw_at(a, o);
		if (p == NULL)
			break;
		if (*p == '<') {
			*off = o;
			*line = (a->ctxt->input ? a->ctxt->input->line : 0) - nl;
			return 0;
		}
		if (*p == '\n')
			nl++;
	}
	return -1;
}

static int carried(const auditor *a, const xmlChar *name)
{
	const char *p = a->carry;
	size_t n = (size_t)xmlStrlen(name);

	while (p && *p) {
		const char *e;

		while (*p == ' ')
			p++;
		e = p;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - p) == n && n && memcmp(p, name, n) == 0)
			return 1;
		p = e;
	}
	return 0;
}

static void attr_escape(rd_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': rd__buf_puts(b, "&amp;"); break;
		case '<': rd__buf_puts(b, "&lt;"); break;
		case '"': rd__buf_puts(b, "&quot;"); break;
		default: rd__buf_putc(b, *s);
		}
	}
}

/* The wrapper's start tag: every namespace declared by an open ancestor (the innermost
 * declaration of a prefix wins, which is the last on the stack). */
static int make_wrapper(auditor *a, unsigned int below_depth)
{
	rd_buf b;
	size_t i, j;

	rd__buf_init(&b);
	rd__buf_puts(&b, "<" WRAP_NAME);
	for (i = a->nns; i > 0; i--) {
		const ns_decl *d = &a->ns[i - 1];
		int shadowed = 0;

		if (d->depth >= below_depth)
			continue;
		for (j = i; j < a->nns; j++)
			if (a->ns[j].depth < below_depth &&
			    ((d->prefix == NULL && a->ns[j].prefix == NULL) ||
			     (d->prefix && a->ns[j].prefix && strcmp(d->prefix, a->ns[j].prefix) == 0)))
				shadowed = 1;
		if (shadowed)
			continue;
		rd__buf_puts(&b, d->prefix ? " xmlns:" : " xmlns");
		if (d->prefix)
			rd__buf_puts(&b, d->prefix);
		rd__buf_puts(&b, "=\"");
		attr_escape(&b, d->uri);
		rd__buf_putc(&b, '"');
	}
	rd__buf_putc(&b, '>');
	if (b.oom) {
		rd__buf_free(&b);
		return -1;
	}
	free(a->wrap_open);
	a->wrap_len = b.len;
	a->wrap_open = rd__buf_take(&b, NULL);
	return a->wrap_open ? 0 : -1;
}

/* Whether the XML declaration at the start of data says the file is in ASCII, which is
 * UTF-8 too: such a file is read as UTF-8, byte for byte, so that the offsets of the
 * records stay those of the file. */
static int declares_ascii(const char *data, size_t len)
{
	const char *end, *p, *q;
	char quote;

	if (len < 6 || memcmp(data, "<?xml", 5) != 0)
		return 0;
	end = memchr(data, '>', len);
	if (end == NULL)
		return 0;
	for (p = data + 5; p + 8 < end && memcmp(p, "encoding", 8) != 0; p++)
		;
	if (p + 8 >= end)
		return 0;
	for (p += 8; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '='); p++)
		;
	if (p >= end || (*p != '"' && *p != '\''))
		return 0;
	quote = *p++;
	q = memchr(p, quote, (size_t)(end - p));
	if (q == NULL)
		return 0;
	return ((size_t)(q - p) == 8 && strncasecmp(p, "US-ASCII", 8) == 0) ||
	       ((size_t)(q - p) == 5 && strncasecmp(p, "ASCII", 5) == 0);
}

/* The text of input [start, end) wrapped (the namespaces in scope declared around it),
 * written into *buf of *cap bytes, which grows as needed (and shrinks after a record far
 * larger than the rest). 0, or -1 when out of memory. */
static int wrap_into(const auditor *a, uint64_t start, uint64_t end, char **buf, size_t *cap,
                     size_t *len)
{
	static const char close[] = "</" WRAP_NAME ">";
	const char *p = raw_at(a, start);
	size_t n = (size_t)(end - start), need;

	if (p == NULL || raw_at(a, end) == NULL)
		return -1;
	need = a->wrap_len + n + sizeof close;
	/* grow; or shrink after a record far larger than this one, so that the slots do not
	 * each keep the largest record's memory for the rest of the audit */
	if (need > *cap || (*cap > 64 * 1024 && need < *cap / 4)) {
		size_t c = need < 4096 ? 4096 : need + need / 4;
		char *t = realloc(*buf, c);

		if (t == NULL && need > *cap)
			return -1;
		if (t != NULL) {
			*buf = t;
			*cap = c;
		}
	}
	memcpy(*buf, a->wrap_open, a->wrap_len);
	memcpy(*buf + a->wrap_len, p, n);
	memcpy(*buf + a->wrap_len + n, close, sizeof close);
	*len = need - 1;
	return 0;
}

/* The same in memory of its own (for the envelope), or NULL. */
static char *wrapped(const auditor *a, uint64_t start, uint64_t end, size_t *len)
{
	char *t = NULL;
	size_t cap = 0;

	if (wrap_into(a, start, end, &t, &cap, len) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

static void fail(auditor *a, int code, const char *what)
{
	STORE(&a->fatal, code);
	rd__xml_refuse(a->ctxt, &a->ld, code, "%s", what);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	auditor *a = ctxt->_private;
	unsigned int depth = ++a->ld.depth;
	int i;

	RD_UNUSED(prefix);
	RD_UNUSED(nb_attributes);
	RD_UNUSED(nb_defaulted);
	RD_UNUSED(attributes);
	if (a->ld.code != RD_OK)
		return;
	if (depth > a->lim.max_depth) {
		rd__xml_refuse(ctxt, &a->ld, RD_ELIMIT, "elements nested deeper than the limit of %u",
		               a->lim.max_depth);
		return;
	}
	if (rd__grow(&a->open, &a->capopen, depth - 1, sizeof *a->open) < 0) {
		fail(a, RD_ENOMEM, "out of memory");
		return;
	}
	a->open[depth - 1].name = localname;
	a->open[depth - 1].line = ctxt->input ? ctxt->input->line : 0;
	if (!a->root_seen) {
		a->root_seen = 1;
		/* offsets are of the bytes read: the input must not be transcoded */
		if (ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder) {
			rd__xml_refuse(ctxt, &a->ld, RD_EUNSUPPORTED,
			               "the file is not in UTF-8 (it declares '%s'): an audit reads UTF-8; "
			               "convert it first (iconv -t UTF-8)",
			               ctxt->encoding ? (const char *)ctxt->encoding : "another encoding");
			return;
		}
		if (uri && xmlStrEqual(uri, (const xmlChar *)RD_NS_DOC) &&
		    xmlStrEqual(localname, (const xmlChar *)"submission")) {
			a->record_name = "booking";
			/* a booking without an agency of its own is the submission's agency's,
			 * whatever the records are */
			if (a->opts->carry == NULL && (a->carry = rd__strdup("agency")) == NULL) {
				fail(a, RD_ENOMEM, "out of memory");
				return;
			}
		}
		if (a->opts->record && a->opts->record[0])
			a->record_name = a->opts->record;
	}
	/* namespace declarations outside records: what a record's wrapper declares */
	if (a->rec_depth == 0 && nb_namespaces > 0) {
		for (i = 0; i < nb_namespaces; i++) {
			ns_decl *d;

			if (rd__grow(&a->ns, &a->capns, a->nns, sizeof *a->ns) < 0) {
				fail(a, RD_ENOMEM, "out of memory");
				return;
			}
			d = &a->ns[a->nns];
			d->prefix = namespaces[2 * i] ? rd__strdup((const char *)namespaces[2 * i]) : NULL;
			d->uri = rd__strdup(namespaces[2 * i + 1] ? (const char *)namespaces[2 * i + 1] : "");
			d->depth = depth;
			if ((namespaces[2 * i] && d->prefix == NULL) || d->uri == NULL) {
				free(d->prefix);
				free(d->uri);
				fail(a, RD_ENOMEM, "out of memory");
				return;
			}
			a->nns++;
		}
		free(a->wrap_open);
		a->wrap_open = NULL;
	}
	if (a->rec_depth == 0 && a->env_depth == 0 &&
	    (a->record_name ? xmlStrEqual(localname, (const xmlChar *)a->record_name) : depth == 2)) {
		if (tag_start(a, &a->rec_start, &a->rec_line) < 0) {
			fail(a, RD_ERROR, "internal error: the start of a record was not kept");
			return;
		}
		a->rec_depth = depth;
		if (a->wrap_open == NULL && make_wrapper(a, depth) < 0)
			fail(a, RD_ENOMEM, "out of memory");
	} else if (a->rec_depth == 0 && a->env_depth == 0 && depth == 2 && a->carry &&
	           carried(a, localname) && a->nenvelope < MAX_ENVELOPE) {
		if (tag_start(a, &a->env_start, &a->env_line) < 0) {
			fail(a, RD_ERROR, "internal error: the start of an element was not kept");
			return;
		}
		a->env_depth = depth;
	} else if (a->rec_depth && input_offset(ctxt) - a->rec_start > a->lim.max_bytes) {
		rd__xml_refuse(ctxt, &a->ld, RD_ELIMIT,
		               "the record that starts at line %ld is larger than the limit of %zu bytes",
		               a->rec_line, a->lim.max_bytes);
	}
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	auditor *a = ctxt->_private;
	unsigned int depth = a->ld.depth;
	int rc;

	RD_UNUSED(localname);
	RD_UNUSED(prefix);
	RD_UNUSED(uri);
	if (a->ld.depth)
		a->ld.depth--;
	if (a->ld.code != RD_OK)
		return;
	if (a->rec_depth && depth == a->rec_depth) {
		uint64_t end = input_offset(ctxt);

		a->rec_depth = 0;
		if (end - a->rec_start > a->lim.max_bytes) {
			rd__xml_refuse(ctxt, &a->ld, RD_ELIMIT,
			               "the record that starts at line %ld is larger than the limit of %zu bytes",
			               a->rec_line, a->lim.max_bytes);
			return;
		}
		if (a->wrap_open == NULL && make_wrapper(a, depth) < 0) {
			fail(a, RD_ENOMEM, "out of memory");
			return;
		}
		/* records are checked and handed to the caller from here: with the thread's
		 * own error handlers, not the parse's trap */
		rd__xml_trap_pause(a->trap);
		rc = push(a, end);
		rd__xml_trap_resume(a->trap);
		if (rc < 0) {
			fail(a, RD_ENOMEM, "out of memory");
			return;
		}
	} else if (a->env_depth && depth == a->env_depth) {
		envelope *e = &a->envelope[a->nenvelope];
		uint64_t end = input_offset(ctxt);

		a->env_depth = 0;
		if (end - a->env_start > 1024 * 1024)
			return; /* not an envelope worth copying into every record */
		if (a->wrap_open == NULL && make_wrapper(a, depth) < 0) {
			fail(a, RD_ENOMEM, "out of memory");
			return;
		}
		e->text = wrapped(a, a->env_start, end, &e->len);
		e->name = rd__strdup((const char *)localname);
		e->line = a->env_line;
		if (e->text == NULL || e->name == NULL) {
			free(e->text);
			free(e->name);
			fail(a, RD_ENOMEM, "out of memory");
			return;
		}
		a->nenvelope++;
	}
	/* the declarations of the element that ends go out of scope */
	if (a->rec_depth == 0) {
		int changed = 0;

		while (a->nns && a->ns[a->nns - 1].depth >= depth) {
			a->nns--;
			free(a->ns[a->nns].prefix);
			free(a->ns[a->nns].uri);
			changed = 1;
		}
		if (changed) {
			free(a->wrap_open);
			a->wrap_open = NULL;
		}
	}
}

/* Keep the bytes read from the first one a record or envelope element may still need. */
static int raw_append(auditor *a, const char *data, size_t n)
{
	uint64_t keep = input_offset(a->ctxt);

	if (a->rec_depth && a->rec_start < keep)
		keep = a->rec_start;
	if (a->env_depth && a->env_start < keep)
		keep = a->env_start;
	if (keep > a->raw_base) {
		size_t drop = (size_t)(keep - a->raw_base);

		if (drop > a->raw_len)
			drop = a->raw_len;
		if (drop && a->raw_len > drop)
			memmove(a->raw, a->raw + drop, a->raw_len - drop);
		a->raw_len -= drop;
		a->raw_base += drop;
	}
	if (n == 0)
		return 0;
	if (a->raw_len + n > a->raw_cap) {
		size_t cap = a->raw_cap ? a->raw_cap : CHUNK * 2;
		char *p;

		while (cap < a->raw_len + n)
			cap *= 2;
		p = realloc(a->raw, cap);
		if (p == NULL)
			return -1;
		a->raw = p;
		a->raw_cap = cap;
	}
	memcpy(a->raw + a->raw_len, data, n);
	a->raw_len += n;
	return 0;
}

/* ---------------------------------------------------------------- the audit */

typedef struct source {
	int fd;               /* or -1 */
	const unsigned char *data;
	size_t len;
	uint64_t total;       /* the size when known, else 0 */
} source;

static int read_some(const source *src, size_t *off, char *buf, size_t cap, ssize_t *got)
{
	if (src->fd < 0) {
		size_t n = src->len - *off < cap ? src->len - *off : cap;

		memcpy(buf, src->data + *off, n);
		*off += n;
		*got = (ssize_t)n;
		return 0;
	}
	for (;;) {
		ssize_t n = read(src->fd, buf, cap);

		if (n < 0 && errno == EINTR)
			continue;
		*got = n;
		return n < 0 ? -1 : 0;
	}
}

static unsigned int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned int)n;
}

/* Check the options once, on a tiny document, before reading anything. */
static int probe(auditor *a)
{
	rd_document *d = NULL;
	rd_report *r = NULL;
	int rc;

	rc = rd_document_load_memory(&d, "<probe/>", 8, a->name, NULL);
	if (rc == RD_OK)
		rc = rd_check(&r, a->rules, d, &a->check);
	rd_report_free(r);
	rd_document_free(d);
	return rc;
}

static int compile_facets(auditor *a)
{
	size_t i;

	if (a->opts->nfacets == 0)
		return RD_OK;
	a->facets = rd__calloc(a->opts->nfacets, sizeof *a->facets);
	if (a->facets == NULL)
		return rd__error_oom();
	a->nfacets = a->opts->nfacets;
	for (i = 0; i < a->nfacets; i++) {
		const char *src = a->opts->facets[i];
		xmlXPathContextPtr xp = xmlXPathNewContext(NULL);

		if (xp == NULL)
			return rd__error_oom();
		xp->error = quiet_error;
		a->facets[i] = src ? xmlXPathCtxtCompile(xp, (const xmlChar *)src) : NULL;
		xmlXPathFreeContext(xp);
		if (a->facets[i] == NULL)
			return rd__error_set(RD_ERULES, NULL, 0, 0,
			                     "facet %zu ('%s') is not an XPath 1.0 expression", i + 1,
			                     src ? src : "(null)");
	}
	return RD_OK;
}

/* libxml2's push parser says "Extra content at the end of the document" of a file that
 * ends before its root element does (or before it has one): say what happened. */
static void explain_early_end(auditor *a)
{
	const xmlError *e = xmlCtxtGetLastError(a->ctxt);
	xmlParserInputPtr in = a->ctxt->input;

	if ((a->ld.code != RD_OK && a->ld.code != RD_EPARSE) || a->fatal || a->cb_rc || e == NULL ||
	    e->code != XML_ERR_DOCUMENT_END || (a->root_seen && a->ld.depth == 0))
		return;
	a->ld.code = RD_EPARSE;
	a->ld.line = in ? in->line : 1;
	a->ld.column = in ? in->col : 1;
	if (!a->root_seen && a->prog.bytes_read == 0) {
		a->ld.line = a->ld.column = 1;
		snprintf(a->ld.msg, sizeof a->ld.msg, "empty input: no XML document");
	} else if (!a->root_seen) {
		snprintf(a->ld.msg, sizeof a->ld.msg, "the file ends before its root element");
	} else {
		const open_elem *o = &a->open[a->ld.depth - 1];

		snprintf(a->ld.msg, sizeof a->ld.msg,
		         "premature end of data: the file ends inside element '%s' opened at line %ld%s",
		         (const char *)o->name, o->line,
		         a->ld.depth > 1 ? " (the file is cut short or its end tags are missing)" : "");
	}
}

/* Check the caller's arguments; make the auditor, with its options, limits, carried
 * names and facets, and try the check options once (probe()). */
static int audit_new(auditor **out, const rd_rules *rules, const source *src, const char *name,
                     const rd_audit_options *opts, rd_audit_record_fn on_record,
                     rd_audit_progress_fn on_progress, void *payload)
{
	auditor *a;
	rd_load_options lo = RD_LOAD_OPTIONS_INIT;
	int rc;

	*out = NULL;
	if (rules == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_audit: rules must not be NULL");
	RD__CHECK_OPTIONS("rd_audit", rd_audit_options, RD_AUDIT_OPTIONS_VERSION, opts);
	RD__CHECK_OPTIONS("rd_audit", rd_check_options, RD_CHECK_OPTIONS_VERSION, &opts->check);
	if (opts->nfacets && opts->facets == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_audit: nfacets without facets");
	a = rd__calloc(1, sizeof *a);
	if (a == NULL)
		return rd__error_oom();
	*out = a;
	a->rules = rules;
	a->opts = opts;
	a->check = opts->check;
	a->name = name;
	a->on_record = on_record;
	a->on_progress = on_progress;
	a->payload = payload;
	a->prog.version = RD_AUDIT_PROGRESS_VERSION;
	a->prog.bytes_total = src->fd < 0 ? src->len : src->total;
	lo.max_bytes = opts->max_record_bytes;
	lo.max_depth = opts->max_depth;
	rd__limits_from(&a->lim, &lo);
	a->ld.lim = &a->lim;
	a->ld.name = name;
	a->ld.code = RD_OK;
	if (opts->carry && (a->carry = rd__strdup(opts->carry)) == NULL)
		return rd__error_oom();
	if ((rc = probe(a)) != RD_OK)
		return rc;
	return compile_facets(a);
}

/* The lock, the texts of the records, and with more than one job the ring and jobs - 1
 * workers: the calling thread, which reads the file and hands the results on in order,
 * checks records too when it is ahead (help()). */
static int start_threads(auditor *a, unsigned int jobs)
{
	size_t i, ntexts = jobs > 1 ? (size_t)jobs * RING_PER_JOB : 1;

	if (pthread_mutex_init(&a->mu, NULL) != 0)
		return rd__error_oom();
	if (pthread_cond_init(&a->work, NULL) != 0) {
		pthread_mutex_destroy(&a->mu);
		return rd__error_oom();
	}
	if (pthread_cond_init(&a->done, NULL) != 0) {
		pthread_cond_destroy(&a->work);
		pthread_mutex_destroy(&a->mu);
		return rd__error_oom();
	}
	a->sync_ok = 1;
	if (wstate_init(&a->inline_state) != RD_OK)
		return rd__error_oom();
	a->texts = rd__calloc(ntexts, sizeof *a->texts);
	a->textcaps = rd__calloc(ntexts, sizeof *a->textcaps);
	if (a->texts == NULL || a->textcaps == NULL)
		return rd__error_oom();
	if (jobs <= 1)
		return RD_OK;
	a->cap = ntexts;
	a->ring = rd__calloc(a->cap, sizeof *a->ring);
	if (a->ring == NULL)
		return rd__error_oom();
	a->threads_started = 1;
	for (i = 0; i + 1 < jobs; i++) {
		a->wargs[i].a = a;
		a->wargs[i].id = (int)i;
		if (pthread_create(&a->threads[i], NULL, worker, &a->wargs[i]) != 0)
			break;
		a->nthreads++;
	}
	a->help_above = 2 * (size_t)a->nthreads + 2;
	if (a->nthreads == 0)
		return rd__error_set(RD_ERROR, NULL, 0, 0, "rd_audit: cannot start a thread");
	return RD_OK;
}

/* The push parser, in the secure loader's configuration, that builds no tree: its
 * handlers only follow the structure. */
static int open_stream(auditor *a)
{
	a->ctxt = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, a->name);
	if (a->ctxt == NULL)
		return rd__error_oom();
	rd__xml_secure(a->ctxt, &a->ld);
	a->ctxt->_private = a;
	a->ctxt->sax->startElementNs = on_start;
	a->ctxt->sax->endElementNs = on_end;
	a->ctxt->sax->characters = NULL;
	a->ctxt->sax->ignorableWhitespace = NULL;
	a->ctxt->sax->cdataBlock = NULL;
	a->ctxt->sax->comment = NULL;
	a->ctxt->sax->processingInstruction = NULL;
	a->ctxt->sax->reference = NULL;
	return RD_OK;
}

/* Read the input block by block into the parser until its end, a fault, or a stop; then
 * hand on every record read before it. Returns the audit's status. */
static int read_stream(auditor *a, const source *src)
{
	rd_xml_trap trap;
	char *buf;
	size_t off = 0;
	int rc = RD_OK, at_eof = 0;

	buf = malloc(CHUNK);
	if (buf == NULL)
		return rd__error_oom();
	a->trap = &trap;
	for (;;) {
		ssize_t got = 0;

		if (read_some(src, &off, buf, CHUNK, &got) < 0) {
			rc = rd__error_set(RD_EIO, a->name, 0, 0, "%s: cannot read: %s", a->name,
			                   strerror(errno));
			break;
		}
		if (raw_append(a, buf, (size_t)got) < 0) {
			rc = rd__error_oom();
			break;
		}
		if (a->prog.bytes_read == 0 && declares_ascii(buf, (size_t)got))
			a->ctxt->options |= XML_PARSE_IGNORE_ENC;
		a->prog.bytes_read += (uint64_t)got;
		/* libxml2's messages without a parser context (an encoding error) are the
		 * audit's error, not lines on stderr; the trap is this thread's, for the parse
		 * alone (the callbacks run outside it) */
		rd__xml_trap_begin(&trap, a->ctxt, &a->ld);
		xmlParseChunk(a->ctxt, buf, (int)got, got == 0);
		rd__xml_trap_end(&trap);
		if (a->on_progress)
			a->on_progress(&a->prog, a->payload);
		if (got == 0)
			at_eof = 1;
		if (got == 0 || a->ld.code != RD_OK || a->ctxt->disableSAX || a->cb_rc || a->fatal)
			break;
	}
	a->trap = NULL;
	free(buf);
	if (at_eof)
		explain_early_end(a);
	/* everything read before a fault is reported (by the workers alone after a read
	 * error, whose message checking a record here could replace) */
	if (rc != RD_OK)
		a->no_help = 1;
	if (a->threads_started)
		drain(a, 2);
	if (rc != RD_OK)
		return rc; /* already set: a read error */
	if (a->cb_rc)
		return rd__error_set(RD_ESTOPPED, a->name, a->stop_line, 0,
		                     "%s:%ld: the record callback stopped the audit after record %" PRIu64
		                     " (it returned %d)",
		                     a->name, a->stop_line, a->stop_index + 1, a->cb_rc);
	if (a->fatal && a->ld.code == RD_OK)
		return a->fatal; /* set by emit() */
	rc = rd__xml_finish_error(&a->ld, a->ctxt);
	if (rc == RD_OK && !a->root_seen)
		rc = rd__error_set(RD_EPARSE, a->name, 1, 1, "%s:1:1: empty input: no XML document",
		                   a->name);
	return rc;
}

/* Stop the workers and wait for them; drop the records left after a stop. */
static void stop_threads(auditor *a)
{
	size_t i;

	if (!a->threads_started)
		return;
	pthread_mutex_lock(&a->mu);
	STORE(&a->stop, 1);
	pthread_cond_broadcast(&a->work);
	pthread_mutex_unlock(&a->mu);
	for (i = 0; i < a->nthreads; i++)
		pthread_join(a->threads[i], NULL);
	for (; a->head < a->tail; a->head++) {
		slot *s = &a->ring[a->head % a->cap];

		s->worker = -1;
		slot_clear(a, s);
	}
	for (i = 0; i < a->nthreads; i++)
		free_garbage(a, a->bins[i]);
}

static void audit_free(auditor *a)
{
	size_t i;

	if (a == NULL)
		return;
	if (a->sync_ok) {
		pthread_cond_destroy(&a->done);
		pthread_cond_destroy(&a->work);
		pthread_mutex_destroy(&a->mu);
	}
	if (a->ctxt) {
		xmlFreeDoc(a->ctxt->myDoc);
		a->ctxt->myDoc = NULL;
		xmlFreeParserCtxt(a->ctxt);
	}
	wstate_free(&a->inline_state);
	for (i = 0; i < a->nfacets; i++)
		xmlXPathFreeCompExpr(a->facets[i]);
	free(a->facets);
	for (i = 0; i < a->nenvelope; i++) {
		free(a->envelope[i].text);
		free(a->envelope[i].name);
	}
	for (i = 0; i < a->nns; i++) {
		free(a->ns[i].prefix);
		free(a->ns[i].uri);
	}
	free(a->ns);
	free(a->open);
	free(a->wrap_open);
	free(a->raw);
	if (a->texts)
		for (i = 0; i < (a->cap ? a->cap : 1); i++)
			free(a->texts[i]);
	free(a->texts);
	free(a->textcaps);
	free(a->ring);
	free(a->carry);
	free(a);
}

static int run(const rd_rules *rules, const source *src, const char *name,
               const rd_audit_options *opts, rd_audit_record_fn on_record,
               rd_audit_progress_fn on_progress, void *payload, rd_audit_progress *stats)
{
	rd_audit_options defaults = RD_AUDIT_OPTIONS_INIT;
	unsigned int jobs;
	auditor *a = NULL;
	int rc;

	rd__init();
	if (stats) {
		if (stats->version != RD_AUDIT_PROGRESS_VERSION)
			return rd__error_set(RD_EINVAL, NULL, 0, 0,
			                     "rd_audit: rd_audit_progress version %u is not supported "
			                     "(this library writes version %u; initialise the struct "
			                     "with RD_AUDIT_PROGRESS_INIT)",
			                     stats->version, RD_AUDIT_PROGRESS_VERSION);
		stats->bytes_read = stats->bytes_total = stats->records = 0;
	}
	if (opts == NULL)
		opts = &defaults;
	rc = audit_new(&a, rules, src, name, opts, on_record, on_progress, payload);
	if (rc == RD_OK) {
		jobs = opts->jobs ? opts->jobs : cores();
		rc = start_threads(a, jobs > MAX_JOBS ? MAX_JOBS : jobs);
	}
	if (rc == RD_OK)
		rc = open_stream(a);
	if (rc == RD_OK)
		rc = read_stream(a, src);
	if (a != NULL) {
		stop_threads(a);
		if (stats)
			*stats = a->prog;
		audit_free(a);
	}
	return rc;
}

int rd_audit_fd(const rd_rules *rules, int fd, const char *name, const rd_audit_options *opts,
                rd_audit_record_fn on_record, rd_audit_progress_fn on_progress, void *payload,
                rd_audit_progress *stats)
{
	source src = { fd, NULL, 0, 0 };
	struct stat st;
	int rc;

	rd__init();
	if (fd < 0)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_audit_fd: bad file descriptor");
	if (name == NULL)
		name = "<stream>";
	/* /dev/zero as standard input: refused before a byte is read */
	rc = rd__fd_check_kind(fd, name);
	if (rc != RD_OK)
		return rc;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		src.total = (uint64_t)st.st_size;
	return run(rules, &src, name, opts, on_record, on_progress, payload, stats);
}

int rd_audit_memory(const rd_rules *rules, const void *data, size_t len, const char *name,
                    const rd_audit_options *opts, rd_audit_record_fn on_record,
                    rd_audit_progress_fn on_progress, void *payload, rd_audit_progress *stats)
{
	source src = { -1, data, len, 0 };

	if (data == NULL && len)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_audit_memory: data is NULL");
	return run(rules, &src, name ? name : "<memory>", opts, on_record, on_progress, payload,
	           stats);
}

int rd_audit_file(const rd_rules *rules, const char *path, const rd_audit_options *opts,
                  rd_audit_record_fn on_record, rd_audit_progress_fn on_progress, void *payload,
                  rd_audit_progress *stats)
{
	struct stat st;
	int fd, rc;

	if (path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_audit_file: path is NULL");
	if (strcmp(path, "-") == 0)
		return rd_audit_fd(rules, 0, "<stdin>", opts, on_record, on_progress, payload, stats);
	/* only a regular file or a pipe: a device or a directory is refused at once */
	rd__init();
	rc = rd__file_open(path, &fd);
	if (rc != RD_OK)
		return rc;
	{
		source src = { fd, NULL, 0, 0 };

		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			src.total = (uint64_t)st.st_size;
		rc = run(rules, &src, path, opts, on_record, on_progress, payload, stats);
	}
	close(fd);
	return rc;
}
