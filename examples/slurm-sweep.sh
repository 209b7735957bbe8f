#!/usr/bin/env bash
# A sweep as a Slurm job array: each array element runs one share of the grid on one core.
#   sbatch --array=1-16 examples/slurm-sweep.sh study.ini results
# Then gather the shares' summaries (docs/schedules.md, "On a cluster"):
#   (head -n 1 results/summary-1-of-16.csv; tail -q -n +2 results/summary-*-of-16.csv | sort -s -t, -k1,1n) >results/summary.csv
#SBATCH --job-name=homunculus-sweep
#SBATCH --cpus-per-task=1
#SBATCH --mem=512M
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.out
set -eu
schedule=${1:?usage: sbatch --array=1-N slurm-sweep.sh SCHEDULE [DIR]}
dir=${2:-sweep-out}
task=${SLURM_ARRAY_TASK_ID:?run as a job array: sbatch --array=1-N}
tasks=${SLURM_ARRAY_TASK_COUNT:?run as a job array: sbatch --array=1-N}
# The varied keys and values: edit for your study (every share must use the same grid).
exec homunculus sweep "$schedule" \
    --vary inhibition=9.6,8,6,4 \
    --vary age=8,12,30 \
    --task "$task/$tasks" -o "$dir"
