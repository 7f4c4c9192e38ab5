#!/bin/sh
# Installs what building, running and testing Chronoscope needs on Debian 12 (as root).
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
    g++ cmake ninja-build pkg-config ca-certificates clang-14 libclang-rt-14-dev mold \
    qt6-base-dev qt6-declarative-dev qt6-charts-dev libqt6charts6-dev libgl-dev \
    qt6-qpa-plugins libqt6svg6 \
    libsqlite3-dev nlohmann-json3-dev libssl-dev libpq-dev libjemalloc-dev postgresql-15 \
    nodejs xvfb xauth imagemagick
