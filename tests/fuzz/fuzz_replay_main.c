/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_replay_main.c - runs LLVMFuzzerTestOneInput over every file of a
 * corpus directory without libFuzzer, so the corpus (seeds and past
 * crashers) is a regression test in every gcc build.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1 << 20)

int
main(int argc, char **argv)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	struct dirent *de;
	unsigned int n = 0;
	char path[4096];
	DIR *dir;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	dir = opendir(argv[1]);
	if (dir == NULL) {
		perror(argv[1]);
		return 1;
	}
	while ((de = readdir(dir)) != NULL) {
		size_t len;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		f = fopen(path, "rb");
		if (f == NULL) {
			perror(path);
			closedir(dir);
			return 1;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		n++;
	}
	closedir(dir);
	printf("replayed %u inputs from %s\n", n, argv[1]);
	/* An empty corpus would make this test pass while checking nothing. */
	return n == 0;
}
