#pragma once
// English plural forms for the program's counted messages. Qt picks a message's plural
// form from a translation; without one, tr("%n day(s)", nullptr, n) shows "1 day(s)".
// This translator answers every counted message (n >= 0) written with the "(s)" or
// "(es)" convention: "1 day", "2 days", "1 fix", "3 fixes"; every other message, and a
// counted one without the convention, is left to the next translator (or the source
// text). Qt replaces %n afterwards. Installed once, by the application, before any window.

#include <QTranslator>

namespace chronoscope {

class EnglishPlurals : public QTranslator {
    Q_OBJECT
public:
    using QTranslator::QTranslator;
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* sourceText, const char* disambiguation = nullptr,
                      int n = -1) const override;
};

// `text` with each "(s)" and "(es)" dropped (n == 1) or made the suffix (any other n).
QString englishPluralForm(const QString& text, int n);

}  // namespace chronoscope
