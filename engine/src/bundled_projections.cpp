#include "bundled_projections_data.h"

#include <engine/bundled_projections.h>

namespace chronoscope {
namespace {

std::string summaryOf(const std::string& script)
{
    std::string line = script.substr(0, script.find('\n'));
    if (line.rfind("//", 0) != 0) return {};
    line.erase(0, line.find_first_not_of("/ "));
    return line;
}

}  // namespace

const std::vector<BundledProjection>& bundledProjections()
{
    static const std::vector<BundledProjection> projections = [] {
        std::vector<BundledProjection> list;
        for (const BundledProjectionSource* source = kBundledProjectionSources; source->name; ++source)
            list.push_back(BundledProjection{source->name, summaryOf(source->script), source->script});
        return list;
    }();
    return projections;
}

const BundledProjection* findBundledProjection(const std::string& name)
{
    for (const BundledProjection& projection : bundledProjections())
        if (projection.name == name) return &projection;
    return nullptr;
}

}  // namespace chronoscope
