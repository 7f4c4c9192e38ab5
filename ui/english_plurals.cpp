#include "english_plurals.h"

#include <cstring>

namespace chronoscope {

QString EnglishPlurals::translate(const char* /*context*/, const char* sourceText, const char* /*disambiguation*/,
                                  int n) const
{
    if (n < 0 || !sourceText || !std::strstr(sourceText, "(")) return {};
    const QString source = QString::fromUtf8(sourceText);
    QString plural = englishPluralForm(source, n);
    return plural == source ? QString() : plural;
}

QString englishPluralForm(const QString& text, int n)
{
    QString form = text;
    for (const QLatin1String suffix : {QLatin1String("(es)"), QLatin1String("(s)")})
        form.replace(suffix, n == 1 ? QString() : QString(suffix.mid(1, suffix.size() - 2)));
    return form;
}

}  // namespace chronoscope
