// chronoscope-cli: the engine from the command line (DESIGN §7).

#include "cli_common.h"

#include <cstdio>
#include <iostream>

using namespace chronoscope::cli;

namespace {

std::vector<Command> allCommands()
{
    std::vector<Command> commands;
    for (auto group : {storeCommands(), correctionCommands(), projectionCommands(), pullCommands(), benchCommands()})
        commands.insert(commands.end(), group.begin(), group.end());
    return commands;
}

void printOverview(const std::vector<Command>& commands)
{
    std::cout << "usage: chronoscope-cli COMMAND [ARGUMENTS]\n\n"
                 "Chronoscope's event store from the command line. EVENT is a global position or an\n"
                 "event id (digits that are both a position and another event's id are refused: give\n"
                 "that event's position); TIME is RFC 3339. Output is NDJSON or JSON on stdout; errors\n"
                 "go to stderr.\n\n"
                 "commands:\n";
    for (const Command& command : commands) {
        std::string name = "  " + command.spec.name;
        name.resize(16, ' ');
        std::cout << name << command.spec.summary.substr(0, command.spec.summary.find('\n')) << "\n";
    }
    std::cout << "\nchronoscope-cli COMMAND --help shows a command's arguments.\n";
}

}  // namespace

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    auto commands = allCommands();
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
        printOverview(commands);
        return argc < 2 ? kExitUsage : kExitSuccess;
    }
    std::string name = argv[1];
    for (const Command& command : commands) {
        if (command.spec.name != name) continue;
        std::string error;
        bool help = false;
        auto arguments = Arguments::parse(command.spec, argc - 2, argv + 2, error, help);
        if (help) {
            std::cout << usageText(command.spec);
            return kExitSuccess;
        }
        if (!arguments) {
            std::cerr << "chronoscope-cli " << name << ": " << error << "\n\n" << usageText(command.spec);
            return kExitUsage;
        }
        int status = command.run(*arguments);
        std::cout.flush();
        return status;
    }
    std::cerr << "chronoscope-cli: unknown command '" << name << "' (see chronoscope-cli --help)\n";
    return kExitUsage;
}
