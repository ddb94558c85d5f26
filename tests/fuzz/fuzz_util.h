/*
 * fuzz_util.h - helpers shared by the libFuzzer targets (header only: each
 * target is one file plus this).
 */
#ifndef RC_FUZZ_UTIL_H
#define RC_FUZZ_UTIL_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The input as a NUL-terminated string (cut at its first NUL, as a C
 * caller would see it).  Caller frees. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Write the input to a file and return its path, for the loaders that only
 * take a path (key files, libconfig).  One memfd, created on the first call
 * and rewritten for each input: no disk I/O and nothing left behind.  The
 * loaders open /proc/self/fd/N afresh, which starts at offset 0 and is a
 * regular file (key_load_file insists on that).
 */
static inline const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	size_t off = 0;
	ssize_t n;

	if (fd == -1) {
		if ((fd = memfd_create("rollcall-fuzz", MFD_CLOEXEC)) == -1) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1)
		abort();
	while (off < size) {
		if ((n = pwrite(fd, data + off, size - off, (off_t)off)) <= 0)
			abort();
		off += (size_t)n;
	}
	return path;
}

/* Case-insensitive search for needle in the first size bytes of data. */
static inline int
fuzz_contains_ci(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle), i, j;

	for (i = 0; n <= size && i <= size - n; i++) {
		for (j = 0; j < n; j++) {
			if (tolower(data[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

#endif
