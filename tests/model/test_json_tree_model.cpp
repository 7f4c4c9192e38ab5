// JsonTreeModel: the tree of a document as rows (checked by QAbstractItemModelTester),
// and a replaced tree freed on a worker thread rather than on the GUI thread (a
// multi-megabyte payload's tree took the GUI thread about 100 ms to free).

#include "model/json_tree_model.h"

#include <QAbstractItemModelTester>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace chronoscope;

class TestJsonTreeModel : public QObject {
    Q_OBJECT

private slots:
    void showsTheDocumentsMembers()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRoot(buildJsonTree(R"({"a":1,"b":[true,null],"c":{"d":"e"}})", QStringLiteral("data")));
        QCOMPARE(model.rowCount(), 3);
        const QModelIndex b = model.index(1, JsonTreeModel::KeyColumn);
        QCOMPARE(b.data().toString(), QStringLiteral("b"));
        QCOMPARE(model.rowCount(b), 2);
        QCOMPARE(b.data(JsonTreeModel::PathRole).toString(), QStringLiteral("data.b"));
        model.setRoot(buildJsonTree(R"([1,2])", QStringLiteral("data")));
        QCOMPARE(model.rowCount(), 2);
        model.setRoot(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void replacedTreeIsFreedOffTheGuiThread()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::atomic<QThread*> freedOn{nullptr};
        {
            auto* root = new JsonNode;
            auto child = std::make_unique<JsonNode>();
            child->key = QStringLiteral("only");
            child->parent = root;
            root->children.push_back(std::move(child));
            model.setRoot(std::shared_ptr<const JsonNode>(root, [&freedOn](const JsonNode* node) {
                freedOn = QThread::currentThread();
                delete node;
            }));
        }
        QCOMPARE(model.rowCount(), 1);
        model.setRoot(buildJsonTree(R"({"next":1})", QStringLiteral("data")));
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("next"));
        QTRY_VERIFY(freedOn.load() != nullptr);
        QVERIFY(freedOn.load() != QThread::currentThread());
    }
};

QTEST_MAIN(TestJsonTreeModel)
#include "test_json_tree_model.moc"
