// SPDX-License-Identifier: MIT
#include "Translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>

namespace pgtls {

QStringList Translations::appDirectories()
{
    const QDir exe(QCoreApplication::applicationDirPath());
    return { exe.absoluteFilePath(QStringLiteral("../share/pgtls-inspector/translations")),
        exe.absoluteFilePath(QStringLiteral("../../translations")) };
}

QStringList Translations::install(QCoreApplication *app, const QLocale &locale, const QStringList &appDirs)
{
    QStringList loaded;
    auto tryLoad = [&](const QString &name, const QString &dir) {
        auto *translator = new QTranslator(app);
        if (translator->load(locale, name, QStringLiteral("_"), dir) && app->installTranslator(translator)) {
            loaded << translator->filePath();
            return true;
        }
        delete translator;
        return false;
    };
    tryLoad(QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    for (const QString &dir : appDirs) {
        if (tryLoad(QStringLiteral("pgtls-inspector"), dir))
            break;
    }
    return loaded;
}

} // namespace pgtls
