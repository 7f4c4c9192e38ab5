#include <engine/event.h>

namespace chronoscope {

// As in EventStoreDB's $by_category: the part before the first '-'; a name without
// '-' is its own category ("$corrections" stays "$corrections").
std::string categoryOf(const std::string& stream)
{
    const auto dash = stream.find('-');
    return dash == std::string::npos ? stream : stream.substr(0, dash);
}

}  // namespace chronoscope
