#pragma once
// Colouring rules of the Events list (DESIGN §8): a filter expression (DESIGN §5) and
// the background colour of the rows it matches. The first matching rule wins. Rules are
// the user's, not the store's: they live in QSettings under "events/colouringRules".
//
// Thread: GUI thread (QSettings).

#include <QColor>
#include <QList>
#include <QString>

namespace chronoscope {

struct ColouringRule {
    QString expression;
    QColor colour;

    bool operator==(const ColouringRule&) const = default;
};

QList<ColouringRule> loadColouringRules();
void saveColouringRules(const QList<ColouringRule>& rules);

}  // namespace chronoscope
