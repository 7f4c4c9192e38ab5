// Runs the corpus of EventStoreDB projection scripts in tests/projections/ (see its
// README.md): each NAME.js with the events and expected result of NAME.json.

#include "projection_fixture.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testing;
using OrderedJson = nlohmann::ordered_json;

namespace {

// Given by CMake: __FILE__ is relative when ccache rewrites paths (base_dir), and ctest
// runs the test in another directory than the compiler's.
QString corpusDirectory()
{
#ifdef CHRONOSCOPE_PROJECTION_CORPUS
    return QStringLiteral(CHRONOSCOPE_PROJECTION_CORPUS);
#else
    return QFileInfo(QStringLiteral(__FILE__)).absoluteDir().absoluteFilePath(QStringLiteral("../projections"));
#endif
}

std::string readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

std::string outputText(const ProjectionOutput& output)
{
    const char* kind = output.kind == ProjectionOutput::Kind::Emit     ? "emit"
                       : output.kind == ProjectionOutput::Kind::LinkTo ? "linkTo"
                                                                       : "linkStreamTo";
    return std::string(kind) + " " + output.stream + " " + output.type + " " + output.data;
}

// Runs one case; returns "" when it holds, otherwise what differs.
std::string runCase(const std::string& script, const OrderedJson& spec)
{
    auto compiled = Projection::compile(script);
    std::string error;
    std::string result;
    std::unique_ptr<Projection> projection;
    if (!compiled) {
        error = compiled.error().message;
    } else {
        projection = std::move(*compiled);
        if (spec.contains("initialState")) {
            const std::string saved = OrderedJson{{"format", "chronoscope.projection-state"}, {"version", 1},
                                                  {"eventsFolded", 0},
                                                  {"partitions", OrderedJson::array({OrderedJson::array({"", spec["initialState"].dump()})})}}.dump();
            if (auto restored = projection->restoreState(saved); !restored)
                return "initialState refused: " + restored.error().message;
        }
        EventList events;
        for (const auto& event : spec.value("events", OrderedJson::array())) {
            std::optional<std::string> metadata;
            if (event.contains("metadata"))
                metadata = event["metadata"].dump();
            events.add(event["stream"].get<std::string>(), event["type"].get<std::string>(),
                       event.value("data", OrderedJson::object()).dump(), metadata);
            events.back().ignored = event.value("ignored", false);
        }
        for (const RecordedEvent& event : events.events()) {
            if (auto fed = projection->feed(event); !fed) {
                error = fed.error().message;
                break;
            }
        }
        if (error.empty()) {
            auto value = spec.contains("partition") ? projection->partitionJson(spec["partition"].get<std::string>())
                                                    : projection->resultJson();
            if (value)
                result = *value;
            else
                error = value.error().message;
        }
    }

    if (spec.contains("expectedError")) {
        const std::string expected = spec["expectedError"].get<std::string>();
        if (error.find(expected) == std::string::npos)
            return "expected an error with \"" + expected + "\", got " + (error.empty() ? "result " + result : error);
        return {};
    }
    if (!error.empty())
        return "unexpected error: " + error;
    const OrderedJson actual = OrderedJson::parse(result, nullptr, false);
    if (actual.is_discarded())
        return "result is not JSON: " + result;
    if (actual.dump() != spec["expected"].dump())
        return "result " + actual.dump() + " != expected " + spec["expected"].dump();
    if (spec.contains("expectedOutputs")) {
        std::vector<std::string> outputs;
        for (const ProjectionOutput& output : projection->outputs())
            outputs.push_back(outputText(output));
        if (OrderedJson(outputs) != spec["expectedOutputs"])
            return "outputs " + OrderedJson(outputs).dump() + " != expected " + spec["expectedOutputs"].dump();
    }
    return {};
}

}  // namespace

class TestProjectionCorpus : public QObject {
    Q_OBJECT

private slots:
    void corpus_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList scripts = QDir(corpusDirectory()).entryList({QStringLiteral("*.js")}, QDir::Files, QDir::Name);
        QVERIFY2(scripts.size() >= 10, qPrintable(corpusDirectory()));
        for (const QString& script : scripts) {
            const QString name = script.chopped(3);
            QTest::newRow(qPrintable(name)) << name;
        }
    }

    void corpus()
    {
        QFETCH(QString, name);
        const QDir directory(corpusDirectory());
        const std::string script = readText(directory.absoluteFilePath(name + QStringLiteral(".js")));
        const std::string specText = readText(directory.absoluteFilePath(name + QStringLiteral(".json")));
        QVERIFY2(!script.empty() && !specText.empty(), "missing .js or .json");
        const OrderedJson spec = OrderedJson::parse(specText, nullptr, false);
        QVERIFY2(!spec.is_discarded() && spec.contains("origin"), "the .json is not a case with an origin");
        QVERIFY2(spec.contains("expected") || spec.contains("expectedError"), "no expected result");
        const std::string problem = runCase(script, spec);
        QVERIFY2(problem.empty(), problem.c_str());
    }
};

QTEST_APPLESS_MAIN(TestProjectionCorpus)
#include "test_projection_corpus.moc"
