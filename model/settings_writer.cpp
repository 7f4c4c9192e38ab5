#include "model/settings_writer.h"

#include <QSettings>
#include <QThreadPool>

namespace chronoscope {
namespace {

QThreadPool* settingsPool()
{
    // One thread keeps the writes in order. Leaked on purpose, as workerPool().
    static QThreadPool* pool = [] {
        auto* created = new QThreadPool;
        created->setMaxThreadCount(1);
        created->setExpiryTimeout(10000);
        return created;
    }();
    return pool;
}

}  // namespace

void writeSettingInBackground(const QString& key, const QVariant& value)
{
    settingsPool()->start([key, value] {
        QSettings settings;
        if (value.isValid())
            settings.setValue(key, value);
        else
            settings.remove(key);
    });
}

void waitForSettingWrites() { settingsPool()->waitForDone(); }

}  // namespace chronoscope
