// SPDX-License-Identifier: MIT
#pragma once

#include <QLocale>
#include <QStringList>

class QCoreApplication;

namespace pgtls {

// The programs' language: Qt's own translations (qtbase_<lang>.qm from Qt's translations
// directory, for the standard dialogs and buttons) and the app's (pgtls-inspector_<lang>.qm) for
// a locale, installed on the application. QTranslator's lookup picks the best file for the
// locale's UI languages (de_AT falls back to de); a language without a file leaves English.
class Translations
{
public:
    // Where the app's .qm files are looked for, in order: <prefix>/share/pgtls-inspector/translations
    // beside the installed program (../share/... from the executable's directory), then the build
    // tree's <build>/translations (when run from build/app/gui or build/app/cli).
    static QStringList appDirectories();
    // Installs the translators for `locale` on `app` (they live as long as it does) and returns the
    // files loaded (empty when none matched: English).
    static QStringList install(QCoreApplication *app, const QLocale &locale,
                               const QStringList &appDirs = appDirectories());
};

} // namespace pgtls
