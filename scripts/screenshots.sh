#!/bin/sh
# Makes the README screenshots of the main window on a demo store, under Xvfb.
#
#   scripts/screenshots.sh [BUILD_DIR] [OUTPUT_DIR]
#
# BUILD_DIR defaults to ./build (it must hold bin/chronoscope and bin/chronoscope-cli);
# OUTPUT_DIR defaults to ./shots. Needs xvfb-run and ImageMagick's `import`.
# Each shot starts the GUI on its own virtual screen with a fresh settings directory,
# waits for it to settle, captures the screen and stops the GUI.
set -eu

build=${1:-build}
out=${2:-shots}
mkdir -p "$out"
out=$(cd "$out" && pwd)
gui=$(cd "$build/bin" && pwd)/chronoscope
cli=$(cd "$build/bin" && pwd)/chronoscope-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

store="$work/demo.chrono"
"$cli" demo "$store" >/dev/null

# Fix the planted incident's first duplicated payment the way support staff would, so
# the shots show an ignored event (struck through) and a corrective one (marked).
duplicate=$("$cli" events "$store" --filter 'type == "PaymentReceived"' --limit 2000 |
    sed -n 's/.*"position":\([0-9]*\),.*"paymentId":"\([^"]*\)".*/\2 \1/p' |
    awk 'seen[$1]++ { print $2; exit }')
original=$((duplicate - 1))
"$cli" ignore "$store" "$duplicate" --reason "Duplicate capture: the payment provider retried" --author support >/dev/null
"$cli" insert "$store" --after "$original" --type PaymentReconciled \
    --data '{"note":"second capture refunded","refund":true}' \
    --reason "Record the refund of the duplicate capture" --author support >/dev/null

# shot NAME SETTLE_SECONDS [GUI ARGUMENTS...]: one screenshot.
shot() {
    name=$1
    settle=$2
    shift 2
    config="$work/config-$name"
    mkdir -p "$config/Chronoscope"
    # The State pane's projection for this shot (STATE_PROJECTION, default order-status).
    printf '[state]\nprojection=%s\n' "${STATE_PROJECTION:-order-status}" >"$config/Chronoscope/chronoscope.conf"
    cat >"$work/run-$name.sh" <<SCRIPT
#!/bin/sh
XDG_CONFIG_HOME="$config" "$gui" "\$@" &
pid=\$!
sleep $settle
import -window root "$out/$name.png"
kill \$pid
wait \$pid 2>/dev/null || true
SCRIPT
    chmod +x "$work/run-$name.sh"
    xvfb-run -a -s '-screen 0 1600x1000x24' "$work/run-$name.sh" "$@"
    echo "$out/$name.png"
}

geometry="-geometry 1600x1000+0+0"
shot main-window 4 $geometry --select "$duplicate" "$store"
shot main-window-dark 4 $geometry --theme dark --select "$original" "$store"

# The README's walkthrough (three users' tasks).
# Product owner: an order's history, its state after the selected event (order-status).
order_event=$("$cli" events "$store" --stream order-42 --limit 3 | sed -n '3s/.*"position":\([0-9]*\),.*/\1/p')
shot walkthrough-order-history 5 $geometry --select "$order_event" "$store"
# Developer: stepping through an incident, the duplicate payment's effect on the paid total.
STATE_PROJECTION=payments-per-order shot walkthrough-replay 5 $geometry --select "$original" "$store"
# Support: the next duplicated payment staged as ignorable, its preview before and after.
second=$("$cli" events "$store" --filter 'type == "PaymentReceived"' --limit 4000 |
    sed -n 's/.*"position":\([0-9]*\),.*"paymentId":"\([^"]*\)".*/\2 \1/p' |
    awk 'seen[$1]++ { n++; if (n == 2) { print $2; exit } }')
if [ -n "$second" ]; then
    CHRONOSCOPE_MEASURE_HOLD_MS=60000 STATE_PROJECTION=payments-per-order \
        shot walkthrough-support-preview 12 $geometry --measure --fix-at "$second" --select "$second" "$store"
fi
