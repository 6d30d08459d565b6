/* SPDX-License-Identifier: BSD-3-Clause */
/* esp_status.c - names of the ESP outcomes (esp_status.h). */
#include "esp_status.h"

#define ESP_STATUS_NAME(name, str) [name] = str,
static const char *const names[] = {ESP_STATUS_LIST(ESP_STATUS_NAME)};

const char *
esp_status_name(enum esp_status st)
{
	return (unsigned)st < ESP_NB_STATUS ? names[st] : "?";
}
