// User projections: saved in the store and surviving a reopen, names validated (never a
// bundled name, no control characters), a script that does not compile refused with its
// line, refused on read-only stores, rename and remove, and a second connection seeing
// the table another one created.

#include "store_fixture.h"

#include <engine/bundled_projections.h>
#include <engine/time_format.h>
#include <engine/user_projections.h>

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const std::string kCountScript = "fromAll().when({ $init: () => ({ n: 0 }), $any: (s, e) => { s.n++; } })";

std::unique_ptr<UserProjections> openProjections(Store& store)
{
    auto opened = UserProjections::open(store);
    if (!opened) qFatal("cannot open user projections: %s", opened.error().message.c_str());
    return std::move(*opened);
}

// "name:author" for each projection, space-separated.
std::string render(UserProjections& projections)
{
    auto all = projections.list();
    if (!all) return "error: " + all.error().message;
    std::string text;
    for (const UserProjection& projection : *all) {
        if (!text.empty()) text += ' ';
        text += projection.name + ':' + projection.author;
    }
    return text;
}

bool mentions(const Error& error, const char* text)
{
    return error.message.find(text) != std::string::npos;
}

}  // namespace

class TestUserProjections : public QObject {
    Q_OBJECT
private slots:
    void savedProjectionsSurviveReopening()
    {
        TemporaryStore store;
        {
            auto projections = openProjections(*store);
            QVERIFY(projections->writable());
            QCOMPARE(render(*projections), std::string());
            QVERIFY(projections->save("zeta", kCountScript, "alice"));
            QVERIFY(projections->save("alpha count", kCountScript));
        }
        store.store.reset();
        auto reopened = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(reopened);
        auto projections = openProjections(**reopened);
        QVERIFY(!projections->writable());
        QCOMPARE(render(*projections), "alpha count:" + defaultAuthor() + " zeta:alice");
        auto zeta = projections->get("zeta");
        QVERIFY(zeta && *zeta);
        QCOMPARE((*zeta)->script, kCountScript);
        QVERIFY(parseTime((*zeta)->savedAt));
        auto missing = projections->get("nothing");
        QVERIFY(missing && !*missing);
    }

    void saveReplacesOrRefusesAnExistingName()
    {
        TemporaryStore store;
        auto projections = openProjections(*store);
        QVERIFY(projections->save("mine", kCountScript, "alice"));
        const std::string changed = "fromAll().when({ $any: (s, e) => s })";
        QVERIFY(projections->save("mine", changed, "bob"));
        QCOMPARE((*projections->get("mine"))->script, changed);
        QCOMPARE(render(*projections), std::string("mine:bob"));
        auto refused = projections->save("mine", kCountScript, "carol", UserProjections::Existing::Refuse);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Conflict);
        QCOMPARE((*projections->get("mine"))->script, changed);
    }

    void badNamesAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("mentioned");
        const std::string bundled = bundledProjections().front().name;
        QTest::newRow("empty") << QString() << "needs a name";
        QTest::newRow("bundled") << QString::fromStdString(bundled) << "bundled";
        QTest::newRow("bundled.js") << QString::fromStdString(bundled + ".js") << "bundled";
        QTest::newRow("bundled upper case") << QString::fromStdString(bundled).toUpper() << "bundled";
        QTest::newRow("newline") << "two\nlines" << "control character";
        QTest::newRow("tab") << "a\tb" << "control character";
        QTest::newRow("C1 control") << QString::fromUtf8("a\u0085b") << "control character";
        QTest::newRow("leading space") << " padded" << "space";
        QTest::newRow("too long") << QString(300, QLatin1Char('x')) << "at most";
    }

    void badNamesAreRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, mentioned);
        TemporaryStore store;
        auto projections = openProjections(*store);
        auto saved = projections->save(name.toStdString(), kCountScript);
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(mentions(saved.error(), mentioned.toUtf8().constData()), saved.error().message.c_str());
        QCOMPARE(render(*projections), std::string());
        QVERIFY(!validateUserProjectionName(name.toStdString()));
        QVERIFY(validateUserProjectionName("order status (mine)"));
        QVERIFY(validateUserProjectionName("état des commandes"));
    }

    void aScriptThatDoesNotCompileIsRefusedNamingItsLine()
    {
        TemporaryStore store;
        auto projections = openProjections(*store);
        const std::string broken = "fromAll()\n  .when({\n    $any: (s, e) => { s.n++ \n  })\n";
        auto saved = projections->save("broken", broken);
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, ErrorCode::Script);
        QVERIFY2(mentions(saved.error(), "line 4") && mentions(saved.error(), "column 4"), saved.error().message.c_str());
        QVERIFY(mentions(saved.error(), "broken"));
        // A definition mistake (no selector) is refused too.
        auto noSelector = projections->save("empty", "var x = 1;");
        QVERIFY(!noSelector);
        QCOMPARE(noSelector.error().code, ErrorCode::Script);
        QCOMPARE(render(*projections), std::string());
    }

    void readOnlyStoreRefusesChanges()
    {
        TemporaryStore store;
        QVERIFY(openProjections(*store)->save("kept", kCountScript));
        auto readOnly = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(readOnly);
        auto projections = openProjections(**readOnly);
        for (auto result : {projections->save("new", kCountScript), projections->rename("kept", "other"),
                            projections->remove("kept")}) {
            QVERIFY(!result);
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(mentions(result.error(), "read-only"), result.error().message.c_str());
        }
        QCOMPARE(render(*projections), "kept:" + defaultAuthor());
    }

    void readOnlyStoreWithoutTheTableListsNothing()
    {
        TemporaryStore store;
        auto readOnly = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(readOnly);
        auto projections = openProjections(**readOnly);
        QCOMPARE(render(*projections), std::string());
        auto missing = projections->get("x");
        QVERIFY(missing && !*missing);
        QVERIFY(!projections->save("x", kCountScript));
    }

    void renameAndRemove()
    {
        TemporaryStore store;
        auto projections = openProjections(*store);
        QVERIFY(projections->save("a", kCountScript, "alice"));
        QVERIFY(projections->save("b", kCountScript, "bob"));
        auto taken = projections->rename("a", "b");
        QVERIFY(!taken);
        QCOMPARE(taken.error().code, ErrorCode::Conflict);
        auto missing = projections->rename("zzz", "c");
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        auto bundledName = projections->rename("a", bundledProjections().front().name);
        QVERIFY(!bundledName);
        QCOMPARE(bundledName.error().code, ErrorCode::InvalidArgument);
        QVERIFY(projections->rename("a", "c"));
        QCOMPARE(render(*projections), std::string("b:bob c:alice"));
        QVERIFY(projections->remove("b"));
        auto again = projections->remove("b");
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::NotFound);
        QCOMPARE(render(*projections), std::string("c:alice"));
    }

    void anotherConnectionSeesTheNewTable()
    {
        TemporaryStore store;
        auto first = openProjections(*store);
        auto second = openProjections(*store);
        QCOMPARE(render(*second), std::string());
        QVERIFY(first->save("shared", kCountScript, "alice"));
        QCOMPARE(render(*second), std::string("shared:alice"));
        QVERIFY(second->remove("shared"));
        QCOMPARE(render(*first), std::string());
    }

    void aFailedSaveLeavesNoTableBehind()
    {
        TemporaryStore store;
        auto projections = openProjections(*store);
        QVERIFY(!projections->save("broken", "fromAll().when({"));
        // The table is created by the first successful save only.
        QCOMPARE(render(*projections), std::string());
        QVERIFY(projections->save("fine", kCountScript));
        QCOMPARE(render(*projections), "fine:" + defaultAuthor());
    }
};

QTEST_APPLESS_MAIN(TestUserProjections)
#include "test_user_projections.moc"
