#include "model/colouring_rules.h"

#include <QSettings>

namespace chronoscope {
namespace {

// Settings keys. Changing them forgets the rules users made.
const QString kRulesKey = QStringLiteral("events/colouringRules");
const QString kExpressionKey = QStringLiteral("expression");
const QString kColourKey = QStringLiteral("colour");

}  // namespace

QList<ColouringRule> loadColouringRules()
{
    QSettings settings;
    QList<ColouringRule> rules;
    const int count = settings.beginReadArray(kRulesKey);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        ColouringRule rule{settings.value(kExpressionKey).toString(),
                           QColor::fromString(settings.value(kColourKey).toString())};
        if (!rule.expression.trimmed().isEmpty() && rule.colour.isValid()) rules.append(rule);
    }
    settings.endArray();
    return rules;
}

void saveColouringRules(const QList<ColouringRule>& rules)
{
    QSettings settings;
    settings.remove(kRulesKey);
    settings.beginWriteArray(kRulesKey, static_cast<int>(rules.size()));
    for (int i = 0; i < rules.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(kExpressionKey, rules[i].expression);
        settings.setValue(kColourKey, rules[i].colour.name(QColor::HexArgb));
    }
    settings.endArray();
}

}  // namespace chronoscope
