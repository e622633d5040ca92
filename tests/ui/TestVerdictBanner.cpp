// SPDX-License-Identifier: MIT
// The verdict banner's sentences read as written: a problem title that starts with a name spelt in
// lower case keeps it (sslinfo, pg_hba.conf), any other title starts the sentence capitalised.
#include "VerdictBanner.h"

#include <QLabel>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::ui;

class TestVerdictBanner : public QObject
{
    Q_OBJECT
private slots:
    void aTitleStartsTheSentenceAsItIsSpelt_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("shownAs");
        QTest::newRow("an extension's name stays in lower case")
            << "sslinfo is not installed" << "sslinfo is not installed. ";
        QTest::newRow("a file name stays as it is") << "pg_hba.conf has no entry" << "pg_hba.conf has no entry. ";
        QTest::newRow("a parameter stays as it is") << "sslmode=disable never encrypts" << "sslmode=disable never encrypts. ";
        QTest::newRow("an ordinary word is capitalised") << "the server accepts plaintext" << "The server accepts plaintext. ";
    }
    void aTitleStartsTheSentenceAsItIsSpelt()
    {
        QFETCH(QString, title);
        QFETCH(QString, shownAs);
        InspectionReport r;
        r.ok = true;
        r.summary = QStringLiteral("Encrypted");
        Problem p;
        p.code = QStringLiteral("sslinfo-missing");
        p.severity = Problem::Severity::Warning;
        p.title = title;
        p.explanation = QStringLiteral("Because.");
        r.problems << p;
        VerdictBanner banner;
        banner.setReport(r);
        const QString text = banner.findChild<QLabel *>(QStringLiteral("verdictExplanation"))->text();
        QVERIFY2(text.startsWith(shownAs), qPrintable(text));
    }
};

QTEST_MAIN(TestVerdictBanner)
#include "TestVerdictBanner.moc"
