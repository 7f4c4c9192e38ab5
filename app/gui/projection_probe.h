#pragma once
// Measurement for `chronoscope STORE --measure --rebuild-projection NAME`: once the store
// is shown, rebuilds the projection NAME through the Projections pane (as a click on
// Rebuild does), prints how long the fold and the whole task took and the events per
// second on stderr, and quits. With --measure the responsiveness probe reports how long
// the GUI thread was ever busy meanwhile.

#include <QString>

namespace chronoscope {

class MainWindow;
class MeasuredApplication;

void rebuildProjectionAndQuit(MeasuredApplication* application, MainWindow* window, const QString& name);

}  // namespace chronoscope
