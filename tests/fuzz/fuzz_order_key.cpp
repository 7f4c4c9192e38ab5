// Fuzzes the fractional order keys (engine/src/order_key.cpp): the input is a sequence
// of insertions, each byte choosing the gap (after which existing key) to insert into.
// Every new key must be valid and sort strictly between its neighbours, so the list
// stays strictly increasing however the inserts pile up.
#include "order_key.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > 4096) return 0;
    std::vector<std::string> keys;
    for (std::int64_t position = 1; position <= 4; ++position)
        keys.push_back(chronoscope::orderKeyForPosition(position * (position == 4 ? 1000000007 : 1)));
    for (std::size_t index = 0; index < size; ++index) {
        // Inserts go after an original or corrective key; never before the first.
        const std::size_t after = data[index] % keys.size();
        std::optional<std::string> upper;
        if (after + 1 < keys.size()) upper = keys[after + 1];
        const std::string key = chronoscope::orderKeyBetween(keys[after], upper);
        if (!chronoscope::isValidOrderKey(key)) std::abort();
        if (!(keys[after] < key)) std::abort();
        if (upper && !(key < *upper)) std::abort();
        keys.insert(keys.begin() + std::ptrdiff_t(after) + 1, key);
    }
    return 0;
}
