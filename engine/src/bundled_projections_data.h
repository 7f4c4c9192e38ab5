#pragma once
// The table generated from resources/projections/*.js (bundled_projections_data.cpp.in).

namespace chronoscope {

struct BundledProjectionSource {
    const char* name;    // the file name without .js
    const char* script;  // the file's text
};

// Sorted by name; ends with {nullptr, nullptr}.
extern const BundledProjectionSource kBundledProjectionSources[];

}  // namespace chronoscope
