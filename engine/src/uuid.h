#pragma once
#include <string>

namespace chronoscope {

// A random (version 4) UUID in its 36-character text form.
std::string generateUuid();

}  // namespace chronoscope
