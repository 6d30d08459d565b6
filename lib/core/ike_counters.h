/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shard counters: one X-macro list gives the enum and the telemetry names.
 * Every drop site has its own counter; after the core counters come one
 * "drop_parse_<status>" counter per wire parse status, so each class of
 * malformed input is counted on its own, then one "ticket_nack_<reason>"
 * counter per ticket refusal reason (lib/ticket names).
 */
#ifndef IKE_COUNTERS_H
#define IKE_COUNTERS_H

#include "ike_parse.h"
#include "ike_ticket.h"

#define IKE_CTR_LIST(X)                                                                            \
	X(IKE_CTR_RX, "rx")                                                                        \
	X(IKE_CTR_TX, "tx")                                                                        \
	X(IKE_CTR_RX_RESPONSE, "rx_response")                                                      \
	X(IKE_CTR_DROP_TX_FULL, "drop_tx_full")                                                    \
	X(IKE_CTR_DROP_NOT_INITIATOR, "drop_not_from_initiator")                                   \
	X(IKE_CTR_DROP_WRONG_SHARD, "drop_wrong_shard")                                            \
	X(IKE_CTR_DROP_UNKNOWN_SPI, "drop_unknown_spi")                                            \
	X(IKE_CTR_DROP_SPI_I_MISMATCH, "drop_spi_i_mismatch")                                      \
	X(IKE_CTR_DROP_MSGID_OLD, "drop_msgid_old")                                                \
	X(IKE_CTR_DROP_MSGID_FUTURE, "drop_msgid_future")                                          \
	X(IKE_CTR_RETRANSMIT, "retransmit_resent")                                                 \
	X(IKE_CTR_DROP_RETRANSMIT_UNCACHED, "drop_retransmit_uncached")                            \
	X(IKE_CTR_DROP_EXCHANGE_UNKNOWN, "drop_exchange_unknown")                                  \
	X(IKE_CTR_DROP_STATE, "drop_exchange_in_state")                                            \
	X(IKE_CTR_DROP_NO_SK, "drop_no_sk_payload")                                                \
	X(IKE_CTR_DROP_FRAGMENT, "drop_skf_unsupported")                                           \
	X(IKE_CTR_DROP_SK_LAYOUT, "drop_sk_layout")                                                \
	X(IKE_CTR_DROP_ICV, "drop_icv_mismatch")                                                   \
	X(IKE_CTR_DROP_SK_PADDING, "drop_sk_padding")                                              \
	X(IKE_CTR_DROP_CRYPTO, "drop_crypto_failure")                                              \
	X(IKE_CTR_DROP_BUILD, "drop_reply_build")                                                  \
	X(IKE_CTR_DROP_INIT_HEADER, "drop_init_bad_header")                                        \
	X(IKE_CTR_DROP_INIT_MISSING, "drop_init_missing_payload")                                  \
	X(IKE_CTR_DROP_INIT_TOO_BIG, "drop_init_too_big")                                          \
	X(IKE_CTR_DROP_KE_DATA, "drop_ke_data")                                                    \
	X(IKE_CTR_DROP_HALF_OPEN_FULL, "drop_half_open_full")                                      \
	X(IKE_CTR_DROP_SA_TABLE_FULL, "drop_sa_table_full")                                        \
	X(IKE_CTR_COOKIE_SENT, "cookie_sent")                                                      \
	X(IKE_CTR_COOKIE_BAD, "cookie_bad")                                                        \
	X(IKE_CTR_INIT_OK, "init_ok")                                                              \
	X(IKE_CTR_INIT_RETRANSMIT, "init_retransmit")                                              \
	X(IKE_CTR_INIT_INVALID_KE, "init_invalid_ke_sent")                                         \
	X(IKE_CTR_INIT_NO_PROPOSAL, "init_no_proposal_sent")                                       \
	X(IKE_CTR_AUTH_OK, "auth_ok")                                                              \
	X(IKE_CTR_AUTH_CHILDLESS, "auth_childless")                                                \
	X(IKE_CTR_AUTH_FAILED, "auth_failed")                                                      \
	X(IKE_CTR_AUTH_UNKNOWN_ID, "auth_unknown_id")                                              \
	X(IKE_CTR_AUTH_METHOD, "auth_method_mismatch")                                             \
	X(IKE_CTR_AUTH_SYNTAX, "auth_missing_payload")                                             \
	X(IKE_CTR_AUTH_CERT_MISSING, "auth_cert_missing")                                          \
	X(IKE_CTR_AUTH_CERT_BAD, "auth_cert_bad")                                                  \
	X(IKE_CTR_AUTH_CERT_UNTRUSTED, "auth_cert_untrusted")                                      \
	X(IKE_CTR_AUTH_ID_MISMATCH, "auth_cert_id_mismatch")                                       \
	X(IKE_CTR_AUTH_SIG_BAD, "auth_sig_bad")                                                    \
	X(IKE_CTR_AUTH_SIG_UNSUPPORTED, "auth_sig_unsupported")                                    \
	X(IKE_CTR_INITIAL_CONTACT, "initial_contact_deleted")                                      \
	X(IKE_CTR_CHILD_INSTALLED, "child_installed")                                              \
	X(IKE_CTR_CHILD_DELETED, "child_deleted")                                                  \
	X(IKE_CTR_CHILD_NO_PROPOSAL, "child_no_proposal_sent")                                     \
	X(IKE_CTR_CHILD_TS_UNACCEPTABLE, "child_ts_unacceptable_sent")                             \
	X(IKE_CTR_CHILD_NO_SLOT, "child_no_additional_sas_sent")                                   \
	X(IKE_CTR_CHILD_NOT_FOUND, "child_not_found_sent")                                         \
	X(IKE_CTR_CHILD_INVALID_KE, "child_invalid_ke_sent")                                       \
	X(IKE_CTR_CHILD_REKEYED, "child_rekeyed")                                                  \
	X(IKE_CTR_CHILD_EXPIRED, "child_expired_deleted")                                          \
	X(IKE_CTR_CHILD_EXPIRE_STALE, "child_expire_stale")                                        \
	X(IKE_CTR_CHILD_SOFT, "child_soft_events")                                                 \
	X(IKE_CTR_CHILD_SOFT_STALE, "child_soft_stale")                                            \
	X(IKE_CTR_CHILD_REKEY_STARTED, "child_rekey_started")                                      \
	X(IKE_CTR_CHILD_REKEY_RESENT, "child_rekey_resent")                                        \
	X(IKE_CTR_CHILD_REKEY_DONE, "child_rekey_done")                                            \
	X(IKE_CTR_CHILD_REKEY_OLD_DELETED, "child_rekey_old_deleted")                              \
	X(IKE_CTR_CHILD_REKEY_DEFERRED, "child_rekey_deferred")                                    \
	X(IKE_CTR_CHILD_REKEY_COLLISION_WON, "child_rekey_collision_won")                          \
	X(IKE_CTR_CHILD_REKEY_COLLISION_LOST, "child_rekey_collision_lost")                        \
	X(IKE_CTR_CHILD_REKEY_TEMP_FAILURE, "child_rekey_temporary_failure")                       \
	X(IKE_CTR_CHILD_REKEY_INVALID_KE_RETRY, "child_rekey_invalid_ke_retry")                    \
	X(IKE_CTR_CHILD_REKEY_REFUSED, "child_rekey_refused")                                      \
	X(IKE_CTR_CHILD_REKEY_BAD_ANSWER, "child_rekey_bad_answer")                                \
	X(IKE_CTR_CHILD_REKEY_FAILED, "child_rekey_failed")                                        \
	X(IKE_CTR_CHILD_REKEY_NO_ANSWER, "child_rekey_no_answer")                                  \
	X(IKE_CTR_CHILD_REKEY_FU_STARTED, "child_rekey_followup_started")                          \
	X(IKE_CTR_CHILD_REKEY_FU_OK, "child_rekey_followup_ok")                                    \
	X(IKE_CTR_CHILD_REKEY_FU_REFUSED, "child_rekey_followup_refused")                          \
	X(IKE_CTR_CHILD_REKEY_FU_BAD_ANSWER, "child_rekey_followup_bad_answer")                    \
	X(IKE_CTR_CHILD_REKEY_FU_NO_SLOT, "child_rekey_followup_no_slot")                          \
	X(IKE_CTR_IKE_REKEYED, "ike_rekeyed")                                                      \
	X(IKE_CTR_INFO_LIVENESS, "info_liveness")                                                  \
	X(IKE_CTR_PEER_ADDRESS_UPDATED, "peer_address_updated")                                    \
	X(IKE_CTR_INFO_DELETE_IKE, "info_delete_ike")                                              \
	X(IKE_CTR_INFO_DELETE_CHILD, "info_delete_child")                                          \
	X(IKE_CTR_INVALID_SYNTAX_SENT, "invalid_syntax_sent")                                      \
	X(IKE_CTR_HALF_OPEN_EXPIRED, "half_open_expired")                                          \
	X(IKE_CTR_REKEYED_EXPIRED, "rekeyed_sa_expired")                                           \
	X(IKE_CTR_IKE_LIFETIME_EXPIRED, "ike_lifetime_expired")                                    \
	X(IKE_CTR_AUTH_LIFETIME_EXPIRED, "auth_lifetime_expired")                                  \
	X(IKE_CTR_REAUTH_REQUESTED, "reauth_requested")                                            \
	X(IKE_CTR_TERMINATED, "terminated")                                                        \
	X(IKE_CTR_RESP_CACHE_FULL, "resp_cache_full")                                              \
	X(IKE_CTR_RESP_CACHE_EXPIRED, "resp_cache_expired")                                        \
	X(IKE_CTR_RESP_CACHE_EVICTED, "resp_cache_evicted")                                        \
	X(IKE_CTR_TICKET_ISSUED, "ticket_issued")                                                  \
	X(IKE_CTR_TICKET_REVOKED, "ticket_revoked")                                                \
	X(IKE_CTR_TICKET_NACK_POLICY, "ticket_nack_policy")                                        \
	X(IKE_CTR_RESUME_ACCEPTED, "resume_accepted")                                              \
	X(IKE_CTR_RESUME_RETRANSMIT, "resume_retransmit")                                          \
	X(IKE_CTR_RESUME_OK, "resume_ok")                                                          \
	X(IKE_CTR_RESUME_AUTH_FAILED, "resume_auth_failed")                                        \
	X(IKE_CTR_RESUME_AUTH_LIBRESWAN, "resume_auth_libreswan_form")                             \
	X(IKE_CTR_RESUME_OLD_SA_DELETED, "resume_old_sa_deleted")                                  \
	X(IKE_CTR_RESUME_SEEN_AT_AUTH, "resume_ticket_seen_at_auth")                               \
	X(IKE_CTR_HALF_OPEN_EVICTED, "half_open_evicted")                                          \
	X(IKE_CTR_AUTH_SA_TABLE_FULL, "auth_sa_table_full")                                        \
	X(IKE_CTR_RETRANSMIT_CLOSED, "retransmit_after_delete")                                    \
	X(IKE_CTR_REPLAY_FILTER_FULL, "replay_filter_slice_full")                                  \
	X(IKE_CTR_REPLAY_FILTER_OVER, "replay_filter_ids_over_capacity")                           \
	X(IKE_CTR_DROP_RESUME_HEADER, "drop_resume_bad_header")                                    \
	X(IKE_CTR_DROP_RESUME_MISSING, "drop_resume_missing_payload")                              \
	X(IKE_CTR_CP_REQUEST, "cp_request")                                                        \
	X(IKE_CTR_CP_LEASE_NEW, "cp_lease_new")                                                    \
	X(IKE_CTR_CP_LEASE_REQUESTED, "cp_lease_requested_address")                                \
	X(IKE_CTR_CP_REQUEST_REFUSED, "cp_requested_address_refused")                              \
	X(IKE_CTR_CP_LEASE_RESUMED, "cp_lease_resumed")                                            \
	X(IKE_CTR_CP_LEASE_RESUMED_FOREIGN, "cp_lease_resumed_foreign")                            \
	X(IKE_CTR_CP_LEASE_OLD_SA_DELETED, "cp_lease_old_sa_deleted")                              \
	X(IKE_CTR_CP_LEASE_TAKEN_OVER, "cp_lease_taken_over")                                      \
	X(IKE_CTR_CP_LEASE_CONFLICT, "cp_ticket_lease_conflict")                                   \
	X(IKE_CTR_CP_TICKET_LEASE_NOT_IN_POOL, "cp_ticket_lease_not_in_pool")                      \
	X(IKE_CTR_CP_ADDRESS_FAILURE, "cp_internal_address_failure")                               \
	X(IKE_CTR_CP_LEASE_RELEASED, "cp_lease_released")                                          \
	X(IKE_CTR_INT_OK, "intermediate_ok")                                                       \
	X(IKE_CTR_INT_ADDKE_OK, "intermediate_addke_ok")                                           \
	X(IKE_CTR_INT_NOT_NEGOTIATED, "intermediate_not_negotiated")                               \
	X(IKE_CTR_INT_TOO_MANY, "intermediate_too_many")                                           \
	X(IKE_CTR_INT_ADDKE_BAD, "intermediate_addke_bad_ke")                                      \
	X(IKE_CTR_INT_KE_UNEXPECTED, "intermediate_ke_unexpected")                                 \
	X(IKE_CTR_INT_TOO_BIG, "intermediate_too_big")                                             \
	X(IKE_CTR_FOLLOWUP_STARTED, "followup_started")                                            \
	X(IKE_CTR_FOLLOWUP_OK, "followup_ok")                                                      \
	X(IKE_CTR_FOLLOWUP_DONE, "followup_done")                                                  \
	X(IKE_CTR_FOLLOWUP_STATE_NOT_FOUND, "followup_state_not_found_sent")                       \
	X(IKE_CTR_FOLLOWUP_BAD, "followup_invalid_syntax_sent")                                    \
	X(IKE_CTR_FOLLOWUP_TIMEOUT, "followup_timeout")                                            \
	X(IKE_CTR_FOLLOWUP_ABANDONED, "followup_abandoned")                                        \
	X(IKE_CTR_FOLLOWUP_NO_SLOT, "followup_no_slot")                                            \
	X(IKE_CTR_AUTH_ADDKE_PENDING, "auth_addke_pending")                                        \
	X(IKE_CTR_INIT_ADDKE_NO_INTERMEDIATE, "init_addke_without_intermediate")                   \
	X(IKE_CTR_FRAG_KEPT, "frag_kept")                                                          \
	X(IKE_CTR_FRAG_REASSEMBLED, "frag_reassembled")                                            \
	X(IKE_CTR_FRAG_DUPLICATE, "frag_duplicate")                                                \
	X(IKE_CTR_FRAG_BAD_TOTAL, "frag_bad_total")                                                \
	X(IKE_CTR_FRAG_TOO_MANY, "frag_too_many")                                                  \
	X(IKE_CTR_FRAG_TOO_BIG, "frag_too_big")                                                    \
	X(IKE_CTR_FRAG_NO_SLOT, "frag_no_slot")                                                    \
	X(IKE_CTR_FRAG_TIMEOUT, "frag_reassembly_timeout")                                         \
	X(IKE_CTR_FRAG_RESTARTED, "frag_reassembly_restarted")                                     \
	X(IKE_CTR_FRAG_UNPROTECTED, "frag_unprotected_payloads")                                   \
	X(IKE_CTR_FRAG_RETRANSMIT_IGNORED, "frag_retransmit_not_first")                            \
	X(IKE_CTR_FRAG_TX_MESSAGES, "frag_tx_messages")                                            \
	X(IKE_CTR_FRAG_TX_FRAGMENTS, "frag_tx_fragments")                                          \
	X(IKE_CTR_FRAG_TX_TOO_BIG, "frag_tx_too_big")                                             \
	X(IKE_CTR_DPD_PROBES, "dpd_probes_sent")                                                   \
	X(IKE_CTR_DPD_RESENDS, "dpd_probes_resent")                                                \
	X(IKE_CTR_DPD_ANSWERED, "dpd_probes_answered")                                             \
	X(IKE_CTR_DPD_DEFERRED, "dpd_probes_deferred")                                             \
	X(IKE_CTR_DPD_DELETED, "dpd_sa_deleted")

enum ike_ctr {
#define IKE_CTR_ENUM(e, s) e,
	IKE_CTR_LIST(IKE_CTR_ENUM)
#undef IKE_CTR_ENUM
		IKE_CTR_PARSE_BASE
};

/*
 * Then one "ticket_nack_<reason>" counter per ike_ticket_reason: every
 * TICKET_NACK we send (refused ticket or refused TICKET_REQUEST) by reason.
 */
#define IKE_CTR_TICKET_BASE (IKE_CTR_PARSE_BASE + IKE_PARSE_STATUS_COUNT)

/* Total: the core counters, one per ike_parse_status, one per ike_ticket_reason. */
#define IKE_CTR_COUNT (IKE_CTR_TICKET_BASE + IKE_TICKET_REASON_COUNT)

static inline unsigned
ike_ctr_parse(enum ike_parse_status st)
{
	return IKE_CTR_PARSE_BASE + (unsigned)st;
}

static inline unsigned
ike_ctr_ticket(enum ike_ticket_reason r)
{
	return IKE_CTR_TICKET_BASE + (unsigned)r;
}

#endif
