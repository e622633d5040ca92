// SPDX-License-Identifier: MIT
// The programs speak the system locale's language when a translation exists: the app's own
// strings (a German test translation compiled with lrelease) and, where installed, Qt's.
#include "MainWindow.h"
#include "Translations.h"

#include <QApplication>
#include <QPushButton>
#include <QTranslator>
#include <QtTest>

using namespace pgtls;

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void cleanup()
    {
        // Each test installs its own translators.
        for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    }
    void aGermanLocaleLoadsTheGermanTranslation_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::newRow("de_DE") << "de_DE";
        QTest::newRow("de_AT falls back to de") << "de_AT";
    }
    void aGermanLocaleLoadsTheGermanTranslation()
    {
        QFETCH(QString, locale);
        const QStringList loaded = Translations::install(qApp, QLocale(locale), { QStringLiteral(PGTLS_TEST_I18N_DIR) });
        QVERIFY2(loaded.contains(QStringLiteral(PGTLS_TEST_I18N_DIR "/pgtls-inspector_de.qm")),
                 qPrintable(loaded.join(QLatin1Char(' '))));
        QCOMPARE(QCoreApplication::translate("pgtls::Judge", "Cancelled"), QStringLiteral("Abgebrochen"));
        // The window built afterwards speaks it.
        ui::MainWindow w;
        QCOMPARE(w.findChild<QPushButton *>(QStringLiteral("inspectButton"))->text(), QStringLiteral("&Prüfen"));
    }
    void aLanguageWithoutATranslationStaysEnglish()
    {
        const QStringList loaded = Translations::install(qApp, QLocale(QStringLiteral("fr_FR")), { QStringLiteral(PGTLS_TEST_I18N_DIR) });
        QVERIFY2(!loaded.contains(QStringLiteral(PGTLS_TEST_I18N_DIR "/pgtls-inspector_de.qm")), qPrintable(loaded.join(QLatin1Char(' '))));
        QCOMPARE(QCoreApplication::translate("pgtls::Judge", "Cancelled"), QStringLiteral("Cancelled"));
        ui::MainWindow w;
        QCOMPARE(w.findChild<QPushButton *>(QStringLiteral("inspectButton"))->text(), QStringLiteral("&Inspect"));
    }
    void theInstalledProgramLooksBesideItsShareDirectory()
    {
        const QStringList dirs = Translations::appDirectories();
        QVERIFY(!dirs.isEmpty());
        QVERIFY2(dirs.first().endsWith(QLatin1String("/share/pgtls-inspector/translations")), qPrintable(dirs.first()));
    }
};

QTEST_MAIN(TestTranslations)
#include "TestTranslations.moc"
