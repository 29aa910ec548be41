#!/usr/bin/env bash
# The command line on the bundled seeds: check segmentation, then collate.
# Writes into ./out (or $OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-out}
mkdir -p "$OUT"

# 1. Is the segmentation right? One segment per line: index, kind, turn, text.
align segment seeds/000_a4ada30fd18f0cb7.txt > "$OUT/000.segments.tsv"
sed -n 1,8p "$OUT/000.segments.tsv"

# 2. Two translations of the interview, with readable sigla.
align collate seeds/000_a4ada30fd18f0cb7.txt seeds/001_0e46ad283a0c1166.txt \
    --sigil sputnik --sigil ria -o "$OUT/sputnik_ria.xml"

# 3. Four renderings at once (two translations and two news reports).
align collate seeds/000_*.txt seeds/001_*.txt seeds/003_*.txt seeds/004_*.txt -o "$OUT/four.xml"

# 4. From standard input.
align collate - seeds/001_0e46ad283a0c1166.txt < seeds/000_a4ada30fd18f0cb7.txt > "$OUT/from_stdin.xml"
