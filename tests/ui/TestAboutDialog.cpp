// SPDX-License-Identifier: MIT
// AboutDialog offscreen: the version from project(), each library's licence and run-time version,
// an About Qt button, and the Help menu entry in the main window that opens it.
#include "AboutDialog.h"
#include "MainWindow.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QtTest>

using namespace pgtls::ui;

class TestAboutDialog : public QObject
{
    Q_OBJECT
private slots:
    void showsVersionAndLicences()
    {
        AboutDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QString text = dialog.text();
        QVERIFY2(text.contains(QStringLiteral(PGTLS_VERSION)), qPrintable(text));
        for (const char *licence :
            { "LGPL-3.0", "PostgreSQL Licence", "Apache-2.0", "BSD-3-Clause" })
            QVERIFY2(text.contains(QLatin1String(licence)), licence);
        for (const char *library : { "Qt 6", "libpq", "OpenSSL", "QtKeychain" })
            QVERIFY2(text.contains(QLatin1String(library)), library);
        // Run-time versions, as the libraries report them.
        QVERIFY(text.contains(QString::fromLatin1(qVersion())));
        QVERIFY(text.contains(AboutDialog::libpqVersion()));
        QVERIFY(AboutDialog::openSslVersion().startsWith(QLatin1String("OpenSSL 3")));
        QVERIFY(text.contains(AboutDialog::openSslVersion().toHtmlEscaped()));
        QVERIFY(!AboutDialog::keychainVersion().isEmpty());
        QVERIFY(text.contains(AboutDialog::keychainVersion()));
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("aboutQtButton")));
    }

    void helpMenuOpensIt()
    {
        MainWindow window;
        auto *help = window.menuBar()->findChild<QMenu *>(QStringLiteral("helpMenu"));
        QVERIFY(help);
        QAction *about = window.findChild<QAction *>(QStringLiteral("aboutAction"));
        QVERIFY(about);
        QVERIFY(help->actions().contains(about));
        QVERIFY(about->text().contains(QLatin1String("About PG TLS Inspector")));
        QVERIFY(window.findChild<QAction *>(QStringLiteral("aboutQtAction")));
        // Triggering it shows the (modal) dialog; close it from the event loop.
        bool seen = false;
        QTimer::singleShot(0, this, [&seen] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<AboutDialog *>(w); d && d->isVisible()) {
                    seen = true;
                    d->reject();
                }
            }
        });
        about->trigger();
        QVERIFY(seen);
    }
};

QTEST_MAIN(TestAboutDialog)
#include "TestAboutDialog.moc"
