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

# 2. Two translations of the interview, with readable sigla and what each witness is
#    (written into <witness>; or --witnesses FILE.csv).
align collate seeds/000_a4ada30fd18f0cb7.txt seeds/001_0e46ad283a0c1166.txt \
    --sigil sputnik --sigil ria \
    --title "Interview with Stanislav Zas" --publisher Sputnik \
    --title "Interview with Stanislav Zas" --publisher "RIA Novosti (CSTO site)" \
    -o "$OUT/sputnik_ria.xml"

# 3. Four renderings at once (two translations and two news reports).
align collate seeds/000_*.txt seeds/001_*.txt seeds/003_*.txt seeds/004_*.txt -o "$OUT/four.xml"

# 4. From standard input.
align collate - seeds/001_0e46ad283a0c1166.txt < seeds/000_a4ada30fd18f0cb7.txt > "$OUT/from_stdin.xml"

# 5. Read it: one self-contained page (open it in any browser, offline).
align html "$OUT/four.xml" -o "$OUT/four.html"

# 6. Other tools: CollateX's JSON table, a spreadsheet, a printed-style apparatus.
align convert "$OUT/sputnik_ria.xml" --format json -o "$OUT/sputnik_ria.json"
align convert "$OUT/sputnik_ria.xml" --format csv -o "$OUT/sputnik_ria.csv"
align convert "$OUT/sputnik_ria.xml" --format apparatus -o "$OUT/sputnik_ria.txt"
sed -n 8,14p "$OUT/sputnik_ria.txt"

# 7. How good and how alike: score against the shipped hand alignment, then statistics.
align collate seeds/000_a4ada30fd18f0cb7.txt seeds/001_0e46ad283a0c1166.txt -o "$OUT/000_001.xml"
align evaluate "$OUT/000_001.xml" seeds/gold/gold_000_001.json | head -4
align stats "$OUT/four.xml" > "$OUT/four.stats.txt"

# 8. The source beside its translations: the Russian text (005, written for the project)
#    and the two English renderings; each English sentence is linked to its Russian one.
align collate seeds/005_ru_source.txt seeds/000_a4ada30fd18f0cb7.txt seeds/001_0e46ad283a0c1166.txt \
    -s ru -s sputnik -s ria --source ru -o "$OUT/ru_sputnik_ria.xml"
align evaluate "$OUT/ru_sputnik_ria.xml" seeds/gold/gold_005_000.json --a ru --b sputnik | head -3
