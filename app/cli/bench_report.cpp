// bench: verdicts, the table and the JSON document (bench_support.h).

#include "bench_support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace chronoscope::cli::bench {

namespace {

std::string number(double value)
{
    char text[64];
    if (value >= 100000)
        std::snprintf(text, sizeof text, "%.0f", value);
    else if (value >= 100)
        std::snprintf(text, sizeof text, "%.1f", value);
    else
        std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

std::string mebibytes(std::int64_t bytes)
{
    return std::to_string((bytes + (1 << 19)) >> 20) + " MiB";
}

std::string padded(std::string text, std::size_t width)
{
    if (text.size() < width)
        text.resize(width, ' ');
    return text;
}

nlohmann::ordered_json sampleJson(const Sample& sample)
{
    return {{"cpuSeconds", sample.cpuSeconds},
            {"wallSeconds", sample.wallSeconds},
            {"peakResidentBytes", sample.peakResidentBytes}};
}

}  // namespace

std::optional<double> Figure::ratio() const
{
    if (!baseline || *baseline <= 0)
        return std::nullopt;
    return value / *baseline;
}

std::string Figure::verdict() const
{
    if (goal == Goal::ValueAtMost)
        return value <= goalRatio ? "pass" : "fail";
    const auto measured = ratio();
    if (goal == Goal::None || !measured)
        return "-";
    const bool pass = goal == Goal::AtMost ? *measured <= goalRatio : *measured >= goalRatio;
    return pass ? "pass" : "fail";
}

std::string Figure::goalText() const
{
    switch (goal) {
    case Goal::AtMost: return "<= " + number(goalRatio) + "x";
    case Goal::AtLeast: return ">= " + number(goalRatio) + "x";
    case Goal::ValueAtMost: {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%g", goalRatio);
        return "<= " + std::string(limit) + " " + unit;
    }
    case Goal::None: return "-";
    }
    return "-";
}

std::string formatTable(const std::vector<Figure>& figures)
{
    // Each column as wide as its widest cell and two spaces, so no cell runs into the next.
    using Row = std::vector<std::string>;
    std::vector<Row> rows{{"figure", "value", "baseline", "ratio", "goal", "verdict", "peak RSS"}};
    for (const Figure& figure : figures) {
        const auto ratio = figure.ratio();
        std::string baseline = figure.baseline ? number(*figure.baseline) + " " + figure.unit : std::string("n/a");
        if (!figure.baselineName.empty())
            baseline += " (" + figure.baselineName + ")";
        std::string memory = mebibytes(figure.sample.peakResidentBytes);
        if (figure.baselineSample)
            memory += " / " + mebibytes(figure.baselineSample->peakResidentBytes);
        rows.push_back({figure.section + ": " + figure.name, number(figure.value) + " " + figure.unit, baseline,
                        ratio ? number(*ratio) + "x" : std::string("-"), figure.goalText(), figure.verdict(), memory});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const Row& row : rows)
        for (std::size_t column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], row[column].size() + 2);
    std::string text;
    for (std::size_t index = 0; index < rows.size(); ++index) {
        const Row& row = rows[index];
        for (std::size_t column = 0; column + 1 < row.size(); ++column)
            text += padded(row[column], widths[column]);
        text += row.back() + "\n";
        if (index > 0 && !figures[index - 1].note.empty())
            text += "    note: " + figures[index - 1].note + "\n";
    }
    return text;
}

std::string formatJson(const std::vector<Figure>& figures, std::int64_t events, std::int64_t streams,
                       const std::string& allocator, const std::vector<std::string>& notes)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Figure& figure : figures) {
        const auto ratio = figure.ratio();
        nlohmann::ordered_json entry = {
            {"section", figure.section},
            {"name", figure.name},
            {"unit", figure.unit},
            {"value", figure.value},
            {"baselineName", figure.baselineName},
            {"baseline", figure.baseline ? nlohmann::ordered_json(*figure.baseline) : nlohmann::ordered_json()},
            {"ratio", ratio ? nlohmann::ordered_json(*ratio) : nlohmann::ordered_json()},
            {"goal", figure.goalText()},
            {"verdict", figure.verdict()},
            {"sample", sampleJson(figure.sample)},
            {"baselineSample", figure.baselineSample ? sampleJson(*figure.baselineSample) : nlohmann::ordered_json()},
            {"note", figure.note}};
        list.push_back(std::move(entry));
    }
    nlohmann::ordered_json document = {{"events", events}, {"streams", streams}, {"allocator", allocator},
                                       {"figures", std::move(list)},
                                       {"notes", notes}};
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace chronoscope::cli::bench
