/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifd_hup - SIGHUP reloads the ticket key file. The signal is blocked in
 * every thread (ifd_hup_block() runs before EAL starts its lcores, which
 * inherit the mask) and taken by one control thread with sigtimedwait(),
 * so the reload runs as ordinary code, never in a signal handler.
 */
#ifndef IFD_HUP_H
#define IFD_HUP_H

/* Blocks SIGHUP in the calling thread and the threads it creates later. */
int ifd_hup_block(void);

/* Starts the control thread. Returns 0 or -1. */
int ifd_hup_start(void);

/* Stops and joins it. */
void ifd_hup_stop(void);

#endif
