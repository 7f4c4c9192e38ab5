// Big and odd inputs (issue 8): a 50 MB payload, invalid UTF-8, JSON nested 10,000
// deep, stream names with spaces and non-ASCII characters. Each is stored and read
// back intact, or refused with an InvalidArgument naming the line or field; nothing is
// written by a refused import and nothing crashes.

#include "store_fixture.h"

#include <engine/ndjson.h>
#include <engine/projection.h>

#include <QTest>

#include <sstream>

using namespace chronoscope;
using chronoscope::test::makeEvent;
using chronoscope::test::TemporaryStore;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

#define VERIFY_CONTAINS(text, part)                                                                  \
    QVERIFY2(contains(text, part), qPrintable(QString::fromStdString("\"" + std::string(part) + "\" not in: " + text)))

Result<ImportReport> importText(Store& store, const std::string& text)
{
    std::istringstream input(text);
    return importNdjson(store, input, {});
}

std::string nested(int depth, char open = '[', char close = ']')
{
    return std::string(std::size_t(depth), open) + std::string(std::size_t(depth), close);
}

// `depth` objects nested as {"a":{"a":...{}}}.
std::string nestedObjects(int depth)
{
    std::string text;
    for (int level = 0; level < depth; ++level) text += "{\"a\":";
    text += "{}";
    text += std::string(std::size_t(depth), '}');
    return text;
}

}  // namespace

class TestBigInputs : public QObject {
    Q_OBJECT

private slots:
    void fiftyMegabytePayload()
    {
        TemporaryStore store;
        std::string blob(50 * 1024 * 1024, 'x');
        for (std::size_t index = 0; index < blob.size(); index += 4099) blob[index] = char('a' + index % 26);
        const std::string data = "{\"blob\":\"" + blob + "\",\"n\":1}";
        auto imported = importText(*store, R"({"stream":"big-1","type":"Blob","id":"big","data":)" + data + "}\n" +
                                               R"({"stream":"big-1","type":"After","data":{}})" + "\n");
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        QCOMPARE(imported->written, std::int64_t(2));
        auto event = store->event(1);
        QVERIFY(event);
        QCOMPARE(event->data.size(), data.size());
        QVERIFY(event->data == data);
        // The same through append, and a projection reading it.
        auto appended = store->append("big-2", ExpectedVersion::noStream(), {makeEvent("Blob", data)});
        QVERIFY(appended);
        QVERIFY(store->event(3)->data == data);
        // Handing a 50 MB event to JavaScript (JSON.parse inside the runtime) takes longer
        // than the default 250 ms per-call budget; the watchdog allows for the payload's
        // size, so the default options fold it.
        auto projection = Projection::compile(
            "fromAll().when({ Blob: function (s, e) { s.length = (s.length || 0) + e.data.blob.length; } })");
        QVERIFY(projection);
        std::string failure;
        auto read = store->readEvents({}, [&](const RecordedEvent& recorded) {
            auto fed = (*projection)->feed(recorded);
            if (!fed) failure = fed.error().message;
            return bool(fed);
        });
        QVERIFY(read);
        QVERIFY2(failure.empty(), failure.c_str());
        auto result = (*projection)->resultJson();
        QVERIFY2(result, result ? "" : result.error().message.c_str());
        QCOMPARE(*result, "{\"length\":" + std::to_string(2 * blob.size()) + "}");
        auto report = store->verify();
        QVERIFY(report && report->ok);
    }

    // The allowance for a big payload is bounded: an endless loop in the handler of a
    // 5 MB event is still stopped, and the error names the event.
    void endlessLoopOnABigEvent()
    {
        ProjectionOptions options;
        options.callBudgetMilliseconds = 100;
        auto projection = Projection::compile("fromAll().when({ Blob: function (s, e) { for (;;) {} } })", options);
        QVERIFY(projection);
        RecordedEvent event;
        event.position = 7;
        event.stream = "big-1";
        event.type = "Blob";
        event.data = "{\"blob\":\"" + std::string(5 << 20, 'x') + "\"}";
        auto fed = (*projection)->feed(event);
        QVERIFY(!fed);
        qInfo("%s", fed.error().message.c_str());
        QVERIFY2(fed.error().message.find("budget of 100 ms") != std::string::npos, fed.error().message.c_str());
        QVERIFY2(fed.error().message.find("event 7 (stream big-1, type Blob)") != std::string::npos,
                 fed.error().message.c_str());
    }

    void invalidUtf8_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("in a data string") << QByteArray("{\"stream\":\"s-1\",\"type\":\"T\",\"data\":{\"x\":\"a\xff" "b\"}}");
        QTest::newRow("in a key") << QByteArray("{\"stream\":\"s-1\",\"type\":\"T\",\"data\":{\"\xc3\":1}}");
        QTest::newRow("in the stream name") << QByteArray("{\"stream\":\"s-\xe2\x82\",\"type\":\"T\",\"data\":{}}");
        QTest::newRow("overlong slash") << QByteArray("{\"stream\":\"s-1\",\"type\":\"T\",\"data\":\"\xc0\xaf\"}");
        QTest::newRow("encoded surrogate") << QByteArray("{\"stream\":\"s-1\",\"type\":\"T\",\"data\":\"\xed\xa0\x80\"}");
        QTest::newRow("past U+10FFFF") << QByteArray("{\"stream\":\"s-1\",\"type\":\"T\",\"data\":\"\xf4\x90\x80\x80\"}");
        QTest::newRow("lone surrogate escape") << QByteArray("{\"stream\":\"s-1\",\"type\":\"T\",\"data\":\"\\ud800\"}");
        QTest::newRow("latin-1 type") << QByteArray("{\"stream\":\"s-1\",\"type\":\"Bestellung\xe4nderung\",\"data\":{}}");
    }
    void invalidUtf8()
    {
        QFETCH(QByteArray, line);
        TemporaryStore store;
        const std::string good = R"({"stream":"s-1","type":"T","data":{}})";
        auto imported = importText(*store, good + "\n" + line.toStdString() + "\n" + good + "\n");
        QVERIFY(!imported);
        QCOMPARE(imported.error().code, ErrorCode::InvalidArgument);
        VERIFY_CONTAINS(imported.error().message, "line 2:");
        QCOMPARE(*store->lastPosition(), std::int64_t(0));
        // Through append the payload is refused too (the import's scanner is not the
        // only gate).
        const std::string text = line.toStdString();
        const auto dataAt = text.find("\"data\":");
        if (dataAt != std::string::npos && !contains(text, "stream\":\"s-\xe2")) {
            std::string data = text.substr(dataAt + 7);
            data.pop_back();
            auto appended = store->append("s-1", ExpectedVersion::any(), {makeEvent("T", data)});
            if (contains(text, "Bestellung")) QVERIFY(appended);
            else QVERIFY2(!appended, data.c_str());
        }
        auto event = makeEvent("T");
        auto badStream = store->append("s-\xe2\x82", ExpectedVersion::any(), {event});
        QVERIFY(!badStream);
        VERIFY_CONTAINS(badStream.error().message, "the stream name is not valid UTF-8");
        auto badType = store->append("s-1", ExpectedVersion::any(), {makeEvent("T\xc0\xaf")});
        QVERIFY(!badType);
        VERIFY_CONTAINS(badType.error().message, "field \"type\" is not valid UTF-8");
        auto badInsert = store->insertAfter("1", std::string("s-\xff"), makeEvent("T"), {"utf-8", "test"});
        QVERIFY(!badInsert);
        QCOMPARE(*store->lastPosition(), std::int64_t(contains(text, "Bestellung") ? 1 : 0));
    }

    // Deep JSON is refused with a message, never a stack overflow: in an import line,
    // in an appended payload, in metadata. 512 levels are fine and round-trip.
    void deepNesting_data()
    {
        QTest::addColumn<int>("depth");
        QTest::addColumn<bool>("objects");
        for (int depth : {513, 10000, 100000, 1000000}) {
            QTest::addRow("arrays %d", depth) << depth << false;
            QTest::addRow("objects %d", depth) << depth << true;
        }
    }
    void deepNesting()
    {
        QFETCH(int, depth);
        QFETCH(bool, objects);
        TemporaryStore store;
        const std::string deep = objects ? nestedObjects(depth) : nested(depth);
        auto imported = importText(*store, R"({"stream":"s-1","type":"T","data":)" + deep + "}\n");
        QVERIFY(!imported);
        VERIFY_CONTAINS(imported.error().message, "line 1");
        VERIFY_CONTAINS(imported.error().message, "nested too deeply");
        auto parsed = parseImportLine(R"({"stream":"s-1","type":"T","metadata":)" + deep + R"(,"data":{}})");
        QVERIFY(!parsed);
        auto appended = store->append("s-1", ExpectedVersion::any(), {makeEvent("T", deep)});
        QVERIFY(!appended);
        QCOMPARE(appended.error().code, ErrorCode::InvalidArgument);
        VERIFY_CONTAINS(appended.error().message, "deeper than 512 levels");
        NewEvent withMetadata = makeEvent("T");
        withMetadata.metadata = deep;
        QVERIFY(!store->append("s-1", ExpectedVersion::any(), {withMetadata}));
        auto inserted = store->insertAfter("1", std::string("s-1"), makeEvent("T", deep), {"deep", "test"});
        QVERIFY(!inserted);
        QCOMPARE(*store->lastPosition(), std::int64_t(0));
    }

    void nestingAtTheLimitRoundTrips()
    {
        TemporaryStore store;
        const std::string deep = nested(511);  // inside the line's own object: 512 levels
        auto imported = importText(*store, R"({"stream":"s-1","type":"T","id":"deep","data":)" + deep + "}\n");
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("T", nested(512))}));
        std::ostringstream exported;
        QVERIFY(exportNdjson(*store, {}, exported));
        TemporaryStore copy;
        auto again = importText(*copy, exported.str());
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE(again->written, std::int64_t(2));
        auto projection = Projection::compile("fromAll().when({ T: function (s, e) { s.n = (s.n || 0) + 1; } })");
        QVERIFY(projection);
        QVERIFY(copy->readEvents({}, [&](const RecordedEvent& event) { return bool((*projection)->feed(event)); }));
        QCOMPARE(*(*projection)->resultJson(), std::string(R"({"n":2})"));
    }

    void oddStreamNames_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("category");
        QTest::newRow("spaces") << QStringLiteral("order 42 - rush") << QStringLiteral("order 42 ");
        QTest::newRow("umlauts") << QStringLiteral("Bestellung-Müller") << QStringLiteral("Bestellung");
        QTest::newRow("CJK") << QStringLiteral("注文-四十二") << QStringLiteral("注文");
        QTest::newRow("emoji") << QStringLiteral("🛒-1") << QStringLiteral("🛒");
        QTest::newRow("quotes and backslash") << QStringLiteral("a\"b\\c-1") << QStringLiteral("a\"b\\c");
        QTest::newRow("SQL-ish") << QStringLiteral("x'; DROP TABLE events; --") << QStringLiteral("x'; DROP TABLE events; ");
        QTest::newRow("glob characters") << QStringLiteral("a*b?[c]-%_") << QStringLiteral("a*b?[c]");
        QTest::newRow("leading space") << QStringLiteral(" lead") << QStringLiteral(" lead");
    }
    void oddStreamNames()
    {
        QFETCH(QString, stream);
        QFETCH(QString, category);
        const std::string name = stream.toStdString();
        TemporaryStore store;
        {
            std::string escaped;
            for (char character : name) {
                if (character == '"' || character == '\\') escaped += '\\';
                escaped += character;
            }
            auto imported = importText(*store, "{\"stream\":\"" + escaped + "\",\"type\":\"T\",\"id\":\"a\",\"data\":{}}\n"
                                               "{\"stream\":\"other-1\",\"type\":\"T\",\"data\":{}}\n");
            QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        }
        QVERIFY(store->append(name, ExpectedVersion::exact(0), {makeEvent("U")}));
        EventQuery byStream;
        byStream.stream = name;
        auto events = store->queryEvents(byStream);
        QVERIFY(events);
        QCOMPARE(events->size(), std::size_t(2));
        QCOMPARE(QString::fromStdString((*events)[0].stream), stream);
        QCOMPARE(QString::fromStdString((*events)[0].category), category);
        auto streams = store->streams(category.toStdString());
        QVERIFY(streams);
        QCOMPARE(streams->size(), std::size_t(1));
        // The filter language takes the name as a string literal.
        std::string literal;
        for (char character : name) {
            if (character == '"' || character == '\\') literal += '\\';
            literal += character;
        }
        EventQuery filtered;
        filtered.filter = "stream == \"" + literal + "\"";
        auto count = store->countEvents(filtered);
        QVERIFY2(count, count ? "" : count.error().message.c_str());
        QCOMPARE(*count, std::int64_t(2));
        QVERIFY(store->ignore("a", {"odd name", "test"}));
        QVERIFY(store->insertAfter("a", std::nullopt, makeEvent("V"), {"odd name", "test"}));
        std::ostringstream exported;
        QVERIFY(exportNdjson(*store, {}, exported));
        TemporaryStore copy;
        auto again = importText(*copy, exported.str());
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE(*copy->countEvents(byStream), std::int64_t(3));
        auto report = copy->verify();
        QVERIFY(report && report->ok);
    }
};

QTEST_APPLESS_MAIN(TestBigInputs)
#include "test_big_inputs.moc"
