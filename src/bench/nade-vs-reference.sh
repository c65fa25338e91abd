#!/usr/bin/env bash
# NADE-CVD training next to the PyTorch reference network on the same data, split and machine.
#
#   src/bench/nade-vs-reference.sh --reference PATH/nade_reference.py --data DATA.csv.gz \
#       [--batch 32] [--lr 1e-3] [--seconds 300] [--threads 1] [--val 1000] [--test 1000] [--sequential]
#
# DATA is the service's long CSV (an export of a dataset, or a realistic sample). Both trainers get
# the same split (the reference's numpy permutation, written to a file the Java benchmark reads)
# and, by default, run at the same time with one thread each so both see the same machine load.
# Prints both per-epoch logs, the time each needed to reach the reference's best validation NLL
# and the ratio (service / reference; below 1 means the service got there sooner).
# Needs: python3 with torch and numpy (Debian: python3-torch), a JDK 17.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
reference="" data="" batch=32 lr=1e-3 seconds=300 threads=1 val=1000 test=1000 sequential=false extra=()
while (($#)); do
    case "$1" in
        --reference) reference=$2; shift 2 ;;
        --data) data=$2; shift 2 ;;
        --batch) batch=$2; shift 2 ;;
        --lr) lr=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --val) val=$2; shift 2 ;;
        --test) test=$2; shift 2 ;;
        --sequential) sequential=true; shift ;;
        *) extra+=("$1"); shift ;;
    esac
done
[[ -f "$reference" && -f "$data" ]] || { echo "give --reference nade_reference.py and --data FILE" >&2; exit 2; }
python=${PYTHON:-/usr/bin/python3}
out=target/nade-vs-reference/b${batch}-lr${lr}-${seconds}s-t${threads}
mkdir -p "$out"
n=$("$python" - "$data" <<'PY'
import csv, gzip, sys
p = sys.argv[1]
with (gzip.open if p.endswith(".gz") else open)(p, "rt") as fh:
    print(len({r["profile_id"] for r in csv.DictReader(fh)}))
PY
)
"$python" -c "import numpy as np; print(' '.join(map(str, np.random.default_rng(20240).permutation($n))))" > "$out/split.txt"
./mvnw -B -q -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/cp.txt" > /dev/null
cp="target/classes:target/test-classes:$(cat "$out/cp.txt")"
run_reference() {
    OMP_NUM_THREADS=$threads "$python" "$reference" train --data "$data" --batch "$batch" --lr "$lr" \
        --seconds "$seconds" --val "$("$python" -c "print($val / $n)")" --test "$("$python" -c "print($test / $n)")" \
        --threads "$threads" > "$out/reference.log" 2>&1
}
run_service() {
    OMP_NUM_THREADS=1 java -XX:+UseSerialGC -Xmx3g -cp "$cp" org.cvdplanner.nade.NadeDataBenchmark \
        data="$data" split="$out/split.txt" val="$val" test="$test" batch="$batch" lr="$lr" seconds="$seconds" \
        threads="$threads" "${extra[@]}" 2>&1 | grep -E '^(epoch|\{|args|OMP|profiles|saved)' > "$out/service.log"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if $sequential; then run_reference; run_service; else run_reference & run_service; wait; fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== reference"; cat "$out/reference.log"
echo "== service"; cat "$out/service.log"
"$python" - "$out/reference.log" "$out/service.log" <<'PY'
import re, sys
def curve(path):
    pts = []
    for line in open(path):
        m = re.match(r"epoch\s+(\d+)\s+epoch_s\s+\S+\s+train_s\s+(\S+)\s+total_s\s+\S+\s+val_nll\s+(\S+)", line)
        if m:
            pts.append((float(m.group(2)), float(m.group(3))))
    return pts
ref, svc = curve(sys.argv[1]), curve(sys.argv[2])
target = min(v for _, v in ref)
def first(pts, t):
    return next((s for s, v in pts if v <= t), None)
tr, ts = first(ref, target), first(svc, target)
print(f"reference best validation NLL {target:.3f} reached at {tr:.1f} s of training")
print(f"service best validation NLL {min(v for _, v in svc):.3f}; reached {target:.3f} at "
      + (f"{ts:.1f} s: ratio service/reference {ts / tr:.2f}" if ts else "never within the budget"))
PY
