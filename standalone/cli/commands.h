/* commands: the subcommands of the homunculus program. Each takes its own argv (argv[0] is
 * the subcommand's name), prints its own --help, and returns an exit status (cli.h). */
#ifndef HM_COMMANDS_H
#define HM_COMMANDS_H

typedef int (*CommandFunction)(int argc, char **argv);

typedef struct {
    const char *name;    /* as typed: "play", "state show" */
    const char *args;    /* what follows the name in the usage line */
    const char *summary; /* one line for `homunculus --help` */
    CommandFunction run;
} Command;

int command_play(int argc, char **argv);
int command_demo(int argc, char **argv);
int command_state_show(int argc, char **argv);
int command_practice(int argc, char **argv);
int command_devices(int argc, char **argv);
int command_history(int argc, char **argv);
int command_report(int argc, char **argv);
int command_experiment(int argc, char **argv);
int command_simulate(int argc, char **argv);
int command_compare(int argc, char **argv);
int command_sweep(int argc, char **argv);
int command_profile(int argc, char **argv);
int command_plan(int argc, char **argv);

/* Every subcommand, in the order --help lists them; ends with a NULL name. */
extern const Command COMMANDS[];

#endif
