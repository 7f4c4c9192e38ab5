#pragma once
// The File › Open Recent menu, kept in QSettings ("recentFiles", written on a worker).

#include <QObject>
#include <QStringList>

class QMenu;

namespace chronoscope {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    RecentFiles(QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    QStringList paths() const;

signals:
    void fileChosen(const QString& path);

private:
    void rebuildMenu();

    QMenu* m_menu;
    QStringList m_paths;  // newest first
};

}  // namespace chronoscope
