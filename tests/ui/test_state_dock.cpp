// The State pane driven like a user would: select an event in the main window and see
// the projection's state after it with the change highlighted; switch between the
// corrected and original views on a store with an ignored duplicate payment; play with
// Space and stop; step with Right; blame a field and find when a condition first holds.

#include "model/events_table_model.h"
#include "model/json_tree_model.h"
#include "model/projection_catalog.h"
#include "model_fixture.h"
#include "ui/events_view.h"
#include "ui/main_window.h"
#include "ui/palette.h"
#include "ui/projections_dock.h"
#include "ui/state_dock.h"
#include "ui/state_scrubber.h"
#include "window_setup.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

// One state per order stream: the amount, what was paid, how many events.
const char* const kOrderScript = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { amount: 0, paid: 0, events: 0 }; },
    OrderPlaced: function (s, e) { s.amount = e.data.amount || 0; s.events++; },
    PriceCorrected: function (s, e) { s.amount = e.data.amount; s.events++; },
    PaymentReceived: function (s, e) { s.paid += e.data.amount; s.events++; },
    $any: function (s, e) { s.events++; }
}))";

QStringList changeTexts(QListWidget* list)
{
    QStringList texts;
    for (int row = 0; row < list->count(); ++row) texts << list->item(row)->text();
    return texts;
}

}  // namespace

class TestStateDock : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_state_dock"));
        m_history = std::make_unique<HistoryStore>();
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1400, 900)));
        m_dock = m_window->stateDock();
        QVERIFY(m_dock && m_dock->isVisible());
        m_treeTester = std::make_unique<QAbstractItemModelTester>(m_dock->stateModel(),
                                                                  QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_dock->viewChooser()->setCurrentIndex(StateDock::CorrectedView);
        QVERIFY(openAndWait(m_window.get(), m_history->path(), int(HistoryStore::userEvents())));
        // The projection is saved in the store, as the Projections pane does; the catalog
        // then offers it to the State pane.
        ProjectionCatalog* catalog = m_window->projectionsDock()->catalog();
        QTRY_VERIFY_WITH_TIMEOUT(catalog->canSave(), kTimeout);
        catalog->save(QStringLiteral("order-payments"), QString::fromUtf8(kOrderScript));
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->projectionChooser()->findText(QStringLiteral("order-payments")) >= 0, kTimeout);
        m_dock->setCurrentProjection(QStringLiteral("order-payments"));
    }

    void cleanup()
    {
        m_treeTester.reset();
        m_window.reset();
    }

    // Logical order: OrderPlaced, PriceCorrected (corrective), PaymentReceived (ignored), ...
    void selectingAnEventShowsTheStateAndTheChange()
    {
        clickRow(1);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->shownState().request.position == m_history->correctivePosition
                                     && m_dock->shownState().tree, kTimeout);
        QVERIFY2(m_dock->shownState().error.isEmpty(), qPrintable(m_dock->shownState().error));
        QCOMPARE(m_dock->shownState().partition, QStringLiteral("order-1"));
        QVERIFY(changeTexts(m_dock->changeList()).contains(QStringLiteral("/amount: 10 → 12")));
        const QModelIndex amount = m_dock->stateModel()->indexOfPointer(QStringLiteral("/amount"));
        QVERIFY(amount.isValid());
        QCOMPARE(amount.data(JsonTreeModel::ChangeRole).toInt(), int(JsonNode::Change::Changed));
        QVERIFY(amount.data(Qt::BackgroundRole).value<QColor>().isValid());
        QCOMPARE(m_dock->stateModel()->index(amount.row(), JsonTreeModel::ValueColumn).data().toString(),
                 QStringLiteral("12"));
        QVERIFY2(m_dock->statusLabel()->text().contains(QStringLiteral("2 changes")), qPrintable(m_dock->statusLabel()->text()));
        saveShot(QStringLiteral("state-change"));
    }

    void originalViewCountsTheIgnoredDuplicatePayment()
    {
        clickRow(2);  // the ignored PaymentReceived
        const qint64 payment = m_history->orderFirst + 1;
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->shownState().request.position == payment && m_dock->shownState().tree, kTimeout);
        QCOMPARE(valueAt(QStringLiteral("/paid")), QStringLiteral("0"));
        QVERIFY(changeTexts(m_dock->changeList()).join(QLatin1Char('\n')).contains(QStringLiteral("did not change")));
        m_dock->viewChooser()->setCurrentIndex(StateDock::OriginalView);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->shownState().request.view.kind == CorrectionView::Kind::Original
                                     && m_dock->shownState().tree, kTimeout);
        QCOMPARE(valueAt(QStringLiteral("/paid")), QStringLiteral("10"));
        QCOMPARE(valueAt(QStringLiteral("/amount")), QStringLiteral("10"));  // no price correction in the original
        QVERIFY(changeTexts(m_dock->changeList()).contains(QStringLiteral("/paid: 0 → 10")));
        m_dock->viewChooser()->setCurrentIndex(StateDock::CorrectedView);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->shownState().request.view.kind == CorrectionView::Kind::Current, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(QStringLiteral("/paid")), QStringLiteral("0"), kTimeout);
    }

    void spacePlaysAndStopsRightSteps()
    {
        clickRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->shownState().tree != nullptr, kTimeout);
        StateScrubber* scrubber = m_dock->scrubber();
        scrubber->setEventsPerSecond(30);
        scrubber->setFocus();
        QTRY_VERIFY(scrubber->hasFocus());
        QTest::keyClick(scrubber, Qt::Key_Right);
        QTRY_COMPARE_WITH_TIMEOUT(currentRow(), 1, kTimeout);
        QTest::keyClick(scrubber, Qt::Key_Space);
        QVERIFY(scrubber->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(currentRow() >= 6, kTimeout);
        QTest::keyClick(scrubber, Qt::Key_Space);
        QVERIFY(!scrubber->isPlaying());
        const int stoppedAt = currentRow();
        QTest::qWait(300);
        QCOMPARE(currentRow(), stoppedAt);
        // The state follows the played selection.
        const qint64 position = *m_window->eventsView()->currentPosition();
        QTRY_COMPARE_WITH_TIMEOUT(m_dock->shownState().request.position, position, kTimeout);
        // The play button does the same as Space.
        QTest::mouseClick(scrubber->playButton(), Qt::LeftButton);
        QVERIFY(scrubber->isPlaying());
        QTest::mouseClick(scrubber->playButton(), Qt::LeftButton);
        QVERIFY(!scrubber->isPlaying());
    }

    void blameListsTheEventsThatChangedAFieldAndJumps()
    {
        clickRow(3);  // OrderShipped, after the corrective event
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->shownState().tree != nullptr && m_dock->shownState().request.position > 0,
                                 kTimeout);
        m_dock->blameField(QStringLiteral("/amount"));
        QTreeWidget* blame = m_dock->blameList();
        QTRY_COMPARE_WITH_TIMEOUT(blame->topLevelItemCount(), 2, kTimeout);  // newest first
        QCOMPARE(blame->topLevelItem(0)->text(0).toLongLong(), m_history->correctivePosition);
        QCOMPARE(blame->topLevelItem(1)->text(0).toLongLong(), m_history->orderFirst);
        QVERIFY(m_dock->searchLabel()->text().contains(QStringLiteral("examined")));
        saveShot(QStringLiteral("state-blame"));
        // Double-click goes to the event in the list.
        blame->scrollToItem(blame->topLevelItem(1));
        const QRect rect = blame->visualItemRect(blame->topLevelItem(1));
        QVERIFY2(rect.isValid() && blame->isVisible(), "the blame list is on screen");
        QSignalSpy chosen(m_dock, &StateDock::positionChosen);
        // As a real double-click arrives: press, release, double-click.
        QTest::mouseClick(blame->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(blame->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(chosen.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), m_history->orderFirst, kTimeout);
    }

    void findInHistoryJumpsToTheFirstEventWhereTheConditionHolds()
    {
        clickRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->shownState().tree != nullptr, kTimeout);
        m_dock->conditionEdit()->setText(QStringLiteral("state.amount > 11"));
        QTest::keyClick(m_dock->conditionEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), m_history->correctivePosition,
                                  kTimeout);
        QVERIFY(m_dock->searchLabel()->text().contains(QStringLiteral("first holds after event %1").arg(m_history->correctivePosition)));
        // A syntax error is told, not thrown.
        m_dock->conditionEdit()->setText(QStringLiteral("state.amount >"));
        QTest::keyClick(m_dock->conditionEdit(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->searchLabel()->text().contains(QStringLiteral("not a valid JavaScript")), kTimeout);
    }

    // The scrubber's buttons draw their icons in the palette's button text colour, and
    // follow a change of theme (the style's own media icons are dark on either palette).
    void scrubberIconsFollowTheTheme()
    {
        StateScrubber* scrubber = m_dock->scrubber();
        QTRY_VERIFY_WITH_TIMEOUT(!scrubber->playButton()->icon().isNull(), kTimeout);  // after the first frame
        for (const Theme theme : {Theme::Dark, Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            QCoreApplication::processEvents();
            const QColor expected = scrubber->palette().color(QPalette::Active, QPalette::ButtonText);
            QCOMPARE(expected.lightness() > 128, theme == Theme::Dark);  // light text on the dark palette
            const QImage icon = scrubber->playButton()->icon().pixmap(16).toImage();
            int opaque = 0;
            for (int y = 0; y < icon.height(); ++y)
                for (int x = 0; x < icon.width(); ++x) {
                    const QColor pixel = icon.pixelColor(x, y);
                    if (pixel.alpha() < 255) continue;
                    ++opaque;
                    QCOMPARE(pixel.rgb(), expected.rgb());
                }
            QVERIFY(opaque > 10);
        }
        applyTheme(savedTheme());
    }

private:
    void clickRow(int row)
    {
        QTableView* table = m_window->eventsView()->tableView();
        QTRY_VERIFY_WITH_TIMEOUT(table->model()->index(row, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        const QModelIndex index = table->model()->index(row, 1);
        table->scrollTo(index);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        QTRY_COMPARE_WITH_TIMEOUT(currentRow(), row, kTimeout);
    }

    // With CHRONOSCOPE_TEST_SHOTS=DIR, saves the State pane as DIR/NAME.png (to look at it).
    void saveShot(const QString& name) const
    {
        const QString directory = qEnvironmentVariable("CHRONOSCOPE_TEST_SHOTS");
        if (!directory.isEmpty()) m_dock->grab().save(directory + QLatin1Char('/') + name + QStringLiteral(".png"));
    }

    int currentRow() const { return m_window->eventsView()->tableView()->currentIndex().row(); }

    QString valueAt(const QString& pointer) const
    {
        const QModelIndex index = m_dock->stateModel()->indexOfPointer(pointer);
        return m_dock->stateModel()->index(index.row(), JsonTreeModel::ValueColumn, index.parent()).data().toString();
    }

    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_treeTester;
    StateDock* m_dock = nullptr;
};

QTEST_MAIN(TestStateDock)
#include "test_state_dock.moc"
