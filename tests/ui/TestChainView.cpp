// SPDX-License-Identifier: MIT
// ChainView offscreen with chains generated in memory and verified by the real ChainVerifier
// (revocation lists included): a failed chain is still shown to its anchor, every card carries the
// problems at its own depth, and only a missing anchor blames the CA file.
#include "CertBuilder.h"
#include "ChainCard.h"
#include "ChainVerifier.h"
#include "ChainView.h"
#include "InspectionReport.h"

#include "../support/TestCerts.h"

#include <QFile>
#include <QHash>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>

using namespace pgtls;
using namespace pgtls::lab;
using namespace pgtls::ui;
using namespace Qt::StringLiterals;

class TestChainView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void theChainIsShownToTheAnchorWhateverFails_data();
    void theChainIsShownToTheAnchorWhateverFails();
    void anExpiredServerCertificateSaysUntilWhenItWasValid();
    void aRevokedServerCertificateIsMarkedOnItsOwnCard();
    void aMissingCrlIsMarkedOnTheCertificateThatNeedsIt();
    void aCertificateTheServerSentOutsideTheChainComesLast();

private:
    IssuedCert make(const QString &cn, bool ca, const QDateTime &from, const QDateTime &to,
                    const IssuedCert *issuer);
    QString write(const QString &name, const QByteArray &content) const;
    // A report of a verified TLS probe: `sent` as the server's chain, verified against a CA file of
    // `caFile` (and the CRLs `crls`, PEM, as sslcrl when not empty).
    InspectionReport reportFor(const QStringList &sent, const QStringList &caFile,
                               const QByteArray &crls = {}) const;
    static QStringList roles(const ChainView &view);
    static QString trustTextOf(ChainView &view, int index);

    QTemporaryDir m_dir;
    QDateTime m_now;
    QHash<QString, IssuedCert> m_certs;
};

IssuedCert TestChainView::make(const QString &cn, bool ca, const QDateTime &from,
                               const QDateTime &to, const IssuedCert *issuer)
{
    return pgtls::test::makeCertBetween(QString(), cn, ca, from, to, issuer);
}

void TestChainView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_now = QDateTime(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC);
    const QDateTime longAgo(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC);
    const QDateTime farAhead(QDate(2040, 1, 1), QTime(0, 0), Qt::UTC);
    m_certs[u"root"_s] = make(u"View Root CA"_s, true, longAgo, farAhead, nullptr);
    m_certs[u"other-root"_s] = make(u"Other Root CA"_s, true, longAgo, farAhead, nullptr);
    m_certs[u"inter"_s] = make(u"View Intermediate CA"_s, true, longAgo, farAhead, &m_certs[u"root"_s]);
    m_certs[u"leaf"_s] = make(u"db.view.test"_s, false, m_now.addDays(-30), m_now.addDays(300),
                              &m_certs[u"inter"_s]);
    m_certs[u"expired-leaf"_s] = make(u"old.view.test"_s, false, m_now.addDays(-400),
                                      QDateTime(QDate(2025, 5, 1), QTime(8, 30), Qt::UTC),
                                      &m_certs[u"inter"_s]);
}

QString TestChainView::write(const QString &name, const QByteArray &content) const
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(content);
    return path;
}

InspectionReport TestChainView::reportFor(const QStringList &sent, const QStringList &caFile,
                                          const QByteArray &crls) const
{
    InspectionReport r;
    r.now = m_now;
    for (const QString &name : sent)
        r.probe.chain << CertificateInfo::fromDer(m_certs.value(name).der);
    QByteArray pem;
    for (const QString &name : caFile)
        pem += m_certs.value(name).pem;
    CrlSettings crl;
    if (!crls.isEmpty())
        crl.file = write(u"view.crl"_s, crls);
    r.probe.trust = ChainVerifier::verify(r.probe.chain, write(caFile.join(u'+') + u".pem"_s, pem),
                                          m_now, crl);
    return r;
}

QStringList TestChainView::roles(const ChainView &view)
{
    QStringList out;
    for (ChainCard *card : view.cards())
        out << card->property("role").toString();
    return out;
}

QString TestChainView::trustTextOf(ChainView &view, int index)
{
    view.selectCard(index);
    const QStringList lines = view.selectedCertificateText().split(u'\n');
    for (const QString &line : lines)
        if (line.startsWith(u"Trust: "_s))
            return line.mid(7);
    return {};
}

void TestChainView::theChainIsShownToTheAnchorWhateverFails_data()
{
    QTest::addColumn<QStringList>("sent");
    QTest::addColumn<QStringList>("caFile");
    QTest::addColumn<QStringList>("roles");
    QTest::addColumn<QString>("lastNode"); // objectName of the last node

    const QStringList toAnchor { u"server"_s, u"intermediate"_s, u"anchor"_s };
    QTest::newRow("a trusted chain ends in the anchor from the CA file")
            << QStringList { u"leaf"_s, u"inter"_s } << QStringList { u"root"_s } << toAnchor
            << u"chainAnchorCard"_s;
    QTest::newRow("an expired server certificate still ends in the anchor, not in 'not trusted'")
            << QStringList { u"expired-leaf"_s, u"inter"_s } << QStringList { u"root"_s }
            << toAnchor << u"chainAnchorCard"_s;
    QTest::newRow("a CA file without the root ends in 'issuer not found in your CA file'")
            << QStringList { u"leaf"_s, u"inter"_s } << QStringList { u"other-root"_s }
            << QStringList { u"server"_s, u"intermediate"_s, u"missing"_s }
            << u"chainIssuerNotFound"_s;
    QTest::newRow("an expired server certificate under an unknown CA blames the CA file too")
            << QStringList { u"expired-leaf"_s, u"inter"_s } << QStringList { u"other-root"_s }
            << QStringList { u"server"_s, u"intermediate"_s, u"missing"_s }
            << u"chainIssuerNotFound"_s;
    QTest::newRow("a root the server sends but the CA file lacks is an issuer not found")
            << QStringList { u"leaf"_s, u"inter"_s, u"root"_s } << QStringList { u"other-root"_s }
            << QStringList { u"server"_s, u"intermediate"_s, u"root"_s, u"missing"_s }
            << u"chainIssuerNotFound"_s;
}

void TestChainView::theChainIsShownToTheAnchorWhateverFails()
{
    QFETCH(QStringList, sent);
    QFETCH(QStringList, caFile);
    QFETCH(QStringList, roles);
    QFETCH(QString, lastNode);
    const InspectionReport r = reportFor(sent, caFile);
    ChainView view;
    view.setReport(r);
    QCOMPARE(TestChainView::roles(view), roles);
    QCOMPARE(view.cards().constLast()->objectName(), lastNode);
    for (const QString &name : { u"chainAnchorCard"_s, u"chainIssuerNotFound"_s,
                                 u"chainNotTrusted"_s, u"chainNotVerified"_s })
        QCOMPARE(view.findChild<ChainCard *>(name) != nullptr, name == lastNode);
    QCOMPARE(view.findChildren<ChainCard *>(u"chainCard"_s).size(), sent.size());
    if (lastNode == u"chainAnchorCard"_s) {
        QVERIFY(view.cards().constLast()->accessibleName().contains(u"from your CA file"_s));
        view.selectCard(int(view.cards().size()) - 1);
        QVERIFY(view.selectedCertificateText().contains(
                CertificateInfo::fromDer(m_certs.value(u"root"_s).der).sha256));
    }
}

void TestChainView::anExpiredServerCertificateSaysUntilWhenItWasValid()
{
    ChainView view;
    view.setReport(reportFor({ u"expired-leaf"_s, u"inter"_s }, { u"root"_s }));
    const QString server = trustTextOf(view, 0);
    QVERIFY2(server.startsWith(u"Problem: certificate has expired"_s), qPrintable(server));
    QVERIFY2(server.contains(u"valid until 2025-05-01 08:30:00 UTC"_s), qPrintable(server));
    // The intermediate and the anchor are fine, and say so instead of "not trusted".
    const QString intermediate = trustTextOf(view, 1);
    QVERIFY2(intermediate.startsWith(u"No problem with this certificate itself"_s),
             qPrintable(intermediate));
    const QString anchor = trustTextOf(view, 2);
    QVERIFY2(anchor.contains(u"found in your CA file"_s), qPrintable(anchor));
    QCOMPARE(view.cards().at(2)->findChild<QLabel *>(u"chainCardBadge"_s)->text(),
             u"from your CA file"_s);
}

void TestChainView::aRevokedServerCertificateIsMarkedOnItsOwnCard()
{
    const QByteArray crls
            = test::makeCrl(m_certs.value(u"inter"_s), { m_certs.value(u"leaf"_s).der },
                            m_now.addDays(-1), m_now.addDays(7))
            + test::makeCrl(m_certs.value(u"root"_s), {}, m_now.addDays(-1), m_now.addDays(7));
    const InspectionReport r = reportFor({ u"leaf"_s, u"inter"_s }, { u"root"_s }, crls);
    QCOMPARE(r.probe.trust.opensslError, int(X509_V_ERR_CERT_REVOKED));
    ChainView view;
    view.setReport(r);
    QCOMPARE(roles(view), (QStringList { u"server"_s, u"intermediate"_s, u"anchor"_s }));
    const QString server = trustTextOf(view, 0);
    QVERIFY2(server.startsWith(u"Problem: certificate revoked"_s), qPrintable(server));
    QVERIFY2(!trustTextOf(view, 1).startsWith(u"Problem"_s), qPrintable(trustTextOf(view, 1)));
}

void TestChainView::aMissingCrlIsMarkedOnTheCertificateThatNeedsIt()
{
    // Only the intermediate published a CRL: under CRL_CHECK_ALL the intermediate (issued by the
    // root) and the root itself have none.
    const QByteArray crls = test::makeCrl(m_certs.value(u"inter"_s), {}, m_now.addDays(-1),
                                          m_now.addDays(7));
    ChainView view;
    view.setReport(reportFor({ u"leaf"_s, u"inter"_s }, { u"root"_s }, crls));
    QVERIFY2(!trustTextOf(view, 0).startsWith(u"Problem"_s), qPrintable(trustTextOf(view, 0)));
    for (int i : { 1, 2 }) {
        const QString text = trustTextOf(view, i);
        QVERIFY2(text.startsWith(u"Problem: unable to get certificate CRL"_s), qPrintable(text));
    }
}

void TestChainView::aCertificateTheServerSentOutsideTheChainComesLast()
{
    ChainView view;
    view.setReport(reportFor({ u"leaf"_s, u"inter"_s, u"other-root"_s }, { u"root"_s }));
    QCOMPARE(roles(view),
             (QStringList { u"server"_s, u"intermediate"_s, u"anchor"_s, u"unused"_s }));
    view.selectCard(3);
    QVERIFY(view.selectedCertificateText().contains(
            CertificateInfo::fromDer(m_certs.value(u"other-root"_s).der).sha256));
    QVERIFY(view.findChild<ChainCard *>(u"chainAnchorCard"_s));
}

QTEST_MAIN(TestChainView)
#include "TestChainView.moc"
