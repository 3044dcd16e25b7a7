/*
 * Plain driver: feeds every file under the given paths (files or folders,
 * not recursive beyond one level of subfolders) to a fuzz target, without
 * libFuzzer, so crashers found by fuzzing stay regression tests in ctest.
 * Missing paths are skipped, so the shared corpus stays optional.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/bytes.h"
#include "io/input.h"

#include <fcntl.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path, struct scrub_buf *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	enum scrub_status st = scrub_in_read_all(fd, 0, buf);
	close(fd);
	if (st != SCRUB_OK)
		return 0;
	/* Named first, so a crash or a sanitizer report says which input it was. */
	fprintf(stderr, "replay %s\n", path);
	/* In a block of exactly its size, as libFuzzer hands it, so ASan sees a read past it. */
	uint8_t *exact = malloc(buf->len ? buf->len : 1);
	if (!exact)
		return 0;
	memcpy(exact, buf->data, buf->len);
	LLVMFuzzerTestOneInput(exact, buf->len);
	free(exact);
	return 1;
}

static int replay_path(const char *path, struct scrub_buf *buf, int depth)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return replay_file(path, buf);
	if (!S_ISDIR(st.st_mode) || depth > 2)
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub)
			continue;
		count += replay_path(sub, buf, depth + 1);
	}
	closedir(d);
	return count;
}

int main(int argc, char **argv)
{
	struct scrub_buf buf;
	scrub_buf_init(&buf, (size_t)256 << 20);
	int count = 0;
	for (int i = 1; i < argc; i++)
		count += replay_path(argv[i], &buf, 0);
	scrub_buf_free(&buf);
	printf("replayed %d inputs\n", count);
	return 0;
}
