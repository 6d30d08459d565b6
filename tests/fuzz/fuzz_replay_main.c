/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_replay_main.c - runs LLVMFuzzerTestOneInput over every file of a
 * corpus directory without libFuzzer, so the corpus (seeds and past
 * crashers) is a regression test in every gcc build (strongSwan's
 * libFuzzerLocal idea). With RUNS, it then runs that many inputs made by
 * deterministic mutations of the corpus (bit flips, interesting values,
 * insertions, deletions, truncations, splices), so every build, the ASan
 * one included, also explores a fixed number of executions around it.
 *
 *   fuzz_replay CORPUS_DIR [RUNS [SEED]]
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"

#define REPLAY_MAX_INPUT (1 << 20)
#define REPLAY_MAX_FILES 4096
#define MUTANT_MAX (1 << 16)

struct input {
	uint8_t *p;
	size_t len;
};

static struct input corpus[REPLAY_MAX_FILES];
static unsigned nb_inputs;
static uint64_t rng;

static uint64_t
next_rand(void)
{
	/* xorshift64*: reproducible from the seed on every platform */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : (size_t)(next_rand() % n);
}

static int
load(const char *dir_path)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	struct dirent *de;
	char path[4096];
	DIR *dir;

	dir = opendir(dir_path);
	if (dir == NULL) {
		perror(dir_path);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		size_t len;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir_path, de->d_name);
		f = fopen(path, "rb");
		if (f == NULL) {
			perror(path);
			closedir(dir);
			return -1;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		/* Replayed at once: a crash names the file that caused it. */
		fprintf(stderr, "%s\n", path);
		LLVMFuzzerTestOneInput(buf, len);
		if (nb_inputs < REPLAY_MAX_FILES && len <= MUTANT_MAX) {
			corpus[nb_inputs].p = malloc(len ? len : 1);
			if (corpus[nb_inputs].p == NULL)
				break;
			memcpy(corpus[nb_inputs].p, buf, len);
			corpus[nb_inputs++].len = len;
		}
	}
	closedir(dir);
	return 0;
}

/* One mutation of m (len octets, room for MUTANT_MAX); returns the new length. */
static size_t
mutate_once(uint8_t *m, size_t len)
{
	static const uint8_t interesting[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x20, 0x22, 0x2e,
					      0x0a, 0x3d, 0x23, 0x5b, 0x5d, 0x30, 0x81, 0x82};
	const struct input *o;
	size_t pos = below(len), n;

	switch (below(8)) {
	case 0: /* bit flip */
		if (len)
			m[pos] ^= (uint8_t)(1u << below(8));
		return len;
	case 1: /* interesting octet */
		if (len)
			m[pos] = interesting[below(sizeof(interesting))];
		return len;
	case 2: /* random octet */
		if (len)
			m[pos] = (uint8_t)next_rand();
		return len;
	case 3: /* insert an octet */
		if (len >= MUTANT_MAX)
			return len;
		memmove(m + pos + 1, m + pos, len - pos);
		m[pos] = (uint8_t)next_rand();
		return len + 1;
	case 4: /* delete a run */
		n = 1 + below(len - pos < 16 ? len - pos : 16);
		if (len == 0)
			return 0;
		memmove(m + pos, m + pos + n, len - pos - n);
		return len - n;
	case 5: /* truncate */
		return pos;
	case 6: /* 16-bit field set to a length-like value */
		if (len >= 2) {
			pos = below(len - 1);
			n = below(4) == 0 ? 0xffff : below(len + 8);
			m[pos] = (uint8_t)(n >> 8);
			m[pos + 1] = (uint8_t)n;
		}
		return len;
	default: /* splice: the tail of another input */
		o = &corpus[below(nb_inputs)];
		n = below(o->len);
		if (pos + (o->len - n) > MUTANT_MAX)
			return len;
		memcpy(m + pos, o->p + n, o->len - n);
		return pos + (o->len - n);
	}
}

static void
run_mutants(unsigned long runs)
{
	static uint8_t m[MUTANT_MAX];

	for (unsigned long r = 0; r < runs; r++) {
		const struct input *in = &corpus[below(nb_inputs)];
		size_t len = in->len;
		unsigned k = 1 + (unsigned)below(4);

		memcpy(m, in->p, len);
		while (k-- > 0)
			len = mutate_once(m, len);
		LLVMFuzzerTestOneInput(m, len);
	}
}

int
main(int argc, char **argv)
{
	unsigned long runs = 0;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s CORPUS_DIR [RUNS [SEED]]\n", argv[0]);
		return 2;
	}
	if (argc >= 3)
		runs = strtoul(argv[2], NULL, 10);
	rng = argc == 4 ? strtoull(argv[3], NULL, 0) : 0x1ce0fa2d;
	if (rng == 0)
		rng = 1;
	if (load(argv[1]) != 0)
		return 1;
	/* An empty corpus would make this test pass while checking nothing. */
	if (nb_inputs == 0) {
		fprintf(stderr, "%s: empty corpus\n", argv[1]);
		return 1;
	}
	run_mutants(runs);
	printf("replayed %u inputs from %s, then %lu mutants\n", nb_inputs, argv[1], runs);
	for (unsigned i = 0; i < nb_inputs; i++)
		free(corpus[i].p);
	return 0;
}
