#include "apply.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* A message is at most 65535 octets (RFC 1035 4.2.2, the TCP length
 * field); update_to_wire keeps APPLY_TSIG_ROOM of it for the TSIG RR and
 * refuses to encode more than the rest. */
#define APPLY_MSG_MAX	65535
#define APPLY_TSIG_ROOM	600
#define APPLY_ENC_MAX	(APPLY_MSG_MAX - APPLY_TSIG_ROOM)
/* Above this a request goes over TCP from the start: a larger datagram is
 * fragmented, and fragments get lost (DNS flag day 2020). */
#define APPLY_UDP_MAX	1232
/* Rounds of "encode, then fill the room left" per batch. */
#define APPLY_FIT_ROUNDS 2

#define PAUSE_ENV	"ROLLCALL_TEST_PAUSE_FILE"
#define PAUSE_POLL_MS	20
#define PAUSE_MAX_MS	30000

/*
 * Prerequisites seen in a batch, by owner and type.  RFC 2136 3.2.5
 * compares the value-dependent prerequisites of one name and type with the
 * RRset as a whole, so two actions that state different things about one
 * RRset must not share an UPDATE (the union would be a third statement),
 * and two that state the same thing must state it once.  Open addressing;
 * an entry is current only when its generation is.
 */
struct pkey {
	const char	*owner;		/* NULL: free slot */
	uint16_t	 type;
	size_t		 act;		/* plan index of the first stating it */
	unsigned	 gen;
};

struct pkeys {
	struct pkey	*slots;
	size_t		 size;		/* power of two, > twice the keys */
	unsigned	 gen;
};

/* One zone's actions on their way out. */
struct run {
	struct dns_client	*c;
	const struct plan	*p;
	size_t			*idx;	/* plan indices, in plan order */
	size_t			*cost;	/* per plan index: octets it adds */
	bool			*brk;	/* idx[k] may not join idx[k - 1] */
	size_t			 n;
	struct pkeys		 keys;
	bool			 dry_run;
	FILE			*out;
	struct apply_stats	*st;
	bool			*paused;
	struct error		*refused;	/* the first action refused */
	int			*refused_rcode;	/* its rcode; 0: none yet */
};

static bool
is_prereq(enum op_kind k)
{
	return k == OP_NXRRSET || k == OP_YXRRSET_VAL;
}

static uint32_t
pkey_hash(const char *owner, uint16_t type)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *owner != '\0'; owner++) {
		h ^= (uint8_t)tolower((unsigned char)*owner);
		h *= 16777619u;
	}
	h ^= type;
	return h * 16777619u;
}

static int
pkeys_init(struct pkeys *k, size_t nkeys)
{
	k->size = 16;
	while (k->size < 2 * nkeys + 1)
		k->size *= 2;
	k->gen = 0;
	k->slots = calloc(k->size, sizeof(*k->slots));
	return k->slots == NULL ? -1 : 0;
}

/* The slot of owner/type: its entry (of any generation) or a free one.
 * Each key ever seen keeps one slot, so a stale entry is reused in place. */
static struct pkey *
pkeys_slot(struct pkeys *k, const char *owner, uint16_t type)
{
	size_t i = pkey_hash(owner, type) & (k->size - 1);

	while (k->slots[i].owner != NULL && (k->slots[i].type != type ||
	    strcasecmp(k->slots[i].owner, owner) != 0))
		i = (i + 1) & (k->size - 1);
	return &k->slots[i];
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Whether a and b state the same prerequisite on owner/type. */
static bool
same_prereq(const struct update *a, const struct update *b,
    const char *owner, uint16_t type)
{
	size_t i, j, na = 0, nb = 0;
	bool found;

	for (i = 0; i < a->nops; i++) {
		const struct op *x = &a->ops[i];

		if (!is_prereq(x->kind) || x->type != type ||
		    strcasecmp(x->owner, owner) != 0)
			continue;
		na++;
		found = false;
		for (j = 0; j < b->nops && !found; j++)
			found = b->ops[j].kind == x->kind &&
			    b->ops[j].type == type &&
			    strcasecmp(b->ops[j].owner, owner) == 0 &&
			    str_eq(b->ops[j].rdata, x->rdata);
		if (!found)
			return false;
	}
	for (j = 0; j < b->nops; j++)
		nb += is_prereq(b->ops[j].kind) && b->ops[j].type == type &&
		    strcasecmp(b->ops[j].owner, owner) == 0;
	return na == nb;
}

static const char *
verb(enum action_kind k)
{
	switch (k) {
	case ACT_EXPIRE:	return "expire";
	case ACT_REPAIR:	return "repair";
	case ACT_ALIAS:		return "update";
	}
	return "apply";
}

/* Octets of a name on the wire, uncompressed (RFC 1035 3.1). */
static size_t
name_wire_len(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || strcmp(s, ".") == 0)
		return 1;
	return n + (s[n - 1] == '.' ? 1 : 2);
}

/* Size of the TSIG RR client_update appends (RFC 8945 4.2), other data
 * empty; 0 when unsigned. */
static size_t
tsig_rr_len(const struct tsig_key *key)
{
	const char *alg;

	if (key == NULL)
		return 0;
	alg = key->alg == TSIG_HMAC_MD5 ? "hmac-md5.sig-alg.reg.int." :
	    tsig_alg_name(key->alg);
	/* owner, type/class/TTL/rdlength; algorithm, time signed (6),
	 * fudge, MAC size, MAC, original ID, error, other length */
	return name_wire_len(key->name) + 10 + name_wire_len(alg) + 6 + 2 +
	    2 + tsig_mac_size(key->alg) + 2 + 2 + 2;
}

/* Length of u encoded, or 0 when it cannot be encoded (too large for a
 * message, bad data), the reason then in *why if not NULL.  -1 only when
 * out of memory, with err. */
static int
encoded_len(const struct update *u, size_t *len, struct error *why,
    struct error *err)
{
	uint8_t *wire = NULL;
	size_t cap;
	struct error e;

	memset(&e, 0, sizeof(e));
	if (update_to_wire(u, 0, &wire, len, &cap, &e) == -1) {
		*len = 0;
		if (e.kind == ERR_SYS)
			return err_set(err, ERR_SYS, "%s", e.msg);
		if (why != NULL)
			*why = e;
		return 0;
	}
	free(wire);
	return 0;
}

/* Append to *m the prerequisites (or the changes) of idx[lo, hi), in
 * order, each prerequisite stated once (the batch is conflict-free). */
static int
merge_ops(struct run *r, size_t lo, size_t hi, bool prereqs,
    struct update *m)
{
	size_t k, i;

	for (k = lo; k < hi; k++) {
		const struct update *u = &r->p->acts[r->idx[k]].u;

		for (i = 0; i < u->nops; i++) {
			const struct op *op = &u->ops[i];
			struct pkey *s;

			if (is_prereq(op->kind) != prereqs)
				continue;
			if (prereqs) {
				s = pkeys_slot(&r->keys, op->owner, op->type);
				if (s->owner != NULL && s->gen == r->keys.gen &&
				    s->act != r->idx[k])
					continue;
				s->owner = op->owner;
				s->type = op->type;
				s->act = r->idx[k];
				s->gen = r->keys.gen;
			}
			if (update_add(m, op->kind, op->owner, op->type,
			    op->ttl, op->rdata) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * Merge the actions idx[lo, hi) into one UPDATE *m.  Prerequisites come
 * first, as on the wire (RFC 2136 3.2: all are checked before any change
 * is made), so that a printed script reads the way the server works.
 */
static int
merge(struct run *r, size_t lo, size_t hi, struct update *m)
{
	const struct action *first = &r->p->acts[r->idx[lo]];

	update_init(m, first->zone, first->u.lease);
	r->keys.gen++;
	if (merge_ops(r, lo, hi, true, m) == -1 ||
	    merge_ops(r, lo, hi, false, m) == -1) {
		update_clean(m);
		return -1;
	}
	return 0;
}

/* Mark where a batch must end: a different Update Lease, or a
 * prerequisite that contradicts one earlier in the same run of actions. */
static void
find_breaks(struct run *r)
{
	uint32_t lease = 0;
	size_t k, i;

	for (k = 0; k < r->n; k++) {
		const struct update *u = &r->p->acts[r->idx[k]].u;
		bool brk = k > 0 && u->lease != lease;

		for (i = 0; i < u->nops && !brk; i++) {
			const struct op *op = &u->ops[i];
			struct pkey *s;

			if (!is_prereq(op->kind))
				continue;
			s = pkeys_slot(&r->keys, op->owner, op->type);
			brk = s->owner != NULL && s->gen == r->keys.gen &&
			    s->act != r->idx[k] &&
			    !same_prereq(&r->p->acts[s->act].u, u, op->owner,
			    op->type);
		}
		if (brk || k == 0) {
			r->keys.gen++;
			lease = u->lease;
		}
		r->brk[k] = brk;
		for (i = 0; i < u->nops; i++) {
			const struct op *op = &u->ops[i];
			struct pkey *s;

			if (!is_prereq(op->kind))
				continue;
			s = pkeys_slot(&r->keys, op->owner, op->type);
			if (s->owner != NULL && s->gen == r->keys.gen)
				continue;
			s->owner = op->owner;
			s->type = op->type;
			s->act = r->idx[k];
			s->gen = r->keys.gen;
		}
	}
}

/*
 * The largest batch idx[i, j) (j <= end) that encodes within the limit,
 * merged into *m with its length in *len.  Sizes first come from each
 * action's own encoding (what it adds to an empty UPDATE); the merged
 * encoding is then measured, since name compression across actions makes
 * it smaller (or, past the 16 KiB reach of a compression pointer, larger).
 */
static int
fit(struct run *r, size_t i, size_t end, size_t base, size_t *jp,
    struct update *m, size_t *len, struct error *err)
{
	size_t j = i + 1, good = 0, goodlen = 0, est = base, room, round;

	est += r->cost[r->idx[i]];
	while (j < end && est + r->cost[r->idx[j]] <= APPLY_ENC_MAX)
		est += r->cost[r->idx[j++]];
	for (round = 0;; round++) {
		if (merge(r, i, j, m) == -1)
			return err_set(err, ERR_SYS, "out of memory");
		if (encoded_len(m, len, NULL, err) == -1) {
			update_clean(m);
			return -1;
		}
		if (*len == 0) {	/* too large */
			update_clean(m);
			if (good != 0) {
				j = good;
				break;
			}
			/* price() saw each action fit alone */
			if (j - i == 1)
				return err_set(err, ERR_SYS, "cannot encode "
				    "an update of zone %s", r->p->acts[
				    r->idx[i]].zone);
			j = i + (j - i) * 7 / 8;
			if (j <= i)
				j = i + 1;
			continue;
		}
		good = j;
		goodlen = *len;
		if (j == end || round + 1 >= APPLY_FIT_ROUNDS)
			goto done;
		room = APPLY_ENC_MAX - *len;
		while (j < end && r->cost[r->idx[j]] <= room)
			room -= r->cost[r->idx[j++]];
		if (j == good)
			goto done;
		update_clean(m);
	}
	if (merge(r, i, j, m) == -1)
		return err_set(err, ERR_SYS, "out of memory");
	*len = goodlen;
done:
	*jp = j;
	return 0;
}

/* Test-only, see apply.h. */
static void
test_pause(void)
{
	const char *path = getenv(PAUSE_ENV);
	struct timespec ts = { 0, PAUSE_POLL_MS * 1000000L };
	char waiting[PATH_MAX];
	unsigned waited;
	int fd;

	if (path == NULL || *path == '\0')
		return;
	if ((size_t)snprintf(waiting, sizeof(waiting), "%s.waiting", path) >=
	    sizeof(waiting))
		return;
	if ((fd = open(waiting, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) != -1)
		close(fd);
	log_debug("test pause: waiting for %s", path);
	for (waited = 0; waited < PAUSE_MAX_MS && access(path, F_OK) == -1;
	    waited += PAUSE_POLL_MS)
		nanosleep(&ts, NULL);
	unlink(path);
	unlink(waiting);
}

static void
print_batch(struct run *r, const struct update *m)
{
	char addr[sizeof(r->c->servers[0].label)];
	char *hash;

	if (r->c->nservers > 0) {
		/* label is "ADDR#PORT"; nsupdate wants "server ADDR PORT" */
		snprintf(addr, sizeof(addr), "%s", r->c->servers[0].label);
		if ((hash = strrchr(addr, '#')) != NULL)
			*hash = ' ';
		fprintf(r->out, "server %s\n", addr);
	}
	fprintf(r->out, "zone %s\n", m->zone);
	update_print_nsupdate(m, r->out);
}

/*
 * " (-192.0.2.4 +192.0.2.5 ttl 300)": the addresses an action deletes and
 * adds, so that the log line says what changed in the pool or alias
 * without -d.  Registration (TXT) changes go without saying; "-A(all)" is
 * an RRset replaced to correct its TTL.  Cut (never overrun) when long.
 */
static void
addr_changes(const struct update *u, char *buf, size_t len)
{
	char t[16];
	uint32_t ttl = 0;
	bool any = false;

	buf[0] = '\0';
	for (size_t i = 0; i < u->nops; i++) {
		const struct op *op = &u->ops[i];

		if (op->type != DNS_TYPE_A && op->type != DNS_TYPE_AAAA)
			continue;
		if (op->kind == OP_DEL_RRSET)
			str_append(buf, len, "%s-%s(all)", any ? " " : " (",
			    type_name(op->type, t, sizeof(t)));
		else if (op->kind == OP_DEL_RR || op->kind == OP_ADD)
			str_append(buf, len, "%s%c%s", any ? " " : " (",
			    op->kind == OP_ADD ? '+' : '-', op->rdata);
		else
			continue;
		if (op->kind == OP_ADD)
			ttl = op->ttl;
		any = true;
	}
	if (ttl > 0)
		str_append(buf, len, " ttl %u", ttl);
	if (any)
		str_append(buf, len, ")");
}

static void
log_applied(const struct action *a)
{
	size_t n = update_count_changes(&a->u);
	char what[300];

	addr_changes(&a->u, what, sizeof(what));
	log_info("%s %s: applied, %zu change%s%s", verb(a->kind), a->subject,
	    n, n == 1 ? "" : "s", what);
}

/* A single action the server would not apply: counted, logged, and the
 * first one kept for apply_plan's error; the others go on. */
static void
refused(struct run *r, size_t k, int rcode, const char *zone)
{
	const struct action *act = &r->p->acts[r->idx[k]];

	/* the daemon logs it itself, once while it lasts (cplan.h) */
	if (r->p->refused_rcode != NULL)
		r->p->refused_rcode[r->idx[k]] = rcode;
	else
		log_warnx("%s %s: refused by %s: %s", verb(act->kind),
		    act->subject, r->c->last_server, rcode_name(rcode));
	r->st->failed++;
	r->st->failed_kind[act->kind]++;
	if (*r->refused_rcode != 0)
		return;
	*r->refused_rcode = rcode;
	err_set(r->refused, ERR_REFUSED, "%s answered %s to the update "
	    "of zone %s%s", r->c->last_server, rcode_name(rcode), zone,
	    rcode == RCODE_NOTAUTH ? " (not authoritative for the "
	    "zone, or the key may not update it)" :
	    rcode == RCODE_REFUSED ? " (the key is not allowed to "
	    "update these names: check update-policy)" : "");
}

/*
 * Send idx[lo, hi) as the UPDATE m (consumed), len octets before TSIG.
 * A prerequisite failure splits the batch in halves, down to single
 * actions, which then lost a race.  So does a refusal (REFUSED, NOTAUTH,
 * NOTZONE, FORMERR, SERVFAIL): one action the key may not write must not
 * hold back the others; a single one refused is counted in st->failed
 * and noted for apply_plan.
 */
static int
send_batch(struct run *r, size_t lo, size_t hi, struct update *m, size_t len,
    struct error *err)
{
	struct dns_client local = *r->c;
	struct answer a;
	size_t k, mid, wire = len + tsig_rr_len(r->c->key);
	int rc;

	if (wire > APPLY_UDP_MAX)
		local.xo.tcp_only = true;
	if (!*r->paused) {
		*r->paused = true;
		test_pause();
	}
	r->st->messages++;
	r->st->bytes += wire;
	rc = client_update(&local, m, &a, err);
	memcpy(r->c->last_server, local.last_server, sizeof(local.last_server));
	if (rc == -1) {
		err_prefix(err, "update of zone %s", m->zone);
		update_clean(m);
		return -1;
	}
	r->st->rcodes[a.rcode >= 0 && a.rcode < APPLY_RCODES ? a.rcode :
	    APPLY_RCODES - 1]++;
	switch (a.rcode) {
	case RCODE_NOERROR:
		for (k = lo; k < hi; k++) {
			log_applied(&r->p->acts[r->idx[k]]);
			r->st->applied_kind[r->p->acts[r->idx[k]].kind]++;
		}
		r->st->applied += hi - lo;
		rc = 0;
		break;
	case RCODE_NXRRSET:	/* RFC 2136 3.2.5: a prerequisite failed */
	case RCODE_YXRRSET:
	case RCODE_NXDOMAIN:
	case RCODE_YXDOMAIN:
		r->st->last_rcode = a.rcode;
		if (hi - lo == 1) {
			const struct action *act = &r->p->acts[r->idx[lo]];

			log_info("%s %s: skipped, it changed since it was "
			    "read (%s)", verb(act->kind), act->subject,
			    rcode_name(a.rcode));
			r->st->raced++;
			r->st->raced_kind[act->kind]++;
			rc = 0;
			break;
		}
		goto split;
	case RCODE_REFUSED:
	case RCODE_NOTAUTH:
	case RCODE_NOTZONE:
	case RCODE_FORMERR:
	case RCODE_SERVFAIL:
		r->st->last_rcode = a.rcode;
		if (hi - lo == 1) {
			refused(r, lo, a.rcode, m->zone);
			rc = 0;
			break;
		}
	split:
		update_clean(m);
		mid = lo + (hi - lo) / 2;
		if (merge(r, lo, mid, m) == -1 ||
		    encoded_len(m, &len, NULL, err) == -1)
			goto oom;
		if ((rc = send_batch(r, lo, mid, m, len, err)) == -1)
			break;
		if (merge(r, mid, hi, m) == -1 ||
		    encoded_len(m, &len, NULL, err) == -1)
			goto oom;
		rc = send_batch(r, mid, hi, m, len, err);
		break;
	default:		/* NOTIMP, or one RFC 2136 does not name */
		r->st->last_rcode = a.rcode;
		rc = err_set(err, ERR_REFUSED, "%s answered %s to the update "
		    "of zone %s", r->c->last_server, rcode_name(a.rcode),
		    m->zone);
		break;
	}
	answer_clean(&a);
	update_clean(m);
	return rc;
oom:
	answer_clean(&a);
	update_clean(m);
	return err_set(err, ERR_SYS, "out of memory");
}

/* Encoded length of an UPDATE of zone with nothing in it. */
static int
empty_len(const char *zone, uint32_t lease, size_t *len, struct error *err)
{
	struct update u;
	int rc;

	update_init(&u, zone, lease);
	rc = encoded_len(&u, len, NULL, err);
	update_clean(&u);
	return rc;
}

/* Drop the actions that cannot be sent even alone (too large, bad data:
 * a planner bug), each logged; price the others. */
static int
price(struct run *r, struct error *err)
{
	size_t k, n = 0, len, base = 0;
	const struct action *prev = NULL;
	struct error e;

	for (k = 0; k < r->n; k++) {
		const struct action *a = &r->p->acts[r->idx[k]];

		memset(&e, 0, sizeof(e));
		if (encoded_len(&a->u, &len, &e, err) == -1)
			return -1;
		/* the empty update's size depends on zone and lease only */
		if ((prev == NULL || strcmp(prev->zone, a->zone) != 0 ||
		    prev->u.lease != a->u.lease) &&
		    empty_len(a->zone, a->u.lease, &base, err) == -1)
			return -1;
		prev = a;
		if (len == 0 || base == 0) {
			log_warnx("%s %s: cannot be sent: %s", verb(a->kind),
			    a->subject, e.msg[0] ? e.msg : "bad zone name");
			r->st->failed++;
			r->st->failed_kind[a->kind]++;
			continue;
		}
		r->cost[r->idx[k]] = len - base;
		r->idx[n++] = r->idx[k];
	}
	r->n = n;
	return 0;
}

/* Batch and send (or print) one zone's actions. */
static int
run_zone(struct run *r, struct error *err)
{
	struct update m;
	size_t i, j = 0, end, len, base;

	if (price(r, err) == -1)
		return -1;
	find_breaks(r);
	for (i = 0; i < r->n; i = j) {
		const struct action *a = &r->p->acts[r->idx[i]];

		for (end = i + 1; end < r->n && !r->brk[end]; end++)
			;
		if (empty_len(a->zone, a->u.lease, &base, err) == -1 ||
		    fit(r, i, end, base, &j, &m, &len, err) == -1)
			return -1;
		if (r->dry_run) {
			print_batch(r, &m);
			r->st->messages++;
			r->st->bytes += len + tsig_rr_len(r->c->key);
			update_clean(&m);
			continue;
		}
		if (send_batch(r, i, j, &m, len, err) == -1)
			return -1;
	}
	return 0;
}

static size_t
prereq_count(const struct plan *p, const size_t *idx, size_t n)
{
	size_t k, i, c = 0;

	for (k = 0; k < n; k++)
		for (i = 0; i < p->acts[idx[k]].u.nops; i++)
			c += is_prereq(p->acts[idx[k]].u.ops[i].kind);
	return c;
}

int
apply_plan(struct dns_client *c, const struct plan *p, bool dry_run,
    FILE *out, struct apply_stats *st, struct error *err)
{
	struct apply_stats dummy;
	struct run r;
	size_t *order = NULL, *cost = NULL, k, i, n = 0, start;
	bool *taken = NULL, *brk = NULL, paused = false;
	struct error refused_err;
	int rc = -1, refused_rcode = 0;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (p->nacts == 0)
		return 0;
	order = calloc(p->nacts, sizeof(*order));
	cost = calloc(p->nacts, sizeof(*cost));
	taken = calloc(p->nacts, sizeof(*taken));
	brk = calloc(p->nacts, sizeof(*brk));
	if (order == NULL || cost == NULL || taken == NULL || brk == NULL) {
		err_set(err, ERR_SYS, "out of memory");
		goto out;
	}
	/* Zones in the order they first appear, actions in plan order. */
	for (i = 0; i < p->nacts; i++) {
		if (taken[i])
			continue;
		start = n;
		for (k = i; k < p->nacts; k++)
			if (!taken[k] && strcasecmp(p->acts[k].zone,
			    p->acts[i].zone) == 0) {
				taken[k] = true;
				order[n++] = k;
			}
		memset(&r, 0, sizeof(r));
		r.c = c;
		r.p = p;
		r.idx = order + start;
		r.cost = cost;
		r.brk = brk + start;
		r.n = n - start;
		r.dry_run = dry_run;
		r.out = out;
		r.st = st;
		r.paused = &paused;
		r.refused = &refused_err;
		r.refused_rcode = &refused_rcode;
		if (pkeys_init(&r.keys, prereq_count(p, r.idx, r.n)) == -1) {
			err_set(err, ERR_SYS, "out of memory");
			goto out;
		}
		rc = run_zone(&r, err);
		free(r.keys.slots);
		if (rc == -1)
			goto out;
	}
	rc = 0;
	if (refused_rcode != 0) {
		/* the others were applied; the caller still backs off */
		*err = refused_err;
		st->last_rcode = refused_rcode;
		rc = -1;
	}
out:
	/* every action is applied, raced, or failed: refused, unsendable
	 * (both already counted) or never sent (a stop) */
	if (rc == -1 && !dry_run) {
		st->failed = p->nacts - st->applied - st->raced;
		memset(st->failed_kind, 0, sizeof(st->failed_kind));
		for (i = 0; i < p->nacts; i++)
			st->failed_kind[p->acts[i].kind]++;
		for (k = 0; k < ACT_KINDS; k++)
			st->failed_kind[k] -= st->applied_kind[k] +
			    st->raced_kind[k];
	}
	free(order);
	free(cost);
	free(taken);
	free(brk);
	return rc;
}

void
apply_stats_add(struct apply_stats *sum, const struct apply_stats *st)
{
	sum->messages += st->messages;
	sum->bytes += st->bytes;
	sum->applied += st->applied;
	sum->raced += st->raced;
	sum->failed += st->failed;
	if (st->last_rcode != 0)
		sum->last_rcode = st->last_rcode;
	for (size_t k = 0; k < ACT_KINDS; k++) {
		sum->applied_kind[k] += st->applied_kind[k];
		sum->raced_kind[k] += st->raced_kind[k];
		sum->failed_kind[k] += st->failed_kind[k];
	}
	for (size_t i = 0; i < APPLY_RCODES; i++)
		sum->rcodes[i] += st->rcodes[i];
}

size_t
apply_batch_size(const struct plan *p, size_t i, size_t j)
{
	struct update m;
	struct run r;
	size_t *idx, k, len = 0;
	int rc;

	if (i >= j || j > p->nacts)
		return 0;
	if ((idx = calloc(j - i, sizeof(*idx))) == NULL)
		return SIZE_MAX;
	for (k = i; k < j; k++)
		idx[k - i] = k;
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.idx = idx;
	r.n = j - i;
	if (pkeys_init(&r.keys, prereq_count(p, idx, r.n)) == -1) {
		free(idx);
		return SIZE_MAX;
	}
	rc = merge(&r, 0, r.n, &m);
	free(r.keys.slots);
	free(idx);
	if (rc == -1)
		return SIZE_MAX;
	rc = encoded_len(&m, &len, NULL, NULL);
	update_clean(&m);
	if (rc == -1 || len == 0)
		return SIZE_MAX;
	return len + APPLY_TSIG_ROOM;
}
