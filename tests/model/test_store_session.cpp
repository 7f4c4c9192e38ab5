// StoreSession: opening a store (and refusing what is not one), importing an NDJSON
// file into a new store (and leaving nothing behind when a line is bad).

#include "model/store_session.h"

#include <engine/store.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace chronoscope;

namespace {

constexpr int kTimeout = 20000;

QString writeFile(const QTemporaryDir& directory, const QString& name, const QByteArray& text)
{
    const QString path = directory.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(text);
    return path;
}

}  // namespace

class TestStoreSession : public QObject {
    Q_OBJECT

private slots:
    // A store on a PostgreSQL server is named by database and host, never by its password,
    // and is not taken for a file.
    void namesServerLocationsWithoutTheirPassword()
    {
        const QString uri = QStringLiteral("postgresql://ann:secret@db.internal:5433/shop_history?sslmode=require");
        QVERIFY(StoreSession::isServerLocation(uri));
        QVERIFY(StoreSession::isServerLocation(QStringLiteral("postgres://db/x")));
        QVERIFY(!StoreSession::isServerLocation(QStringLiteral("/tmp/postgresql/x.chrono")));
        QCOMPARE(StoreSession::absoluteLocation(uri), uri);
        QCOMPARE(StoreSession::displayName(uri), QStringLiteral("shop_history on db.internal:5433 (PostgreSQL)"));
        QCOMPARE(StoreSession::displayName(QStringLiteral("postgresql:///shop?host=/run/postgresql&port=5432")),
                 QStringLiteral("shop on /run/postgresql (PostgreSQL)"));
        QCOMPARE(StoreSession::displayName(QStringLiteral("/data/shop.chrono")), QStringLiteral("shop.chrono"));
        QVERIFY(!StoreSession::displayName(uri).contains(QStringLiteral("secret")));
    }

    void importsNdjsonIntoANewStoreAndOpensIt()
    {
        QTemporaryDir directory;
        const QString ndjson = writeFile(directory, QStringLiteral("events.ndjson"),
                                         "{\"stream\":\"order-1\",\"type\":\"OrderPlaced\",\"data\":{\"amount\":5}}\n"
                                         "{\"stream\":\"order-1\",\"type\":\"OrderShipped\",\"data\":{}}\n");
        QVERIFY(StoreSession::isNdjsonFile(ndjson));
        StoreSession session;
        QSignalSpy finished(&session, &StoreSession::importFinished);
        QSignalSpy opened(&session, &StoreSession::opened);
        const QString target = directory.filePath(QStringLiteral("events.chrono"));
        session.importInto(ndjson, target);
        QVERIFY(session.isImporting());
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeout);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(1).toLongLong(), qint64(2));
        QCOMPARE(session.storePath(), target);
        auto store = Store::open(target.toStdString(), Store::OpenMode::ReadOnly);
        QVERIFY(store);
        QCOMPARE(*(*store)->lastPosition(), std::int64_t(2));
    }

    void aBadLineLeavesNoStoreBehind()
    {
        QTemporaryDir directory;
        const QString ndjson = writeFile(directory, QStringLiteral("bad.ndjson"),
                                         "{\"stream\":\"order-1\",\"type\":\"OrderPlaced\",\"data\":{}}\n"
                                         "{\"stream\":\"order-1\",\"data\":{}}\n");
        StoreSession session;
        QSignalSpy failed(&session, &StoreSession::importFailed);
        const QString target = directory.filePath(QStringLiteral("bad.chrono"));
        session.importInto(ndjson, target);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("line 2")), qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(!QFile::exists(target));
        QVERIFY(!session.isImporting());
    }

    void refusesWhatIsNotAStore()
    {
        QTemporaryDir directory;
        const QString text = writeFile(directory, QStringLiteral("notes.chrono"), "not a database at all");
        StoreSession session;
        QSignalSpy failed(&session, &StoreSession::openFailed);
        session.open(text);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QVERIFY(!failed.at(0).at(1).toString().isEmpty());
        session.open(directory.filePath(QStringLiteral("missing.chrono")));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, kTimeout);
        QVERIFY(session.storePath().isEmpty());
    }
};

QTEST_MAIN(TestStoreSession)
#include "test_store_session.moc"
