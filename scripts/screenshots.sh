#!/bin/sh
# Makes the README screenshots of the main window on a demo store, under Xvfb.
#
#   scripts/screenshots.sh [BUILD_DIR] [OUTPUT_DIR]
#
# BUILD_DIR defaults to ./build (it must hold bin/chronoscope and bin/chronoscope-cli);
# OUTPUT_DIR defaults to ./shots. Needs xvfb-run and ImageMagick's `import`.
# Each shot starts the GUI on its own virtual screen with a fresh settings directory,
# waits until it has printed what the shot needs (its --measure lines: the first rows
# painted, the rows counted, the selected event shown, a preview done),
# then until two captures half a second apart are the same (the panes that print nothing,
# such as the State pane and the Timeline, have settled), keeps the last capture and
# stops the GUI. A shot whose lines do not come within two minutes fails the script.
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

# The lines every shot of a selected event waits for.
shown='first rows painted|rows counted|Event pane shows event'

# shot NAME LINES [GUI ARGUMENTS...]: one screenshot once the GUI has printed each of
# LINES ('|'-separated fixed texts).
shot() {
    name=$1
    lines=$2
    shift 2
    config="$work/config-$name"
    mkdir -p "$config/Chronoscope"
    # The State pane's projection for this shot (STATE_PROJECTION, default order-status).
    printf '[state]\nprojection=%s\n' "${STATE_PROJECTION:-order-status}" >"$config/Chronoscope/chronoscope.conf"
    printf '%s\n' "$lines" | tr '|' '\n' >"$work/lines-$name"
    cat >"$work/run-$name.sh" <<SCRIPT
#!/bin/sh
log="$work/log-$name"
XDG_CONFIG_HOME="$config" CHRONOSCOPE_MEASURE_VERBOSE=1 "$gui" --measure "\$@" 2>"\$log" &
pid=\$!
waited=0
ready=
while [ \$waited -lt 1200 ]; do
    ready=yes
    while IFS= read -r line; do grep -qF "\$line" "\$log" || ready=; done <"$work/lines-$name"
    [ -n "\$ready" ] && break
    kill -0 \$pid 2>/dev/null || break
    sleep 0.1
    waited=\$((waited + 1))
done
if [ -z "\$ready" ]; then
    echo "$name: the GUI did not print all of: $lines" >&2
    cat "\$log" >&2
    kill \$pid 2>/dev/null
    exit 1
fi
# Then until the screen stands still (a text cursor's blink is a few dozen pixels).
import -window root "$work/$name-a.png"
tries=0
while [ \$tries -lt 20 ]; do
    sleep 0.5
    import -window root "$work/$name-b.png"
    changed=\$(compare -metric AE "$work/$name-a.png" "$work/$name-b.png" null: 2>&1 || true)
    mv "$work/$name-b.png" "$work/$name-a.png"
    [ "\${changed%%.*}" -lt 100 ] 2>/dev/null && break
    tries=\$((tries + 1))
done
mv "$work/$name-a.png" "$out/$name.png"
kill \$pid
wait \$pid 2>/dev/null || true
SCRIPT
    chmod +x "$work/run-$name.sh"
    xvfb-run -a -s '-screen 0 1600x1000x24' "$work/run-$name.sh" "$@"
    echo "$out/$name.png"
}

geometry="-geometry 1600x1000+0+0"
shot main-window "$shown" $geometry --select "$duplicate" "$store"
shot main-window-dark "$shown" $geometry --theme dark --select "$original" "$store"

# The README's walkthrough (three users' tasks).
# Product owner: an order's history, its state after the selected event (order-status).
order_event=$("$cli" events "$store" --stream order-42 --limit 3 | sed -n '3s/.*"position":\([0-9]*\),.*/\1/p')
shot walkthrough-order-history "$shown" $geometry --select "$order_event" "$store"
# Developer: stepping through an incident, the duplicate payment's effect on the paid total.
STATE_PROJECTION=payments-per-order shot walkthrough-replay "$shown" $geometry --select "$original" "$store"
# Support: the next duplicated payment staged as ignorable, its preview before and after.
second=$("$cli" events "$store" --filter 'type == "PaymentReceived"' --limit 4000 |
    sed -n 's/.*"position":\([0-9]*\),.*"paymentId":"\([^"]*\)".*/\2 \1/p' |
    awk 'seen[$1]++ { n++; if (n == 2) { print $2; exit } }')
if [ -n "$second" ]; then
    CHRONOSCOPE_MEASURE_HOLD_MS=60000 STATE_PROJECTION=payments-per-order \
        shot walkthrough-support-preview "$shown|preview of every projection" $geometry --fix-at "$second" --select "$second" "$store"
fi
