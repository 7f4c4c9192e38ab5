// bench: verdicts, the table and the JSON document (bench_support.h).

#include "bench_support.h"

#include <nlohmann/json.hpp>

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
    std::string text;
    text += padded("figure", 34) + padded("value", 20) + padded("baseline", 44) + padded("ratio", 9)
            + padded("goal", 10) + padded("verdict", 8) + "peak RSS\n";
    for (const Figure& figure : figures) {
        const auto ratio = figure.ratio();
        std::string baseline = figure.baseline ? number(*figure.baseline) + " " + figure.unit : std::string("n/a");
        if (!figure.baselineName.empty())
            baseline += " (" + figure.baselineName + ")";
        text += padded(figure.section + ": " + figure.name, 34) + padded(number(figure.value) + " " + figure.unit, 20)
                + padded(baseline, 44) + padded(ratio ? number(*ratio) + "x" : std::string("-"), 9)
                + padded(figure.goalText(), 10) + padded(figure.verdict(), 8)
                + mebibytes(figure.sample.peakResidentBytes);
        if (figure.baselineSample)
            text += " / " + mebibytes(figure.baselineSample->peakResidentBytes);
        text += "\n";
        if (!figure.note.empty())
            text += "    note: " + figure.note + "\n";
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
