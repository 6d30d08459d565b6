/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ike_shard.c - shard memory layout, init/fini, counters, and the SA
 * lifecycle helpers (create, deferred and immediate removal, identity lists).
 * Everything is carved out of the host's memory at init; nothing after.
 */
#include <stdalign.h>
#include <string.h>
#include <threads.h>

#include "ike_core_priv.h"
#include "ike_log.h"
#include "ike_secret.h"
#include "siphash.h"

#define ALIGN 64

static size_t
align_up(size_t v)
{
	return (v + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static uint32_t
resp_cap(const struct ike_core_cfg *cfg)
{
	/*
	 * A slot is held for response_cache_ms after a response: the pool is
	 * sized by exchanges in flight, not by SAs. When it is full the oldest
	 * response makes room (ike_window.c).
	 */
	if (cfg->max_cached_responses != 0)
		return cfg->max_cached_responses;
	return IKE_CACHED_RESPONSES_DEFAULT;
}

/* Medium slots: one per eight cache slots (not SA slots), at least as many as the big ones. */
static uint32_t
resp_mid_cap(const struct ike_core_cfg *cfg)
{
	uint32_t n = resp_cap(cfg) / 8;

	return n > IKE_RESP_BIG_SLOTS ? n : IKE_RESP_BIG_SLOTS;
}

/* Identities the shard has room for: the list at start, or what a reload may grow to. */
static unsigned
peer_cap(const struct ike_core_cfg *cfg)
{
	return cfg->max_peers > cfg->nb_peers ? cfg->max_peers : cfg->nb_peers;
}

static uint32_t
peer_hash_size(const struct ike_core_cfg *cfg)
{
	uint32_t n = 1;

	while (n < 2 * peer_cap(cfg))
		n <<= 1;
	return n;
}

/* The one layout that ike_shard_mem_size() and ike_shard_init() share. */
struct shard_layout {
	size_t sas, closed, ho_index, ho, ho_free, resp, resp_free, resp_mid, resp_mid_free, peers,
		peer_hash, replay, pool, total;
};

/* Established SAs plus half-open ones: a full table of the first still takes the second. */
static uint64_t
sa_slots(const struct ike_core_cfg *cfg)
{
	return (uint64_t)cfg->max_ike_sas + cfg->max_half_open;
}

/* RFC 5723 one-time-use filter: sized from the config, 0 octets with tickets off. */
static size_t
replay_size(const struct ike_core_cfg *cfg)
{
	struct ike_ticket_replay_geometry g;
	struct ike_ticket_replay_params p;

	if (!ike_ticket_replay_params_of(cfg, &p) || ike_ticket_replay_geometry(&p, &g) != IKE_OK)
		return 0;
	return g.bytes;
}

static void
layout_of(const struct ike_core_cfg *cfg, struct shard_layout *l)
{
	size_t off = align_up(sizeof(struct ike_shard));

	l->sas = off;
	off += align_up(satable_mem_size((uint32_t)sa_slots(cfg), sizeof(struct ike_sa)));
	l->closed = off;
	off += align_up((size_t)sa_slots(cfg) * sizeof(uint32_t));
	l->ho_index = off;
	off += align_up(halfopen_mem_size(cfg->max_half_open));
	l->ho = off;
	off += align_up((size_t)cfg->max_half_open * sizeof(struct ike_ho));
	l->ho_free = off;
	off += align_up((size_t)cfg->max_half_open * sizeof(uint32_t));
	l->resp = off;
	off += align_up((size_t)resp_cap(cfg) * sizeof(struct ike_resp));
	l->resp_free = off;
	off += align_up((size_t)resp_cap(cfg) * sizeof(uint32_t));
	l->resp_mid = off;
	off += align_up((size_t)resp_mid_cap(cfg) * IKE_RESP_MID_MAX);
	l->resp_mid_free = off;
	off += align_up((size_t)resp_mid_cap(cfg) * sizeof(uint32_t));
	l->peers = off;
	off += align_up((size_t)peer_cap(cfg) * sizeof(struct ike_peer_rt));
	l->peer_hash = off;
	off += align_up((size_t)peer_hash_size(cfg) * sizeof(uint32_t));
	l->replay = off;
	off += align_up(replay_size(cfg));
	l->pool = off;
	off += align_up(ike_pool_mem_size(cfg));
	l->total = off;
}

size_t
ike_shard_mem_size(const struct ike_core_cfg *cfg)
{
	struct shard_layout l;

	layout_of(cfg, &l);
	return l.total;
}

static uint32_t
peer_hash(const struct ike_shard *s, uint8_t id_type, const uint8_t *id, size_t len)
{
	uint8_t buf[1 + 255];

	buf[0] = id_type;
	memcpy(buf + 1, id, len);
	return (uint32_t)siphash24(s->peer_hash_key, buf, len + 1);
}

uint32_t
ike_peer_find(const struct ike_shard *s, uint8_t id_type, const uint8_t *id, size_t len)
{
	uint32_t h, v;

	if (len > 255 || s->nb_peers == 0)
		return IKE_NO_SLOT;
	h = peer_hash(s, id_type, id, len);
	for (uint32_t i = 0; i <= s->peer_hash_mask; i++) {
		v = s->peer_hash[(h + i) & s->peer_hash_mask];
		if (v == 0)
			return IKE_NO_SLOT;
		const struct ike_peer_cfg *p = &s->peers_cfg[v - 1];
		if (p->id_type == id_type && p->id_len == len && memcmp(p->id, id, len) == 0)
			return v - 1;
	}
	return IKE_NO_SLOT;
}

/*
 * Indexes s->peers_cfg; PSKs are padded once per PRF the IKE suites may
 * negotiate (RFC 7296 2.15). SA lists (sa_head) are left as they are.
 */
static bool
peers_init(struct ike_shard *s)
{
	memset(s->peer_hash, 0, ((size_t)s->peer_hash_mask + 1) * sizeof(uint32_t));
	for (unsigned i = 0; i < s->nb_peers; i++) {
		const struct ike_peer_cfg *p = &s->peers_cfg[i];
		uint32_t h = peer_hash(s, p->id_type, p->id, p->id_len);
		uint32_t j = 0;

		ike_wipe(s->peers[i].psk, sizeof(s->peers[i].psk));
		if (p->removed)
			continue;
		while (s->peer_hash[(h + j) & s->peer_hash_mask] != 0)
			j++;
		s->peer_hash[(h + j) & s->peer_hash_mask] = i + 1;
		if (p->auth != IKE_CRED_PSK)
			continue;
		for (unsigned a = 0; a < IKE_PRF_COUNT; a++)
			if (ike_psk_key_init(s->ops, (enum cry_prf_alg)a, p->psk, p->psk_len,
					     &s->peers[i].psk[a]) != IKE_OK)
				return false;
	}
	return true;
}

/* The certificate catch-all entry of the list in use (ike_auth_sig_init checked there is one at
 * most). */
static void
peer_any_find(struct ike_shard *s)
{
	s->peer_any = IKE_NO_SLOT;
	for (unsigned i = 0; i < s->nb_peers; i++)
		if (s->peers_cfg[i].any_id && !s->peers_cfg[i].removed &&
		    s->peers_cfg[i].auth == IKE_CRED_PUBKEY && s->peer_any == IKE_NO_SLOT)
			s->peer_any = i;
}

/* Deletes the SAs of removed identities from s->peer_purge on; false when tx[] filled up. */
static bool
peers_purge(struct ike_shard *s)
{
	struct ike_sa *sa;

	for (; s->peer_purge < s->nb_peers; s->peer_purge++) {
		if (!s->peers_cfg[s->peer_purge].removed)
			continue;
		while (s->peers[s->peer_purge].sa_head != 0) {
			sa = satable_lookup(s->sas, s->peers[s->peer_purge].sa_head);
			if (sa == NULL) {
				s->peers[s->peer_purge].sa_head = 0;
				break;
			}
			if (sa->state == IKE_SA_ESTABLISHED) {
				if (s->ntx == s->tx_n)
					return false;
				ike_count(s, IKE_CTR_TERMINATED);
				ike_event_sa(s, sa, IKE_EV_DELETED, IKE_EVR_REMOVED);
				ike_request_delete(s, sa);
			}
			ike_sa_remove(s, sa); /* unlinks it: sa_head moves on */
		}
	}
	return true;
}

unsigned
ike_shard_peers_replace(struct ike_shard *s, const struct ike_peer_cfg *peers, unsigned n,
			uint64_t now_ms, struct ike_tx *tx, unsigned tx_n, bool *done,
			bool *refused)
{
	s->now_ms = now_ms;
	s->tx = tx;
	s->tx_n = tx_n;
	s->ntx = 0;
	*done = false;
	*refused = false;
	if (s->peers_cfg != peers) {
		/* Kept identities keep their index: the list only grows, within the room. */
		if (n < s->nb_peers || n > s->max_peers) {
			*refused = true;
			return 0;
		}
		s->peers_cfg = peers;
		s->nb_peers = n;
		s->peer_purge = 0;
		if (!peers_init(s))
			ike_count(s, IKE_CTR_DROP_CRYPTO); /* its PSK users fail IKE_AUTH */
		peer_any_find(s);
	}
	*done = peers_purge(s);
	return s->ntx;
}

bool
ike_shard_proposals_replace(struct ike_shard *s, const struct ike_proposal_set *set)
{
	if (set == NULL) {
		s->ike_props = s->cfg->ike_proposals;
		s->nb_ike_props = s->cfg->nb_ike_proposals;
		s->esp_props = s->cfg->esp_proposals;
		s->nb_esp_props = s->cfg->nb_esp_proposals;
		return true;
	}
	if (set->nb_ike == 0 || set->nb_ike > IKE_CORE_MAX_PROPOSALS ||
	    set->nb_esp > IKE_CORE_MAX_PROPOSALS)
		return false;
	s->ike_props = set->ike;
	s->nb_ike_props = set->nb_ike;
	s->esp_props = set->esp;
	s->nb_esp_props = set->nb_esp;
	return true;
}

/* Prefix lengths, host bits zero, DNS counts, 1 <= member_k <= member_n (or both 0). */
static bool
pool_cfg_ok(const struct ike_pool_cfg *p)
{
	uint8_t net[16];

	if ((p->has_v4 && p->v4_plen > 32) || (p->has_v6 && p->v6_plen > 128) ||
	    p->nb_dns4 > IKE_POOL_MAX_DNS || p->nb_dns6 > IKE_POOL_MAX_DNS)
		return false;
	if (p->member_n == 0 ? p->member_k != 0 : p->member_k == 0 || p->member_k > p->member_n)
		return false;
	for (int f = 0; f < 2; f++) {
		const uint8_t *a = f ? p->v6 : p->v4;
		unsigned plen = f ? p->v6_plen : p->v4_plen, alen = f ? 16 : 4;

		if (!(f ? p->has_v6 : p->has_v4))
			continue;
		memcpy(net, a, alen);
		for (unsigned b = plen; b < alen * 8; b++)
			net[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
		if (memcmp(net, a, alen) != 0)
			return false;
	}
	return true;
}

/* What an SA arms lies at most IKE_MS32_SPAN ahead (ike_timers.c). */
static bool
timers_ok(const struct ike_core_cfg *cfg)
{
	return cfg->half_open_timeout_ms <= IKE_MS32_SPAN &&
	       (uint64_t)cfg->ike_lifetime_s * 1000 <= IKE_MS32_SPAN &&
	       (uint64_t)cfg->dpd_delay_s * 1250 <= IKE_MS32_SPAN &&
	       (uint64_t)cfg->dpd_timeout_s * 1000 <= IKE_MS32_SPAN;
}

enum ike_cfg_check
ike_core_cfg_check(const struct ike_core_cfg *cfg, unsigned nb_shards)
{
	struct spi_layout l;

	if (cfg->max_ike_sas == 0 || cfg->max_half_open == 0 || cfg->max_half_open > UINT32_MAX / 4)
		return IKE_CFG_CAPACITY;
	if (cfg->nb_ike_proposals == 0 || cfg->nb_ike_proposals > IKE_CORE_MAX_PROPOSALS ||
	    cfg->nb_esp_proposals > IKE_CORE_MAX_PROPOSALS)
		return IKE_CFG_SUITES;
	if (cfg->nb_peers != 0 && cfg->peers == NULL)
		return IKE_CFG_PEERS;
	if (!ike_cfg_spi_layout(cfg, &l) || sa_slots(cfg) > (uint64_t)spi_mask(l.slot_bits) + 1)
		return IKE_CFG_SPI_SLOTS;
	if (nb_shards == 0 || nb_shards - 1 > spi_mask(l.shard_bits))
		return IKE_CFG_SPI_SHARDS;
	if (cfg->ticket_lifetime_s != 0 && replay_size(cfg) == 0)
		return IKE_CFG_REPLAY_FILTER;
	if (cfg->certreq_ca_keyids_len % IKE_CERTREQ_KEYID_LEN != 0 ||
	    cfg->certreq_ca_keyids_len > IKE_CORE_MAX_CERTREQ_CAS * IKE_CERTREQ_KEYID_LEN ||
	    (cfg->certreq_ca_keyids_len != 0 && cfg->certreq_ca_keyids == NULL))
		return IKE_CFG_CERTREQ;
	if (!pool_cfg_ok(&cfg->pool))
		return IKE_CFG_POOL;
	if (cfg->fragment_size != 0 &&
	    (cfg->fragment_size < IKE_FRAGMENT_SIZE_MIN || cfg->fragment_size > UINT16_MAX))
		return IKE_CFG_FRAGMENT_SIZE;
	if (!timers_ok(cfg))
		return IKE_CFG_TIMERS;
	return IKE_CFG_OK;
}

const char *
ike_cfg_check_name(enum ike_cfg_check c)
{
	static const char *const names[] = {
		[IKE_CFG_OK] = "ok",
		[IKE_CFG_CAPACITY] = "SA or half-open capacity is 0 or too large",
		[IKE_CFG_SUITES] = "no IKE proposal, or too many proposals",
		[IKE_CFG_PEERS] = "peers counted but not given",
		[IKE_CFG_SPI_SLOTS] = "the SA capacity does not fit the SPI slot bits",
		[IKE_CFG_SPI_SHARDS] = "the shard count does not fit the SPI shard bits",
		[IKE_CFG_REPLAY_FILTER] = ("the ticket replay filter would need more than 2^32 "
					   "bits per slice"),
		[IKE_CFG_CERTREQ] = "bad CERTREQ CA key ids",
		[IKE_CFG_POOL] = "bad virtual-IP pool: prefix length, DNS count or member k/n",
		[IKE_CFG_FRAGMENT_SIZE] =
			"fragment_size below IKE_FRAGMENT_SIZE_MIN or above 65535",
		[IKE_CFG_TIMERS] = "a half-open timeout, IKE SA lifetime or DPD time above 2^30 ms",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "unknown";
}

struct ike_shard *
ike_shard_init(void *mem, const struct ike_core_cfg *cfg, unsigned shard_id,
	       const struct cry_ops *ops, ike_child_cb child_cb, void *cb_arg)
{
	struct ike_shard *s = mem;
	uint8_t *base = mem;
	uint8_t ho_key[16];
	struct ike_ticket_replay_params rp;
	struct shard_layout l;
	struct spi_layout sl;

	enum ike_cfg_check bad = IKE_CFG_OK;

	if (mem == NULL || ops == NULL || child_cb == NULL || !ike_cfg_spi_layout(cfg, &sl) ||
	    (bad = ike_core_cfg_check(cfg, shard_id + 1)) != IKE_CFG_OK) {
		ike_log(IKE_LOG_ERR, "ikefarm.lib.core: bad shard configuration: %s",
			ike_cfg_check_name(bad));
		return NULL;
	}
	layout_of(cfg, &l);
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->ops = ops;
	s->child_cb = child_cb;
	s->cb_arg = cb_arg;
	s->id = shard_id;
	s->layout = sl;
	s->sa_slots = (uint32_t)sa_slots(cfg);
	s->frag_size = cfg->fragment_size != 0 ? cfg->fragment_size : IKE_FRAGMENT_SIZE_DEFAULT;
	s->sas = satable_init(base + l.sas, l.closed - l.sas, &sl, shard_id, s->sa_slots,
			      sizeof(struct ike_sa));
	s->closed = (uint32_t *)(void *)(base + l.closed);
	for (uint32_t i = 0; i < s->sa_slots; i++)
		s->closed[i] = IKE_NO_SLOT;
	if (s->sas == NULL || cry_random(ops, ho_key, sizeof(ho_key)) != IKE_OK ||
	    cry_random(ops, s->peer_hash_key, sizeof(s->peer_hash_key)) != IKE_OK)
		return NULL;
	s->ho_index =
		halfopen_init(base + l.ho_index, l.ho - l.ho_index, cfg->max_half_open, ho_key);
	ike_wipe(ho_key, sizeof(ho_key));
	if (s->ho_index == NULL)
		return NULL;
	s->ho = (struct ike_ho *)(void *)(base + l.ho);
	s->ho_free = (uint32_t *)(void *)(base + l.ho_free);
	s->ho_cap = cfg->max_half_open;
	for (uint32_t i = 0; i < s->ho_cap; i++)
		s->ho_free[i] = s->ho_cap - 1 - i;
	s->ho_nfree = s->ho_cap;
	ike_age_init(&s->ho_age);
	s->resp = (struct ike_resp *)(void *)(base + l.resp);
	s->resp_free = (uint32_t *)(void *)(base + l.resp_free);
	s->resp_cap = resp_cap(cfg);
	for (uint32_t i = 0; i < s->resp_cap; i++) {
		s->resp[i].len = 0;
		s->resp[i].big = 0;
		s->resp[i].mid = IKE_NO_SLOT;
		s->resp_free[i] = s->resp_cap - 1 - i;
	}
	s->resp_nfree = s->resp_cap;
	ike_age_init(&s->resp_age);
	s->resp_mid = (uint8_t(*)[IKE_RESP_MID_MAX])(void *)(base + l.resp_mid);
	s->resp_mid_free = (uint32_t *)(void *)(base + l.resp_mid_free);
	s->resp_mid_cap = resp_mid_cap(cfg);
	for (uint32_t i = 0; i < s->resp_mid_cap; i++)
		s->resp_mid_free[i] = s->resp_mid_cap - 1 - i;
	s->resp_mid_nfree = s->resp_mid_cap;
	s->peers = (struct ike_peer_rt *)(void *)(base + l.peers);
	s->peer_hash = (uint32_t *)(void *)(base + l.peer_hash);
	s->peer_hash_mask = peer_hash_size(cfg) - 1;
	s->peers_cfg = cfg->peers;
	s->nb_peers = cfg->nb_peers;
	ike_shard_proposals_replace(s, NULL);
	s->max_peers = peer_cap(cfg);
	memset(s->peers, 0, (size_t)s->max_peers * sizeof(*s->peers));
	if (!peers_init(s) || !ike_auth_sig_init(s)) {
		ike_shard_fini(s);
		return NULL;
	}
	if (ike_ticket_replay_params_of(cfg, &rp)) {
		s->replay = ike_ticket_replay_init(base + l.replay, l.total - l.replay, &rp);
		if (s->replay == NULL) {
			ike_shard_fini(s);
			return NULL;
		}
	}
	ike_pool_init(s->pool, cfg, shard_id, base + l.pool);
	timer_wheel_init(&s->sa_timers, 1, 0);
	ike_cookie_rotate(s, 0);
	return s;
}

void
ike_shard_set_child_spi(struct ike_shard *s, ike_child_spi_cb fn)
{
	s->child_spi = fn;
}

void
ike_shard_set_child_spi_free(struct ike_shard *s, ike_child_spi_free_cb fn)
{
	s->child_spi_free = fn;
}

void
ike_shard_fini(struct ike_shard *s)
{
	struct shard_layout l;

	if (s == NULL)
		return;
	layout_of(s->cfg, &l);
	for (unsigned i = 0; i < IKE_REKEY_SLOTS; i++)
		ike_rekey_free(s, &s->rekey[i]);
	/* SA keys, half-open secrets, cached replies, padded PSKs: all of it. */
	ike_wipe((uint8_t *)s + l.sas, l.total - l.sas);
	ike_wipe(s, sizeof(*s));
}

uint64_t
ike_rand64(struct ike_shard *s)
{
	uint8_t b[8];

	if (cry_random(s->ops, b, sizeof(b)) != IKE_OK)
		return 0;
	return ike_get_u64(b);
}

struct ike_sa *
ike_sa_new(struct ike_shard *s, uint64_t spi_i, const struct ike_rx *rx)
{
	int local = ike_local_addr_index(s, &rx->local);
	uint64_t spi_r;
	struct ike_sa *sa;

	if (local < 0)
		return NULL;
	sa = satable_insert(s->sas, ike_rand64(s), &spi_r);
	if (sa == NULL) {
		ike_count(s, IKE_CTR_DROP_SA_TABLE_FULL);
		return NULL;
	}
	sa->spi_i = spi_i;
	timer_node_init(&sa->timer);
	sa->ho_slot = IKE_NO_SLOT;
	sa->resp_slot = IKE_NO_SLOT;
	sa->peer_idx = IKE_NO_SLOT;
	sa->state = IKE_SA_HALF_OPEN;
	sa->local = (uint8_t)local;
	sa->remote = rx->remote;
	sa->tag = rx->tag;
	return sa;
}

/*
 * The SAs of one identity are a doubly linked list through their SA table
 * slots (slot + 1, 0: none), headed by the newest one's SPI. Every SA
 * leaves its list in ike_sa_remove() before its slot is freed, so a link
 * never names a freed or reused slot; what is held across calls (cursors,
 * the list head) is a whole SPI, whose tag satable_lookup() checks.
 */
static uint32_t
link_of(const struct ike_shard *s, const struct ike_sa *sa)
{
	return satable_slot_of(s->sas, sa) + 1;
}

static struct ike_sa *
linked(const struct ike_shard *s, uint32_t link)
{
	return link != 0 ? satable_at(s->sas, link - 1) : NULL;
}

uint64_t
ike_sa_link_spi(const struct ike_shard *s, uint32_t link)
{
	return link != 0 ? satable_spi_at(s->sas, link - 1) : 0;
}

void
ike_sa_peer_link(struct ike_shard *s, struct ike_sa *sa, uint32_t peer_idx)
{
	struct ike_peer_rt *p = &s->peers[peer_idx];
	struct ike_sa *head;

	sa->peer_idx = peer_idx;
	/* Linked once established: its age for the listing. */
	sa->est_s = ike_unix32(ike_now_s(s));
	sa->peer_prev = 0;
	head = p->sa_head != 0 ? satable_lookup(s->sas, p->sa_head) : NULL;
	sa->peer_next = head != NULL ? link_of(s, head) : 0;
	if (head != NULL)
		head->peer_prev = link_of(s, sa);
	p->sa_head = ike_sa_spi_r(s, sa);
}

void
ike_sa_peer_unlink(struct ike_shard *s, struct ike_sa *sa)
{
	struct ike_sa *prev, *next;

	if (sa->peer_idx == IKE_NO_SLOT)
		return;
	prev = linked(s, sa->peer_prev);
	next = linked(s, sa->peer_next);
	if (prev != NULL)
		prev->peer_next = sa->peer_next;
	else
		s->peers[sa->peer_idx].sa_head = ike_sa_link_spi(s, sa->peer_next);
	if (next != NULL)
		next->peer_prev = sa->peer_prev;
	sa->peer_idx = IKE_NO_SLOT;
}

void
ike_sa_children_delete(struct ike_shard *s, struct ike_sa *sa)
{
	for (unsigned i = 0; i < IKE_SA_MAX_CHILDREN; i++)
		if (sa->child[i].spi_in != 0)
			ike_child_delete(s, sa, i);
}

void
ike_sa_remove(struct ike_shard *s, struct ike_sa *sa)
{
	ike_child_rekey_abandon(s, sa);
	ike_sa_children_delete(s, sa);
	ike_cp_release(s, sa);
	ike_ho_release(s, sa);
	ike_window_release(s, sa);
	ike_frag_drop_sa(s, ike_sa_spi_r(s, sa));
	ike_followup_drop_sa(s, ike_sa_spi_r(s, sa));
	ike_sa_peer_unlink(s, sa);
	timer_cancel(&s->sa_timers, &sa->timer);
	satable_remove(s->sas, ike_sa_spi_r(s, sa));
	ike_wipe(sa, sizeof(*sa));
}

void
ike_sa_kill(struct ike_shard *s, struct ike_sa *sa)
{
	if (sa->state == IKE_SA_DYING || s->ndying == sizeof(s->dying) / sizeof(s->dying[0]))
		return;
	sa->state = IKE_SA_DYING;
	s->dying[s->ndying++] = ike_sa_spi_r(s, sa);
}

void
ike_sa_reap_dying(struct ike_shard *s)
{
	for (unsigned i = 0; i < s->ndying; i++) {
		struct ike_sa *sa = satable_lookup(s->sas, s->dying[i]);

		if (sa != NULL)
			ike_sa_remove(s, sa);
	}
	s->ndying = 0;
}

bool
ike_cfg_spi_layout(const struct ike_core_cfg *cfg, struct spi_layout *l)
{
	return spi_layout_init(l,
			       cfg->spi_shard_bits ? cfg->spi_shard_bits : SPI_DEFAULT_SHARD_BITS,
			       cfg->spi_slot_bits ? cfg->spi_slot_bits : SPI_DEFAULT_SLOT_BITS);
}

int
ike_owner_shard(const struct ike_core_cfg *cfg, const uint8_t *data, size_t len)
{
	struct spi_layout l;
	uint64_t spi_r;

	if (cfg == NULL || data == NULL || len < IKE_HDR_LEN || !ike_cfg_spi_layout(cfg, &l))
		return -1;
	spi_r = ike_get_u64(data + IKE_SPI_LEN);
	if (spi_r != 0)
		return (int)spi_shard(&l, spi_r);
	/* Octet 18 is the exchange type (RFC 7296 3.1). */
	if (data[18] == IKE_EXCH_IKE_SESSION_RESUME)
		return ike_resume_owner_shard(data, len, cfg->nb_shards ? cfg->nb_shards : 1);
	return -1;
}

unsigned
ike_counter_count(void)
{
	return IKE_CTR_COUNT;
}

/*
 * Counter names are [a-z0-9_] (DPDK telemetry refuses other characters).
 * The core's own names are literals; the per-parse-status and per-ticket-
 * reason ones are built once from the lib/wire and lib/ticket names, whose
 * '-' becomes '_'.
 */
#define IKE_CTR_NAME_MAX 64

static const char *ctr_names[IKE_CTR_COUNT] = {
#define IKE_CTR_NAME(e, s) [e] = s,
	IKE_CTR_LIST(IKE_CTR_NAME)
#undef IKE_CTR_NAME
};
static char ctr_built[IKE_CTR_COUNT - IKE_CTR_PARSE_BASE][IKE_CTR_NAME_MAX];
static once_flag ctr_names_once = ONCE_FLAG_INIT;

static void
ctr_name_build(unsigned i, const char *prefix, const char *name)
{
	char *out = ctr_built[i - IKE_CTR_PARSE_BASE];
	size_t n = 0;

	for (; *prefix != '\0' && n < IKE_CTR_NAME_MAX - 1; prefix++)
		out[n++] = *prefix;
	for (; *name != '\0' && n < IKE_CTR_NAME_MAX - 1; name++)
		out[n++] = *name == '-' ? '_' : *name;
	out[n] = '\0';
	ctr_names[i] = out;
}

static void
ctr_names_build(void)
{
#define IKE_CTR_PARSE_NAME(e, s, n) ctr_name_build(IKE_CTR_PARSE_BASE + e, "drop_parse_", s);
	IKE_PARSE_STATUS_LIST(IKE_CTR_PARSE_NAME)
#undef IKE_CTR_PARSE_NAME
#define IKE_CTR_TICKET_NAME(e, s) ctr_name_build(IKE_CTR_TICKET_BASE + e, "ticket_nack_", s);
	IKE_TICKET_REASON_LIST(IKE_CTR_TICKET_NAME)
#undef IKE_CTR_TICKET_NAME
}

const char *
ike_counter_name(unsigned i)
{
	call_once(&ctr_names_once, ctr_names_build);
	return i < IKE_CTR_COUNT ? ctr_names[i] : NULL;
}

const uint64_t *
ike_shard_counters(const struct ike_shard *s)
{
	return s->counters;
}

uint32_t
ike_shard_nb_sas(const struct ike_shard *s)
{
	return satable_count(s->sas) - (s->ho_cap - s->ho_nfree);
}

uint32_t
ike_shard_nb_half_open(const struct ike_shard *s)
{
	return s->ho_cap - s->ho_nfree;
}
