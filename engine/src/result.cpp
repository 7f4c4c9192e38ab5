#include <engine/result.h>

namespace chronoscope {

// The names are stable identifiers (CLI messages and logs may show them), not
// user-facing sentences.
const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::Conflict: return "Conflict";
    case ErrorCode::Corruption: return "Corruption";
    case ErrorCode::Io: return "Io";
    case ErrorCode::Unsupported: return "Unsupported";
    case ErrorCode::Cancelled: return "Cancelled";
    case ErrorCode::Script: return "Script";
    }
    return "Unknown";
}

}  // namespace chronoscope
