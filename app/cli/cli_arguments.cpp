#include "cli_arguments.h"

#include <cerrno>
#include <cstdlib>

namespace chronoscope::cli {

std::optional<Arguments> Arguments::parse(const CommandSpec& spec, int argc, char** argv, std::string& error,
                                          bool& helpRequested)
{
    Arguments arguments;
    helpRequested = false;
    for (int i = 0; i < argc; ++i) {
        std::string argument = argv[i];
        if (argument == "-h" || argument == "--help") {
            helpRequested = true;
            return std::nullopt;
        }
        if (argument.size() > 2 && argument.rfind("--", 0) == 0) {
            std::string name = argument.substr(2);
            std::optional<std::string> inlineValue;
            if (auto equals = name.find('='); equals != std::string::npos) {
                inlineValue = name.substr(equals + 1);
                name = name.substr(0, equals);
            }
            const OptionSpec* option = nullptr;
            for (const OptionSpec& candidate : spec.options)
                if (candidate.name == name) option = &candidate;
            if (!option) {
                error = "unknown option '--" + name + "' for '" + spec.name + "'";
                return std::nullopt;
            }
            if (option->valueName.empty()) {
                if (inlineValue) {
                    error = "option '--" + name + "' takes no value";
                    return std::nullopt;
                }
                arguments.m_options[name] = "";
            } else if (inlineValue) {
                arguments.m_options[name] = *inlineValue;
            } else if (i + 1 < argc) {
                arguments.m_options[name] = argv[++i];
            } else {
                error = "option '--" + name + "' needs a value (" + option->valueName + ")";
                return std::nullopt;
            }
            continue;
        }
        arguments.m_positionals.push_back(argument);
    }
    int count = int(arguments.m_positionals.size());
    if (count < spec.minimumPositionals) {
        error = "missing argument: '" + spec.name + "' takes " + spec.positionals;
        return std::nullopt;
    }
    if (count > spec.maximumPositionals) {
        error = "unexpected argument '" + arguments.m_positionals[spec.maximumPositionals] + "'";
        return std::nullopt;
    }
    return arguments;
}

std::optional<std::string> Arguments::value(const std::string& option) const
{
    auto found = m_options.find(option);
    if (found == m_options.end()) return std::nullopt;
    return found->second;
}

std::optional<long long> Arguments::integer(const std::string& option, std::string& error) const
{
    auto text = value(option);
    if (!text) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    long long number = std::strtoll(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || errno != 0) {
        error = "option '--" + option + "' needs an integer, got '" + *text + "'";
        return std::nullopt;
    }
    return number;
}

std::string usageText(const CommandSpec& spec)
{
    std::string text = "usage: chronoscope-cli " + spec.name;
    if (!spec.positionals.empty()) text += " " + spec.positionals;
    for (const OptionSpec& option : spec.options) {
        const std::string written = "--" + option.name + (option.valueName.empty() ? "" : " " + option.valueName);
        text += option.required ? " " + written : " [" + written + "]";
    }
    text += "\n\n" + spec.summary + "\n";
    if (!spec.options.empty()) {
        text += "\noptions:\n";
        for (const OptionSpec& option : spec.options) {
            std::string left = "  --" + option.name + (option.valueName.empty() ? "" : " " + option.valueName);
            if (left.size() < 26) left.resize(26, ' ');
            else left += "  ";
            // An option's help of several lines keeps its column.
            std::string help = option.help;
            for (std::size_t at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1))
                help.insert(at + 1, std::string(26, ' '));
            text += left + help + "\n";
        }
    }
    return text;
}

}  // namespace chronoscope::cli
