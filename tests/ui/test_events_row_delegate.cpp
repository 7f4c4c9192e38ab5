// The Events list's cell painter (ui/events_row_delegate.h): it shows the same text as
// eliding the whole text would, though it elides only a prefix of a long one; it puts
// the text where the style would, though it asks the style without the text; and it
// draws the text.

#include "ui/events_row_delegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QImage>
#include <QRandomGenerator>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QtTest>

using namespace chronoscope;

namespace {

// A random text from pieces of different widths: ASCII words, narrow and wide letters,
// marks without width, characters outside the BMP (surrogate pairs), spaces.
QString randomText(QRandomGenerator& random)
{
    static const QStringList pieces = {
        QStringLiteral("orderId=1234 "), QStringLiteral("iiiiiiii"), QStringLiteral("llll.,"), QStringLiteral("WWMM"),
        QStringLiteral("Größe "), QStringLiteral("e\u0301"), QStringLiteral("\u200b"), QStringLiteral("名前 "),
        QString::fromUtf8("\xF0\x9F\x98\x80"), QStringLiteral(" "), QStringLiteral("sku=HM-5004 name=Indoor plant pot "),
    };
    QString text;
    const int count = static_cast<int>(random.bounded(60));
    for (int i = 0; i < count; ++i) text += pieces[random.bounded(pieces.size())];
    return text;
}

}  // namespace

class TestEventsRowDelegate : public QObject {
    Q_OBJECT

private slots:
    void showsWhatElidingTheWholeTextShows()
    {
        QRandomGenerator random(17);
        QFont font;
        const QFontMetrics metrics(font);
        int elided = 0;
        int prefixes = 0;
        for (int round = 0; round < 2000; ++round) {
            QString text = randomText(random);
            if (round % 7 == 0) text = QString(200, QLatin1Char('i'));  // narrow: the prefix fits
            const int width = 1 + static_cast<int>(random.bounded(400));
            int shownWidth = -1;
            const QString shown =
                EventsRowDelegate::shownText(text, metrics, width, EventsRowDelegate::Width::Wanted, &shownWidth);
            const QString expected = metrics.elidedText(text, Qt::ElideRight, width);
            QCOMPARE(shown, expected);
            QCOMPARE(shownWidth, metrics.horizontalAdvance(shown));
            if (shown != text) ++elided;
            if (text.size() > 2 * width / std::max(1, metrics.averageCharWidth()) + 8) ++prefixes;
            int untouched = -7;
            QCOMPARE(EventsRowDelegate::shownText(text, metrics, width, EventsRowDelegate::Width::NotWanted, &untouched),
                     expected);
            QCOMPARE(untouched, -7);
        }
        // Both paths ran: texts elided, and texts long enough to be elided from a prefix.
        QVERIFY(elided > 100);
        QVERIFY(prefixes > 100);
    }

    void theTextGoesWhereTheStyleWouldPutIt()
    {
        // The style puts the text's own rectangle, aligned, in the part of the cell the
        // delegate asks for without the text: same left edge for text at the left, same
        // right edge for text at the right, same vertical centre.
        QTableView view;
        QStyle* style = view.style();
        QRandomGenerator random(3);
        for (int round = 0; round < 200; ++round) {
            QStyleOptionViewItem cell;
            cell.initFrom(view.viewport());
            cell.widget = &view;
            cell.rect = QRect(int(random.bounded(300)), 20 * round, 20 + int(random.bounded(400)), 18 + int(random.bounded(10)));
            cell.features = QStyleOptionViewItem::HasDisplay;
            cell.text = randomText(random);
            if (cell.text.isEmpty()) cell.text = QStringLiteral("x");
            const bool right = round % 2;
            cell.displayAlignment = (right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
            cell.showDecorationSelected = round % 4 < 2;
            const QRect withText = style->subElementRect(QStyle::SE_ItemViewItemText, &cell, &view);
            cell.text.clear();
            cell.features &= ~QStyleOptionViewItem::HasDisplay;
            cell.showDecorationSelected = true;
            const QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &cell, &view);
            QVERIFY(area.contains(withText));
            if (right) QCOMPARE(area.right(), withText.right());
            else QCOMPARE(area.left(), withText.left());
            QVERIFY(std::abs(area.center().y() - withText.center().y()) <= 1);
        }
    }

    void cellsAreDrawnWithTheirText()
    {
        QStandardItemModel model(3, 1);
        model.setItem(0, 0, new QStandardItem(QStringLiteral("MMMMMMMM")));
        model.setItem(1, 0, new QStandardItem(QString()));
        auto* right = new QStandardItem(QStringLiteral("MMMM"));
        right->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        model.setItem(2, 0, right);
        QTableView view;
        view.setItemDelegate(new EventsRowDelegate(&view));
        view.setModel(&model);
        view.setShowGrid(false);
        view.setColumnWidth(0, 200);
        view.resize(300, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.viewport()->grab().toImage();
        // Dark pixels of a row's cell, in its left or right half.
        const auto darkPixels = [&](int row, bool rightHalf) {
            const QRect cell = view.visualRect(model.index(row, 0));
            const int middle = cell.left() + cell.width() / 2;
            int dark = 0;
            for (int y = cell.top(); y <= cell.bottom(); ++y)
                for (int x = rightHalf ? middle : cell.left(); x <= (rightHalf ? cell.right() : middle - 1); ++x)
                    if (qGray(image.pixel(x, y)) < 100) ++dark;
            return dark;
        };
        QVERIFY(darkPixels(0, false) > 20);
        QCOMPARE(darkPixels(0, true), 0);
        QCOMPARE(darkPixels(1, false) + darkPixels(1, true), 0);
        QCOMPARE(darkPixels(2, false), 0);
        QVERIFY(darkPixels(2, true) > 20);
    }
};

QTEST_MAIN(TestEventsRowDelegate)
#include "test_events_row_delegate.moc"
