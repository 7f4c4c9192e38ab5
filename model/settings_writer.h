#pragma once
// Writes settings (QSettings) off the GUI thread: QSettings writes its file to disk
// when the object goes away, 5-20 ms on a busy machine, too long for the GUI thread on
// the way to the first rows. Writes run one at a time in the order asked, on a thread
// of their own; a QSettings read later in the process sees them once written.
//
// Thread: call from any thread.

#include <QString>
#include <QVariant>

namespace chronoscope {

// Sets `key` to `value`, or removes it when `value` is invalid (QVariant()).
void writeSettingInBackground(const QString& key, const QVariant& value);
// Waits until every write asked for so far is on disk (tests, quitting).
void waitForSettingWrites();

}  // namespace chronoscope
