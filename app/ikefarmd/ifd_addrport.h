/* SPDX-License-Identifier: BSD-3-Clause */
/* ifd_addrport - "ADDR:PORT" and "[V6ADDR]:PORT" as given in the config. */
#ifndef IFD_ADDRPORT_H
#define IFD_ADDRPORT_H

#include <sys/socket.h>

/* Fills ss and its length; 0, or -1 when s is not an address and a port 1..65535. */
int ifd_addrport_parse(const char *s, struct sockaddr_storage *ss, unsigned *len);

#endif
