/* homunculus-fingering-score: scores the auto fingering estimator against annotated PIG
 * fingering files (Nakamura et al. 2020): the share of notes whose hand and finger match the
 * annotation, per file and overall. For users who have the dataset; none of it ships here. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingering.h"
#include "pig.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: homunculus-fingering-score [--lag N] FILE...\n"
            "Plays each PIG fingering file (id onset offset pitch onvel offvel channel finger)\n"
            "through the auto fingering estimator and prints how many notes get the annotated\n"
            "hand and finger, per file and overall.\n"
            "  --lag N     notes (chord groups) the estimator looks ahead, 1..%d (default 4)\n"
            "  --help      this text\n"
            "Exit status: 0 all files scored, 1 a file could not be read, 2 usage error.\n",
            FINGERING_MAX_LAG);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"lag", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    int option;
    while ((option = getopt_long(argc, argv, "l:h", options, NULL)) != -1) {
        if (option == 'h') {
            usage(stdout);
            return 0;
        }
        if (option == 'l') {
            char *end;
            long lag = strtol(optarg, &end, 10);
            if (*end || lag < 1 || lag > FINGERING_MAX_LAG) {
                fprintf(stderr, "homunculus-fingering-score: --lag '%s' is not a whole number in 1..%d\n", optarg,
                        FINGERING_MAX_LAG);
                return 2;
            }
            config.lag_notes = (int)lag;
            continue;
        }
        usage(stderr);
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "homunculus-fingering-score: no PIG file given\n");
        usage(stderr);
        return 2;
    }
    size_t all_matches = 0, all_notes = 0;
    int failed = 0;
    for (int i = optind; i < argc; i++) {
        char err[512];
        PigNote *notes = NULL;
        size_t count = 0, matches = 0, total = 0;
        if (pig_read_file(argv[i], &notes, &count, err, sizeof err) != 0 ||
            fingering_score_pig(&config, notes, count, &matches, &total, err, sizeof err) != 0) {
            fprintf(stderr, "homunculus-fingering-score: %s\n", err);
            pig_free(notes);
            failed = 1;
            continue;
        }
        printf("%-40s %6zu / %6zu notes  %5.1f %%\n", argv[i], matches, total,
               total ? 100.0 * (double)matches / (double)total : 0.0);
        all_matches += matches;
        all_notes += total;
        pig_free(notes);
    }
    if (argc - optind > 1)
        printf("%-40s %6zu / %6zu notes  %5.1f %%\n", "overall", all_matches, all_notes,
               all_notes ? 100.0 * (double)all_matches / (double)all_notes : 0.0);
    return failed;
}
