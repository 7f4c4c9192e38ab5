// A LazyDockWidget shows a placeholder, never an empty pane, until its content is built
// (when it first comes on screen or a widget of it is asked for); then the content
// replaces the placeholder, which is gone.

#include "ui/lazy_dock.h"

#include <QLabel>
#include <QMainWindow>
#include <QPointer>
#include <QtTest>

using namespace chronoscope;

namespace {

class Pane : public LazyDockWidget {
public:
    explicit Pane(const QString& title, QWidget* parent = nullptr) : LazyDockWidget(title, parent) {}
    QLabel* content() const
    {
        ensureContent();
        return m_content;
    }
    int builds = 0;

protected:
    void buildContent() override
    {
        ++builds;
        m_content = new QLabel(QStringLiteral("the pane's content"), this);
        setWidget(m_content);
    }

private:
    QLabel* m_content = nullptr;
};

// The placeholder says it is loading this pane, and it is what the dock holds.
void verifyPlaceholder(const Pane& pane, const QString& title)
{
    QVERIFY(!pane.isContentBuilt());
    QCOMPARE(pane.builds, 0);
    auto* placeholder = qobject_cast<QLabel*>(pane.placeholder());
    QVERIFY(placeholder);
    QCOMPARE(pane.widget(), placeholder);
    QVERIFY(placeholder->text().contains(QStringLiteral("Loading")));
    QVERIFY(placeholder->text().contains(title));
}

}  // namespace

class TestLazyDock : public QObject {
    Q_OBJECT

private slots:
    // A floating pane shown before the window is mapped is painted with its placeholder
    // until the content is built (a queued call), then with its content.
    void shownPaneHasItsPlaceholderUntilBuilt()
    {
        Pane pane(QStringLiteral("Audit"));
        verifyPlaceholder(pane, QStringLiteral("Audit"));
        QPointer<QWidget> placeholder = pane.placeholder();
        pane.resize(300, 200);
        pane.show();
        if (!pane.isContentBuilt()) {
            QVERIFY(placeholder);
            QVERIFY(placeholder->isVisible());
            QVERIFY(placeholder->width() > 0 && placeholder->height() > 0);
        }
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QTRY_VERIFY(pane.isContentBuilt());
        QCOMPARE(pane.builds, 1);
        QCOMPARE(pane.widget(), pane.content());
        QVERIFY(pane.content()->isVisible());
        QVERIFY(!pane.placeholder());
        QVERIFY(!placeholder);  // deleted, not only hidden
    }

    // A pane behind another's tab keeps its placeholder until raised or asked for.
    void paneBehindATabIsBuiltWhenRaised()
    {
        QMainWindow window;
        window.setCentralWidget(new QLabel(QStringLiteral("list")));
        auto* front = new Pane(QStringLiteral("Timeline"), &window);
        auto* behind = new Pane(QStringLiteral("Bookmarks"), &window);
        front->setObjectName(QStringLiteral("front"));
        behind->setObjectName(QStringLiteral("behind"));
        window.addDockWidget(Qt::BottomDockWidgetArea, front);
        window.tabifyDockWidget(front, behind);
        front->raise();
        window.resize(800, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY(front->isContentBuilt());
        QTest::qWait(20);  // queued calls of the window's show are done
        verifyPlaceholder(*behind, QStringLiteral("Bookmarks"));
        QPointer<QWidget> placeholder = behind->placeholder();
        behind->raise();
        QTRY_VERIFY(behind->isContentBuilt());
        QCOMPARE(behind->builds, 1);
        QCOMPARE(behind->widget(), behind->content());
        QVERIFY(!placeholder);
    }

    // An accessor builds the content at once, and only once.
    void accessorBuildsOnce()
    {
        Pane pane(QStringLiteral("Projections"));
        QVERIFY(pane.content());
        QVERIFY(pane.isContentBuilt());
        QVERIFY(!pane.placeholder());
        pane.content();
        pane.ensureContent();
        QCOMPARE(pane.builds, 1);
        QCOMPARE(pane.widget(), pane.content());
    }
};

QTEST_MAIN(TestLazyDock)
#include "test_lazy_dock.moc"
