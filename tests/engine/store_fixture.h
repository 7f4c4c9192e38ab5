#pragma once
// Helpers for engine tests: temporary stores and short event constructors.

#include <engine/store.h>

#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <string>

namespace chronoscope::test {

inline NewEvent makeEvent(std::string type, std::string data = "{}", std::string id = {})
{
    NewEvent event;
    event.type = std::move(type);
    event.data = std::move(data);
    event.id = std::move(id);
    return event;
}

// A new store in a temporary directory that lives as long as the fixture.
class TemporaryStore {
public:
    TemporaryStore()
    {
        auto opened = Store::open(path(), Store::OpenMode::CreateIfMissing);
        if (!opened) qFatal("cannot create store: %s", opened.error().message.c_str());
        store = std::move(*opened);
    }
    std::string path() const { return m_directory.filePath("test.chrono").toStdString(); }
    Store* operator->() { return store.get(); }
    Store& operator*() { return *store; }

    std::unique_ptr<Store> store;

private:
    QTemporaryDir m_directory;
};

}  // namespace chronoscope::test
