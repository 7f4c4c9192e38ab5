#pragma once
// An engine error's message as a QString, for the models' outcomes and signals.
// Thread: any.

#include <engine/result.h>

#include <QString>

namespace chronoscope {

inline QString fromError(const Error& error) { return QString::fromStdString(error.message); }

}  // namespace chronoscope
