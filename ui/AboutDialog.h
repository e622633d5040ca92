// SPDX-License-Identifier: MIT
// AboutDialog: Help > About PG TLS Inspector. The version (from CMake project()), what the program
// does, and the libraries it uses with their licences and the versions loaded at run time.
#pragma once

#include <QDialog>

class QLabel;

namespace pgtls::ui {

class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The text shown (rich text), for tests.
    QString text() const;

    // Run-time library versions, as reported by the libraries themselves.
    static QString qtVersion();
    static QString libpqVersion();
    static QString openSslVersion();
    static QString keychainVersion();

private:
    QLabel *m_text = nullptr;
};

} // namespace pgtls::ui
