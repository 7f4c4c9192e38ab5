#include "ui/recent_files.h"

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

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), m_menu(menu) { rebuildMenu(); }

QStringList RecentFiles::paths() const { return QSettings().value(kRecentFilesKey).toStringList(); }

void RecentFiles::add(const QString& path)
{
    const QString absolute = StoreSession::absoluteLocation(path);
    QStringList recent = paths();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaximumRecentFiles) recent.removeLast();
    QSettings().setValue(kRecentFilesKey, recent);
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
        QSettings().remove(kRecentFilesKey);
        rebuildMenu();
    });
}

}  // namespace chronoscope
