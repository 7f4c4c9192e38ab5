// The Event pane shows each event without laying out the window again: the fields sit in
// a fixed-height area, so a new event repaints them and asks no layout above the pane
// (docs/performance.md, "The GUI on ten million events"). The same for the State pane's
// status line. The fields are plain labels that show every field of any event, and the
// JSON trees' columns are not resized by a new event.

#include "model/event_details.h"
#include "model/json_tree_model.h"
#include "model/event_format.h"
#include "ui/event_dock.h"
#include "ui/event_dock_fields.h"
#include "ui/steady_text.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QScrollArea>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTreeView>
#include <QHeaderView>
#include <QVBoxLayout>
#include <QtTest>

using namespace chronoscope;

namespace {

// Counts the layout requests a widget receives.
class LayoutRequestCounter : public QObject {
public:
    int count = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::LayoutRequest) ++count;
        return QObject::eventFilter(watched, event);
    }
};

// Counts the events of one type a widget receives.
class EventCounter : public QObject {
public:
    explicit EventCounter(QEvent::Type type) : m_type(type) {}
    int count = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == m_type) ++count;
        return QObject::eventFilter(watched, event);
    }

private:
    QEvent::Type m_type;
};

// A random text of 0-`longest` characters: letters, spaces, markup characters, accents.
QString randomText(QRandomGenerator& random, int longest)
{
    static const QString characters = QString::fromUtf8("abcXYZ019 -_<>&;'\"/:éß€");
    QString text;
    const int length = random.bounded(longest + 1);
    for (int index = 0; index < length; ++index) text += characters.at(random.bounded(characters.size()));
    return text;
}

EventDetails details(qint64 position, const QString& stream, const QString& correlation, const std::string& data)
{
    EventDetails shown;
    shown.position = position;
    shown.id = QStringLiteral("id-%1").arg(position);
    shown.stream = stream;
    shown.version = position % 7;
    shown.type = QStringLiteral("OrderPlaced");
    shown.time = QStringLiteral("2026-01-05T11:08:46.510Z");
    shown.recordedAt = shown.time;
    shown.correlationId = correlation;
    shown.rawData = QString::fromStdString(data);
    shown.rawMetadata = QStringLiteral("{}");
    shown.dataBytes = static_cast<qint64>(data.size());
    shown.dataTree = buildJsonTree(data, QStringLiteral("data"));
    shown.metadataTree = buildJsonTree("{}", QStringLiteral("metadata"));
    return shown;
}

}  // namespace

class TestEventDock : public QObject {
    Q_OBJECT

private slots:
    void showingEventsAsksNoLayoutAboveThePane()
    {
        QMainWindow window;
        auto* dock = new EventDock(&window);
        window.addDockWidget(Qt::RightDockWidgetArea, dock);
        window.setCentralWidget(new QLabel(QStringLiteral("list")));
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        emit dock->loader()->loaded(details(1, QStringLiteral("order-1"), {}, R"({"a":1})"));
        QTRY_VERIFY(dock->isContentBuilt());  // after the window's first frame
        QTest::qWait(100);  // the window's first layouts and paints are done
        const int fieldsHeight = dock->fieldsLabel()->parentWidget()->height();

        LayoutRequestCounter counter;
        dock->installEventFilter(&counter);
        window.installEventFilter(&counter);
        // Events with more and fewer fields (a correlation id), longer names and payloads.
        const QString longStream = QStringLiteral("customer-with-a-rather-long-stream-name-%1").arg(QString(80, QLatin1Char('x')));
        emit dock->loader()->loaded(details(2, longStream, QStringLiteral("c-42"), R"({"a":1,"b":[1,2,3],"c":{"d":"e"}})"));
        QCoreApplication::processEvents();
        QVERIFY(dock->fieldsLabel()->text().contains(QStringLiteral("c-42")));
        emit dock->loader()->loaded(details(3, QStringLiteral("order-3"), {}, R"([1,2])"));
        QCoreApplication::processEvents();
        QVERIFY(dock->fieldsLabel()->text().contains(QStringLiteral("order-3")));
        QCOMPARE(dock->shownPosition(), 3);
        QCOMPARE(counter.count, 0);
        QCOMPARE(dock->fieldsLabel()->parentWidget()->height(), fieldsHeight);
    }

    void tallestFieldsFitWithoutScrolling()
    {
        QMainWindow window;
        auto* dock = new EventDock(&window);
        window.addDockWidget(Qt::RightDockWidgetArea, dock);
        window.resize(1400, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        emit dock->loader()->loaded(details(7, QStringLiteral("order-7"), QStringLiteral("c-7"), R"({"a":1})"));
        QCoreApplication::processEvents();
        auto* area = qobject_cast<QScrollArea*>(dock->fieldsLabel()->parentWidget()->parentWidget());
        QVERIFY(area);
        QCOMPARE(area->verticalScrollBar()->maximum(), 0);  // every row of the fields in view
    }

    void steadyAreaHasTheTallestTextsHeight()
    {
        QWidget parent;
        auto* label = new QLabel(QStringLiteral("one line"));
        QLabel reference(QStringLiteral("a<br>b<br>c"));
        reference.setWordWrap(true);
        QScrollArea* area = makeSteadyLabelArea(label, QStringLiteral("a<br>b<br>c"), &parent);
        QCOMPARE(area->widget(), label);
        QCOMPARE(label->text(), QStringLiteral("one line"));
        QCOMPARE(area->height(), reference.sizeHint().height());
        QCOMPARE(area->minimumHeight(), area->maximumHeight());
    }

    // A SteadyLabel answers the hints of the tallest text whatever it shows, and the area
    // still gives each text the room it needs at the area's width: a shorter text fills
    // the width, a taller one scrolls.
    void steadyLabelKeepsTheTallestTextsHints()
    {
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        const QString tallest = QStringLiteral("<b>M</b><br>M<br>M");
        auto* label = new SteadyLabel(QStringLiteral("start"));
        QLabel reference(tallest);
        reference.setWordWrap(true);
        QScrollArea* area = makeSteadyLabelArea(label, tallest, &window);
        layout->addWidget(area);
        window.resize(300, 200);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QSize hint = label->sizeHint();
        const QSize minimumHint = label->minimumSizeHint();
        QCOMPARE(hint, reference.sizeHint());
        QCOMPARE(minimumHint, reference.minimumSizeHint());
        const QString words = QStringLiteral("a few words that wrap ").repeated(3);
        for (const QString& text : {QStringLiteral("one"), QStringLiteral("<b>two</b><br>lines"), words,
                                    QStringLiteral("<table><tr><td>a</td><td>%1</td></tr></table>").arg(words.repeated(4))}) {
            label->setText(text);
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            QCOMPARE(label->sizeHint(), hint);
            QCOMPARE(label->minimumSizeHint(), minimumHint);
            QCOMPARE(label->width(), area->viewport()->width());
            QVERIFY2(label->height() >= label->heightForWidth(label->width()), qPrintable(text));
            QCOMPARE(area->verticalScrollBar()->maximum() > 0, label->heightForWidth(label->width()) > area->viewport()->height());
        }
        QVERIFY(area->verticalScrollBar()->maximum() > 0);  // the last text is taller than the area
    }

    // Every field of random events is shown, as text, in its row; the rows a field does
    // not have are hidden, and the heading says ignored and corrective.
    void fieldsShowEveryFieldOfARandomEvent()
    {
        QMainWindow window;
        auto* dock = new EventDock(&window);
        window.addDockWidget(Qt::RightDockWidgetArea, dock);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        EventFieldsLabel* fields = dock->fieldsLabel();
        QRandomGenerator random(20261130);
        for (int round = 0; round < 60; ++round) {
            EventDetails shown = details(random.bounded(1, 1'000'000'000), randomText(random, 40),
                                         random.bounded(2) ? randomText(random, 36) : QString(), R"({"a":1})");
            shown.type = randomText(random, 30);
            shown.id = randomText(random, 36);
            shown.version = random.bounded(100000);
            shown.time = QStringLiteral("2026-%1-1%2T0%3:08:46.%4Z")
                             .arg(random.bounded(10, 13))
                             .arg(random.bounded(10))
                             .arg(random.bounded(10))
                             .arg(random.bounded(100, 1000));
            shown.recordedAt = round % 3 ? shown.time : QStringLiteral("2025-12-31T23:59:59.999Z");
            shown.ignored = random.bounded(2);
            shown.corrective = random.bounded(2);
            if (shown.corrective) shown.after = random.bounded(1'000'000);
            emit dock->loader()->loaded(shown);
            QCoreApplication::processEvents();

            const QString expected[EventFieldsLabel::FieldCount] = {
                QString::number(shown.position),
                QStringLiteral("%1 (version %2)").arg(shown.stream).arg(shown.version),
                displayTime(shown.time.toStdString()) + QStringLiteral(" UTC"),
                displayTime(shown.recordedAt.toStdString()) + QStringLiteral(" UTC"),
                shown.id,
                shown.correlationId,
            };
            QString text = shown.type;
            if (shown.ignored) text += QStringLiteral(" ignored");
            if (shown.corrective) text += QStringLiteral(" corrective, inserted after %1").arg(*shown.after);
            text += QLatin1Char('\n');
            QCOMPARE(fields->typeLabel()->text(), shown.type);
            QVERIFY(fields->typeLabel()->isVisibleTo(&window));
            QVERIFY(!fields->messageLabel()->isVisibleTo(&window));
            for (int field = 0; field < EventFieldsLabel::FieldCount; ++field) {
                const auto which = EventFieldsLabel::Field(field);
                const bool present = field != EventFieldsLabel::Correlation || !shown.correlationId.isEmpty();
                QCOMPARE(fields->nameLabel(which)->isVisibleTo(&window), present);
                QCOMPARE(fields->valueLabel(which)->isVisibleTo(&window), present);
                if (!present) continue;
                QCOMPARE(fields->nameLabel(which)->text(), EventFieldsLabel::fieldName(which));
                QCOMPARE(fields->valueLabel(which)->text(), expected[field]);
                QCOMPARE(fields->valueLabel(which)->textFormat(), Qt::PlainText);  // shown as it is, markup too
                QVERIFY(fields->valueLabel(which)->textInteractionFlags() & Qt::TextSelectableByMouse);
                text += EventFieldsLabel::fieldName(which) + QLatin1Char('\t') + expected[field] + QLatin1Char('\n');
            }
            QCOMPARE(fields->text(), text);
            if (round % 10 == 9) {  // the message in place of the fields, then the fields again
                emit dock->loader()->cleared();
                QVERIFY(fields->messageLabel()->isVisibleTo(&window));
                QVERIFY(!fields->typeLabel()->isVisibleTo(&window));
                QVERIFY(!fields->valueLabel(EventFieldsLabel::Position)->isVisibleTo(&window));
                QVERIFY(fields->text().startsWith(QStringLiteral("Select an event")));
            }
        }
    }

    // A new event resets the trees' models; their headers keep their sections' sizes and
    // no horizontal scroll bar shows, though the trees repaint.
    void treeColumnsStayAsTheyAreForANewEvent()
    {
        QMainWindow window;
        auto* dock = new EventDock(&window);
        window.addDockWidget(Qt::RightDockWidgetArea, dock);
        window.setCentralWidget(new QLabel(QStringLiteral("list")));
        window.resize(1200, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto settle = [] {
            for (int turn = 0; turn < 5; ++turn) {
                QCoreApplication::sendPostedEvents();
                QCoreApplication::processEvents();
            }
        };
        emit dock->loader()->loaded(details(1, QStringLiteral("order-1"), QStringLiteral("c-1"), R"({"a":1})"));
        settle();
        QTest::qWait(50);  // the window's first layouts and paints are done
        settle();

        std::vector<std::unique_ptr<EventCounter>> counters;
        const auto count = [&counters](QObject* watched, QEvent::Type type) {
            counters.push_back(std::make_unique<EventCounter>(type));
            watched->installEventFilter(counters.back().get());
            return counters.back().get();
        };
        QTreeView* trees[] = {dock->dataTree(), dock->metadataTree()};
        EventCounter* treePaints[2];
        EventCounter* scrollBarShows[2];
        std::unique_ptr<QSignalSpy> resized[2];
        std::unique_ptr<QAbstractItemModelTester> testers[2];
        for (int tree = 0; tree < 2; ++tree) {
            testers[tree] = std::make_unique<QAbstractItemModelTester>(
                trees[tree]->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            treePaints[tree] = count(trees[tree]->viewport(), QEvent::Paint);
            scrollBarShows[tree] = count(trees[tree]->horizontalScrollBar(), QEvent::Show);
            resized[tree] = std::make_unique<QSignalSpy>(trees[tree]->header(), &QHeaderView::sectionResized);
        }
        QRandomGenerator random(5);
        static const char* const values[] = {"1", "true", "null", "\"text\"", "[1,2]", "{\"x\":{\"y\":2}}", "-0.5e3"};
        for (qint64 position = 2; position < 30; ++position) {
            std::string data = "{";
            const int members = random.bounded(1, 5);
            for (int member = 0; member < members; ++member)
                data += (member ? ",\"k" : "\"k") + std::to_string(member) + "\":" + values[random.bounded(7)];
            data += "}";
            emit dock->loader()->loaded(details(position, QStringLiteral("order-%1").arg(position),
                                                QStringLiteral("c-%1").arg(position), data));
            settle();
        }
        for (int tree = 0; tree < 2; ++tree) {
            QVERIFY(treePaints[tree]->count > 0);  // the trees did repaint
            QCOMPARE(resized[tree]->count(), 0);
            QCOMPARE(scrollBarShows[tree]->count, 0);
            QVERIFY(!trees[tree]->horizontalScrollBar()->isVisible());
        }
    }

    void longTextArrivesInPiecesAndWhole()
    {
        QPlainTextEdit edit;
        auto* setter = new PiecewiseText(&edit, 100);
        QSignalSpy completed(setter, &PiecewiseText::completed);
        QString text;
        for (int line = 0; line < 500; ++line) text += QStringLiteral("  \"line\": %1,\n").arg(line);
        text += QStringLiteral("no line break at the end: ") + QString(150, QLatin1Char('x')) + QString::fromUtf8("\xF0\x9F\x98\x80");
        setter->setText(text);
        QVERIFY(!setter->isComplete());
        QVERIFY(edit.toPlainText().size() <= 100);  // the first piece only
        QVERIFY(text.startsWith(edit.toPlainText()));
        QTRY_COMPARE(completed.count(), 1);
        QCOMPARE(edit.toPlainText(), text);
        QVERIFY(setter->isComplete());
        QCOMPARE(edit.textCursor().position(), 0);  // the reader's place is kept
    }

    void newerTextDropsTheRestOfAnOlderOne()
    {
        QPlainTextEdit edit;
        auto* setter = new PiecewiseText(&edit, 64);
        QSignalSpy completed(setter, &PiecewiseText::completed);
        setter->setText(QString(5000, QLatin1Char('a')));
        setter->setText(QStringLiteral("short"));
        QCOMPARE(completed.count(), 1);
        QCOMPARE(edit.toPlainText(), QStringLiteral("short"));
        QTest::qWait(50);
        QCOMPARE(edit.toPlainText(), QStringLiteral("short"));  // no piece of the older text came after
        QCOMPARE(completed.count(), 1);
    }

    void bigPayloadIsShownWhole()
    {
        EventDock dock;
        std::string data = "[";
        for (int item = 0; item < 40'000; ++item) data += (item ? ",\"" : "\"") + std::to_string(item) + "\"";
        data += "]";
        EventDetails shown = details(9, QStringLiteral("order-9"), {}, data);
        shown.rawData = QString::fromStdString(data).replace(QLatin1Char(','), QStringLiteral(",\n"));
        emit dock.loader()->loaded(shown);
        QVERIFY(dock.rawText()->toPlainText().size() < shown.rawData.size());
        QTRY_VERIFY(dock.rawTextSetter()->isComplete());
        QVERIFY(dock.rawText()->toPlainText().contains(shown.rawData));
        // Another event while the pieces arrive: only its text remains.
        emit dock.loader()->loaded(shown);
        emit dock.loader()->loaded(details(10, QStringLiteral("order-10"), {}, R"({"small":true})"));
        QTRY_VERIFY(dock.rawTextSetter()->isComplete());
        QVERIFY(dock.rawText()->toPlainText().contains(QStringLiteral("{\"small\":true}")));
        QVERIFY(!dock.rawText()->toPlainText().contains(QStringLiteral("39999")));
    }
};

QTEST_MAIN(TestEventDock)
#include "test_event_dock.moc"
