// state: the projection commands (filled in by the projections work).

#include "cli_common.h"

namespace chronoscope::cli {

std::vector<Command> projectionCommands() { return {}; }

}  // namespace chronoscope::cli
