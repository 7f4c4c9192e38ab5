#!/bin/sh
# Renders resources/icons/chronoscope.svg to the PNG sizes the application and the
# .desktop file use. Needs ImageMagick.
set -eu
cd "$(dirname "$0")/../resources/icons"
for size in 16 32 48 64 128 256; do
    convert -background none chronoscope.svg -resize "${size}x${size}" "chronoscope-${size}.png"
done
