/* files: atomic writes replace regular files only, and whole-file reads. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "suites.h"

/* Asserts that path holds exactly size bytes of expected. */
static void assert_file_holds(const char *path, const uint8_t *expected, size_t size)
{
    uint8_t *data = NULL;
    size_t got = 0;
    char err[256];
    ck_assert_msg(files_read(path, 100, &data, &got, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(got, size);
    ck_assert_mem_eq(data, expected, size);
    free(data);
}

START_TEST(test_write_then_read_back)
{
    char folder[] = "/tmp/hm-files-XXXXXX", path[64], err[256];
    ck_assert_ptr_nonnull(mkdtemp(folder));
    snprintf(path, sizeof path, "%s/a.bin", folder);
    const uint8_t first[] = {1, 2, 3}, second[] = {9, 8, 7, 6};
    ck_assert_int_eq(files_write_atomic(path, first, sizeof first, err, sizeof err), 0);
    ck_assert_int_eq(files_write_atomic(path, second, sizeof second, err, sizeof err), 0);
    assert_file_holds(path, second, sizeof second);
    uint8_t *data = NULL;
    size_t size = 0;
    ck_assert_int_eq(files_read(path, 2, &data, &size, err, sizeof err), -1); /* over the limit */
    unlink(path);
    rmdir(folder);
}
END_TEST

/* Saving "to /dev/null" (or to a folder) must never replace it with a file. */
START_TEST(test_devices_and_folders_are_never_replaced)
{
    char err[256] = "";
    const uint8_t data[] = {1};
    ck_assert_int_eq(files_write_atomic("/dev/null", data, sizeof data, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "not a regular file") != NULL, "message: %s", err);
    struct stat st;
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    char folder[] = "/tmp/hm-files-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(folder));
    ck_assert_int_eq(files_write_atomic(folder, data, sizeof data, err, sizeof err), -1);
    ck_assert_int_eq(stat(folder, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    rmdir(folder);
}
END_TEST

/* Issue 20: a symbolic link (or a hard link) planted at OUT.tmp is never written through: the
 * file it names keeps its bytes, OUT gets the new ones, and no OUT.tmp is left. */
START_TEST(test_links_at_the_temporary_name_are_not_followed)
{
    char folder[] = "/tmp/hm-files-XXXXXX", path[64], temp[80], victim[80], err[256] = "";
    ck_assert_ptr_nonnull(mkdtemp(folder));
    snprintf(path, sizeof path, "%s/out.png", folder);
    snprintf(temp, sizeof temp, "%s.tmp", path);
    snprintf(victim, sizeof victim, "%s/victim", folder);
    const uint8_t precious[] = {'k', 'e', 'e', 'p'}, data[] = {1, 2, 3};
    ck_assert_int_eq(files_write_atomic(victim, precious, sizeof precious, err, sizeof err), 0);
    for (int hard = 0; hard <= 1; hard++) {
        ck_assert_int_eq(hard ? link(victim, temp) : symlink(victim, temp), 0);
        ck_assert_msg(files_write_atomic(path, data, sizeof data, err, sizeof err) == 0, "%s", err);
        assert_file_holds(victim, precious, sizeof precious);
        assert_file_holds(path, data, sizeof data);
        struct stat st;
        ck_assert_int_eq(lstat(temp, &st), -1);
    }
    /* the streaming writers' temporary file likewise */
    ck_assert_int_eq(symlink(victim, temp), 0);
    char *name = NULL;
    int fd = files_temp_create(path, &name, err, sizeof err);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, sizeof data), (ssize_t)sizeof data);
    close(fd);
    ck_assert_int_eq(files_commit_temp(name, path, err, sizeof err), 0);
    free(name);
    struct stat st;
    ck_assert_int_eq(stat(victim, &st), 0);
    ck_assert_int_eq(st.st_size, (off_t)sizeof precious);
    unlink(path), unlink(victim);
    rmdir(folder);
}
END_TEST

Suite *files_suite(void)
{
    Suite *s = suite_create("files");
    TCase *c = tcase_create("files");
    tcase_add_test(c, test_write_then_read_back);
    tcase_add_test(c, test_devices_and_folders_are_never_replaced);
    tcase_add_test(c, test_links_at_the_temporary_name_are_not_followed);
    suite_add_tcase(s, c);
    return s;
}
