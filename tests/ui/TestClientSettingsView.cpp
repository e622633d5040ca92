// SPDX-License-Identifier: MIT
// ClientSettingsView offscreen: one read-only monospace box and a Copy button per client, the
// alias case, nothing shown without a report.
#include "ClientSettingsView.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::ui;

namespace {

const QString kRdsName = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");

InspectionReport report(const QString &host)
{
    InspectionReport r;
    r.endpoint.host = host;
    r.endpoint.dbname = QStringLiteral("app");
    r.endpoint.user = QStringLiteral("app");
    r.rootCert.path = QStringLiteral(PGTLS_SOURCE_DIR "/resources/rds/global-bundle.pem");
    r.rootCert.exists = true;
    CertificateInfo leaf;
    leaf.sanDns = { kRdsName };
    r.probe.chain = { leaf };
    HostMatch m;
    m.checkedName = host;
    m.matched = host == kRdsName;
    r.probe.hostMatch = m;
    if (!m.matched) {
        Problem p;
        p.code = QStringLiteral("host-mismatch-alias");
        r.problems << p;
    }
    return r;
}

void shoot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("PGTLS_BUNDLE_SHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    w->resize(w->width(), qMax(w->height(), w->sizeHint().height()));
    QCoreApplication::processEvents(); // pending layout requests, so the picture is what a user sees
    w->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

} // namespace

class TestClientSettingsView : public QObject
{
    Q_OBJECT
private slots:
    void everyClientHasAReadOnlyMonospaceBox_data();
    void everyClientHasAReadOnlyMonospaceBox();
    void copyPutsTheSnippetOnTheClipboard();
    void aliasIsSaidAndTheRdsNameUsed();
    void clearReportHidesTheSnippets();
    void onlyAVerifiedInspectionIsCalledVerified();
};

void TestClientSettingsView::everyClientHasAReadOnlyMonospaceBox_data()
{
    QTest::addColumn<QString>("objectName");
    QTest::addColumn<QString>("expected");
    QTest::newRow("psql") << QStringLiteral("clientPsql") << QStringLiteral("sslmode=verify-full");
    QTest::newRow("environment") << QStringLiteral("clientEnv") << QStringLiteral("PGSSLROOTCERT=");
    QTest::newRow("pgJDBC") << QStringLiteral("clientJdbc") << QStringLiteral("jdbc:postgresql://");
    QTest::newRow("pgx") << QStringLiteral("clientPgx") << QStringLiteral("ServerName:");
    QTest::newRow("psycopg") << QStringLiteral("clientPsycopg")
                             << QStringLiteral("psycopg.connect(");
    QTest::newRow("node-postgres")
        << QStringLiteral("clientNode") << QStringLiteral("rejectUnauthorized: true");
    QTest::newRow("Npgsql") << QStringLiteral("clientNpgsql")
                            << QStringLiteral("SSL Mode=VerifyFull");
}

void TestClientSettingsView::everyClientHasAReadOnlyMonospaceBox()
{
    QFETCH(QString, objectName);
    QFETCH(QString, expected);
    ClientSettingsView view;
    view.resize(800, 900);
    view.setReport(report(kRdsName));
    view.show();
    auto *box = view.findChild<QPlainTextEdit *>(objectName);
    QVERIFY(box);
    QVERIFY(box->isReadOnly());
    QVERIFY(box->isVisible());
    QVERIFY(QFontInfo(box->font()).fixedPitch());
    QVERIFY2(box->toPlainText().contains(expected), qPrintable(box->toPlainText()));
    QVERIFY(view.findChild<QPushButton *>(objectName + QStringLiteral("Copy")));
    QVERIFY(!view.findChild<QLabel *>(objectName + QStringLiteral("Note"))->text().isEmpty());
    // The whole snippet is visible without scrolling inside the box.
    const int lines = int(box->toPlainText().count(QLatin1Char('\n'))) + 1;
    QVERIFY(box->height() >= lines * QFontMetrics(box->font()).lineSpacing());
}

void TestClientSettingsView::copyPutsTheSnippetOnTheClipboard()
{
    ClientSettingsView view;
    view.setReport(report(kRdsName));
    view.findChild<QPushButton *>(QStringLiteral("clientJdbcCopy"))->click();
    QCOMPARE(
        QApplication::clipboard()->text(), view.settings().snippet(QStringLiteral("jdbc"))->text);
    QVERIFY(view.findChild<QLabel *>(QStringLiteral("clientSettingsStatus"))
                ->text()
                .contains(QLatin1String("pgJDBC")));
}

void TestClientSettingsView::aliasIsSaidAndTheRdsNameUsed()
{
    ClientSettingsView view;
    view.resize(900, 1000);
    view.setReport(report(QStringLiteral("db.example.com")));
    view.show();
    const QString notes = view.findChild<QLabel *>(QStringLiteral("clientSettingsNotes"))->text();
    QVERIFY(notes.contains(QLatin1String("alias")));
    QVERIFY(view.findChild<QLabel *>(QStringLiteral("clientSettingsHeader"))
                ->text()
                .contains(kRdsName));
    const QString psql
        = view.findChild<QPlainTextEdit *>(QStringLiteral("clientPsql"))->toPlainText();
    QVERIFY(psql.contains(QStringLiteral("host=") + kRdsName));
    QVERIFY(!psql.contains(QLatin1String("db.example.com")));
    shoot(&view, QStringLiteral("client-settings-alias"));
}

void TestClientSettingsView::clearReportHidesTheSnippets()
{
    ClientSettingsView view;
    view.show();
    view.setReport(report(kRdsName));
    view.clearReport();
    auto *box = view.findChild<QPlainTextEdit *>(QStringLiteral("clientPsql"));
    QVERIFY(box->toPlainText().isEmpty());
    QVERIFY(!box->isVisible());
    QVERIFY(!view.findChild<QLabel *>(QStringLiteral("clientSettingsHeader"))->text().isEmpty());
}

void TestClientSettingsView::onlyAVerifiedInspectionIsCalledVerified()
{
    ClientSettingsView view;
    InspectionReport failed = report(QStringLiteral("db.example.com")); // the alias: verify-full failed
    failed.ok = false;
    view.setReport(failed);
    auto *header = view.findChild<QLabel *>(QStringLiteral("clientSettingsHeader"));
    QVERIFY2(header->text().startsWith(QLatin1String("Settings to aim for")), qPrintable(header->text()));
    QVERIFY(!header->text().contains(QLatin1String("Verified configuration")));

    InspectionReport verified = report(kRdsName);
    verified.ok = true;
    verified.endpoint.sslmode = SslMode::VerifyFull;
    verified.probe.trust.attempted = true;
    verified.probe.trust.trusted = true;
    view.setReport(verified);
    QVERIFY2(header->text().startsWith(QLatin1String("Verified configuration")), qPrintable(header->text()));
}

QTEST_MAIN(TestClientSettingsView)
#include "TestClientSettingsView.moc"
