#pragma once
// Light and dark palettes (Fusion style), chosen in View › Theme and remembered.

#include <QString>

namespace chronoscope {

enum class Theme { System, Light, Dark };

void applyTheme(Theme theme);
Theme savedTheme();
void saveTheme(Theme theme);

}  // namespace chronoscope
