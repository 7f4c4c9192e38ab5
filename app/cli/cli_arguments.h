#pragma once
// Command-line parsing for chronoscope-cli: each command declares its positional
// arguments and options; anything else is an error naming the offending argument.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope::cli {

struct OptionSpec {
    std::string name;        // without the leading "--"
    std::string valueName;   // empty: a flag without value
    std::string help;
    bool required = false;   // shown without brackets in the usage line
};

struct CommandSpec {
    std::string name;
    std::string positionals;  // usage text of the positional arguments, e.g. "STORE FILE|-"
    int minimumPositionals = 0;
    int maximumPositionals = 0;
    std::string summary;
    std::vector<OptionSpec> options;
};

class Arguments {
public:
    // Parses argv after the command name. Returns nullopt and sets `error` on a bad
    // argument; sets `helpRequested` for -h/--help.
    static std::optional<Arguments> parse(const CommandSpec& spec, int argc, char** argv, std::string& error,
                                          bool& helpRequested);

    const std::string& positional(std::size_t index) const { return m_positionals.at(index); }
    std::size_t positionalCount() const { return m_positionals.size(); }
    bool has(const std::string& option) const { return m_options.count(option) > 0; }
    std::optional<std::string> value(const std::string& option) const;
    // Parses an integer option; nullopt when absent; sets `error` when not a number.
    std::optional<long long> integer(const std::string& option, std::string& error) const;

private:
    std::vector<std::string> m_positionals;
    std::map<std::string, std::string> m_options;
};

std::string usageText(const CommandSpec& spec);

}  // namespace chronoscope::cli
