#pragma once
// The projections bundled with Chronoscope for the demo scenario (resources/projections),
// compiled into the engine: the CLI and the GUI find them by name.

#include <string>
#include <vector>

namespace chronoscope {

struct BundledProjection {
    std::string name;     // e.g. "order-status"
    std::string summary;  // the script's first comment line
    std::string script;
};

// All bundled projections, ordered by name.
const std::vector<BundledProjection>& bundledProjections();
// The projection called `name`, or nullptr.
const BundledProjection* findBundledProjection(const std::string& name);

}  // namespace chronoscope
