#include "ui/recent_files.h"

#include "model/settings_writer.h"
#include "model/store_session.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace chronoscope {
namespace {

constexpr int kMaximumRecentFiles = 10;
const QString kRecentFilesKey = QStringLiteral("recentFiles");

}  // namespace

RecentFiles::RecentFiles(QMenu* menu, QObject* parent)
    : QObject(parent), m_menu(menu), m_paths(QSettings().value(kRecentFilesKey).toStringList())
{
    rebuildMenu();
}

QStringList RecentFiles::paths() const { return m_paths; }

void RecentFiles::add(const QString& path)
{
    const QString absolute = StoreSession::absoluteLocation(path);
    m_paths.removeAll(absolute);
    m_paths.prepend(absolute);
    while (m_paths.size() > kMaximumRecentFiles) m_paths.removeLast();
    // Written on a worker: saving the settings file is not for the GUI thread.
    writeSettingInBackground(kRecentFilesKey, m_paths);
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    const QStringList recent = paths();
    for (int i = 0; i < recent.size(); ++i) {
        const QString& path = recent[i];
        QAction* action = m_menu->addAction(QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(QDir::toNativeSeparators(path)));
        connect(action, &QAction::triggered, this, [this, path] { emit fileChosen(path); });
    }
    if (recent.isEmpty()) m_menu->addAction(tr("No recent files"))->setEnabled(false);
    m_menu->addSeparator();
    QAction* clear = m_menu->addAction(tr("&Clear Menu"));
    clear->setEnabled(!recent.isEmpty());
    connect(clear, &QAction::triggered, this, [this] {
        m_paths.clear();
        writeSettingInBackground(kRecentFilesKey, QVariant());
        rebuildMenu();
    });
}

}  // namespace chronoscope
