#pragma once
// The filter bar above the Events list (DESIGN §5, §8): the expression turns green
// when valid and red, with the error and its column, when not. Enter (or Apply)
// filters; recent filters are offered as completions and kept in QSettings.

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace chronoscope {

class FilterBar : public QWidget {
    Q_OBJECT
public:
    explicit FilterBar(QWidget* parent = nullptr);

    QString text() const;
    void setText(const QString& text);
    bool isValid() const { return m_valid; }
    QLineEdit* lineEdit() const;
    QLabel* messageLabel() const { return m_message; }
    // Focuses the expression and selects it (Ctrl+F).
    void focusExpression();

signals:
    // A valid expression (possibly empty) was applied.
    void filterApplied(const QString& expression);
    // Find previous (`backwards`) or next with the current expression.
    void findRequested(bool backwards);

private:
    void check(const QString& text);
    void apply();
    void remember(const QString& expression);

    QComboBox* m_expression;
    QPushButton* m_apply;
    QPushButton* m_clear;
    QLabel* m_message;
    bool m_valid = true;
    int m_errorColumn = 0;
};

}  // namespace chronoscope
