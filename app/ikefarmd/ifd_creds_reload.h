/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_creds_reload - reload-creds: the credentials file and the config
 * file's [ike] and [child] proposals read again and installed on every
 * worker without dropping established SAs (the users kept keep them;
 * removed users' SAs are deleted, {D(IKE)} to the client; SAs keep the
 * algorithms they negotiated). Either file wrong: nothing changes. The old
 * list with its PSKs and the old proposals are freed once every worker has
 * switched and rt_synchronize() saw each pass a quiescent point.
 */
#ifndef IFD_CREDS_RELOAD_H
#define IFD_CREDS_RELOAD_H

#include <stddef.h>

#include "ifd_config.h"
#include "ifd_creds.h"
#include "ifd_proto.h"
#include "rt.h"

/*
 * After rt_create(): the shards exist. config_path: the file cfg came from
 * (NULL: the built-in config; the proposals then stay). initial: the
 * credentials the shards started with, wiped and emptied by the first
 * reload that replaces them.
 */
void ifd_creds_reload_attach(struct ifd_config *cfg, const char *config_path, struct rt *rt,
			     struct ifd_app *app, unsigned nb_shards, struct ifd_creds *initial);

/* Control thread (telemetry): 0 with a summary in msg, or -1 with the reason. */
int ifd_creds_reload(char *msg, size_t len);

/* After the shards are gone: frees the lists the reloads made. */
void ifd_creds_reload_fini(void);

#endif
