/* fuzz_practice_log: the practice log's reader (practice_log_parse_line, what `history` and
 * every append run on each line) on any text, line by line. A line it accepts must be written
 * back by the writer (practice_log_format) as a line that reads to the same record: what the
 * writer writes, the reader reads (issue 20). A refusal names its column. */
#include <string.h>

#include "fuzz.h"
#include "practice_log.h"

static void check_line(const char *line)
{
    PracticeSessionRecord *record = malloc(sizeof *record), *again = malloc(sizeof *again);
    char *text = malloc(PRACTICE_LOG_LINE_MAX), *text_again = malloc(PRACTICE_LOG_LINE_MAX), err[256] = "";
    FUZZ_CHECK(record && again && text && text_again);
    if (practice_log_parse_line(line, record, err, sizeof err) != 0) {
        FUZZ_CHECK(strncmp(err, "column ", 7) == 0);
    } else {
        int length = practice_log_format(record, text, PRACTICE_LOG_LINE_MAX);
        FUZZ_CHECK(length > 0 && text[length - 1] == '\n');
        text[length - 1] = '\0';
        FUZZ_CHECK(practice_log_parse_line(text, again, err, sizeof err) == 0);
        int length_again = practice_log_format(again, text_again, PRACTICE_LOG_LINE_MAX);
        FUZZ_CHECK(length_again == length);
        text_again[length_again - 1] = '\0';
        FUZZ_CHECK(strcmp(text, text_again) == 0);
    }
    free(record), free(again), free(text), free(text_again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    FUZZ_CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *line = text; line <= text + size;) {
        char *newline = memchr(line, '\n', (size_t)(text + size - line));
        if (newline)
            *newline = '\0';
        if (strlen(line) > 0 && (!newline || newline - line == (long)strlen(line)))
            check_line(line);
        if (!newline)
            break;
        line = newline + 1;
    }
    free(text);
    return 0;
}
