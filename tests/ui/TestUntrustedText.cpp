// SPDX-License-Identifier: MIT
// Text from a server, a certificate or a file is shown as plain text in every widget: a report
// whose certificates (subject, issuer, SAN), server messages and errors hold HTML tags is rendered
// by every view, and every label, tooltip and item tooltip is checked: either plain text, or rich
// text in which the tags arrive escaped (rendering it requests no resource and makes no link),
// while the user still reads the literal characters.
#include "../support/TestCerts.h"
#include "../support/UiTestHelpers.h"
#include "BundlePanel.h"
#include "ChainCard.h"
#include "ChainView.h"
#include "ClientSettingsView.h"
#include "EndpointForm.h"
#include "HostNameView.h"
#include "MainWindow.h"
#include "MatrixView.h"
#include "PlainText.h"
#include "ProfileStore.h"
#include "RawView.h"
#include "SessionView.h"
#include "VerdictBanner.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QLabel>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QtTest>

#include <functional>
#include <memory>

using namespace pgtls;
using namespace pgtls::ui;

namespace {

const QString kImg = QStringLiteral("<img src=/dev/zero>");
const QString kBold = QStringLiteral("<b>bold</b>");
const QString kLink = QStringLiteral("<a href=file:///etc/passwd>x</a>");
const QString kAll = kImg + QLatin1Char(' ') + kBold + QLatin1Char(' ') + kLink;
// A right-to-left override (reorders what follows: "db.example.com" would read backwards) and a
// terminal escape, as a certificate or a server may carry them.
const QString kBidi = QStringLiteral("evil\u202Emoc.elpmaxe.bd");
const QString kEscape = QStringLiteral("red\x1b[31m");
const QString kBidiShown = QStringLiteral("evil\\u{202e}moc.elpmaxe.bd");
const QString kEscapeShown = QStringLiteral("red\\x1b[31m");
// The tags above as the data holds them: none may reach Qt's rich-text engine unescaped (our
// own markup around escaped data, e.g. a <b> for emphasis, is fine).
const QStringList kRawTags = { kImg, kBold, kLink };

QTemporaryDir *g_config = nullptr;
const QString kScreenshotDir = QStringLiteral("/tmp/pgtls-untrusted");

// A QTextDocument that records every resource (an <img src>, a stylesheet) it is asked to load
// instead of loading it: what Qt's label and tooltip would read from the disk.
class RecordingDocument : public QTextDocument
{
public:
    QStringList requested;

protected:
    QVariant loadResource(int type, const QUrl &name) override
    {
        Q_UNUSED(type);
        requested << name.toString();
        return {};
    }
};

struct Rendered
{
    QStringList resources; // what rendering it asked to load
    QStringList anchors; // the links it made
    QString plain; // what the user reads
};

Rendered renderAsRichText(const QString &html)
{
    RecordingDocument doc;
    doc.setHtml(html);
    // Layout is what makes the document fetch images.
    doc.setTextWidth(800);
    (void)doc.size();
    Rendered r;
    r.resources = doc.requested;
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat f = it.fragment().charFormat();
            if (f.isAnchor())
                r.anchors << f.anchorHref();
            if (f.isImageFormat())
                r.resources << f.toImageFormat().name();
        }
    }
    r.plain = doc.toPlainText();
    return r;
}

bool hasRawTag(const QString &text)
{
    return std::any_of(kRawTags.cbegin(), kRawTags.cend(),
        [&text](const QString &tag) { return text.contains(tag); });
}

// A text Qt may take as rich (a tooltip, an auto-format label): empty when it is safe, else why
// not.
QString richTextProblem(const QString &text)
{
    if (text.isEmpty() || !Qt::mightBeRichText(text))
        return {}; // shown as plain text: the characters as they are
    if (hasRawTag(text))
        return QStringLiteral("raw tag in rich text");
    const Rendered r = renderAsRichText(text);
    if (!r.resources.isEmpty())
        return QStringLiteral("loads %1").arg(r.resources.join(QLatin1Char(',')));
    if (!r.anchors.isEmpty())
        return QStringLiteral("links %1").arg(r.anchors.join(QLatin1Char(',')));
    return {};
}

QString describe(const QObject *o)
{
    return QStringLiteral("%1 \"%2\"")
        .arg(QString::fromLatin1(o->metaObject()->className()), o->objectName());
}

// Every problem in `root` and its children: labels, widget tooltips, tab tooltips, and the
// tooltips of every item of every item view.
QStringList problemsIn(QWidget *root)
{
    QStringList problems;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : std::as_const(widgets)) {
        if (auto *label = qobject_cast<QLabel *>(w)) {
            const bool rich = label->textFormat() == Qt::RichText
                || (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
            if (rich) {
                const QString why = hasRawTag(label->text())
                    ? QStringLiteral("raw tag in rich text")
                    : richTextProblem(label->text());
                if (!why.isEmpty())
                    problems << QStringLiteral("%1 text: %2: %3")
                                    .arg(describe(label), why, label->text());
            }
        }
        if (const QString why = richTextProblem(w->toolTip()); !why.isEmpty())
            problems << QStringLiteral("%1 tooltip: %2: %3").arg(describe(w), why, w->toolTip());
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i) {
                if (const QString why = richTextProblem(tabs->tabToolTip(i)); !why.isEmpty())
                    problems << QStringLiteral("%1 tab tooltip: %2").arg(describe(w), why);
            }
        }
        if (auto *view = qobject_cast<QAbstractItemView *>(w)) {
            const QAbstractItemModel *model = view->model();
            if (!model)
                continue;
            for (int row = 0; row < model->rowCount(); ++row) {
                for (int col = 0; col < model->columnCount(); ++col) {
                    const QString tip = model->index(row, col).data(Qt::ToolTipRole).toString();
                    if (const QString why = richTextProblem(tip); !why.isEmpty())
                        problems << QStringLiteral("%1 item (%2,%3) tooltip: %4: %5")
                                        .arg(describe(w))
                                        .arg(row)
                                        .arg(col)
                                        .arg(why, tip);
                }
            }
            for (Qt::Orientation o : { Qt::Horizontal, Qt::Vertical }) {
                const int n = o == Qt::Horizontal ? model->columnCount() : model->rowCount();
                for (int i = 0; i < n; ++i) {
                    const QString tip = model->headerData(i, o, Qt::ToolTipRole).toString();
                    if (const QString why = richTextProblem(tip); !why.isEmpty())
                        problems << QStringLiteral("%1 header tooltip: %2").arg(describe(w), why);
                }
            }
        }
    }
    return problems;
}

// Every text a user can read in `root`: label texts and item texts.
QString readableText(QWidget *root)
{
    QStringList texts;
    for (QLabel *l : root->findChildren<QLabel *>())
        texts << l->text();
    for (QAbstractItemView *v : root->findChildren<QAbstractItemView *>()) {
        const QAbstractItemModel *m = v->model();
        for (int row = 0; m && row < m->rowCount(); ++row) {
            for (int col = 0; col < m->columnCount(); ++col)
                texts << m->index(row, col).data().toString();
        }
    }
    return texts.join(QLatin1Char('\n'));
}

} // namespace

class TestUntrustedText : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void everyWidgetShowsHostileTextAsPlainText_data();
    void everyWidgetShowsHostileTextAsPlainText();
    void theUserStillReadsTheLiteralCharacters_data();
    void theUserStillReadsTheLiteralCharacters();
    void aChainCardTooltipReadsExactlyAsTheSubject();
    void controlsAndBidiOverridesShowEscaped_data();
    void controlsAndBidiOverridesShowEscaped();
    void plainToolTipShowsAnyTextLiterally_data();
    void plainToolTipShowsAnyTextLiterally();
    void libpqsLineBreaksStayLinesInTheSessionView();

private:
    InspectionReport m_report;
    QString m_bundlePath;
    // Each view, made and fed the hostile report (or file), shown.
    QMap<QString, std::function<std::unique_ptr<QWidget>()>> m_makers;
};

void TestUntrustedText::initTestCase()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // A CA and a leaf whose names are HTML.
    lab::CertRequest caReq;
    caReq.subject = { { QStringLiteral("O"), kBold }, { QStringLiteral("OU"), kLink },
        { QStringLiteral("CN"), kImg } };
    caReq.notBefore = now.addDays(-1);
    caReq.notAfter = now.addDays(30);
    caReq.isCa = true;
    const lab::PrivateKey caKey = lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256);
    const lab::IssuedCert ca = lab::CertBuilder::selfSigned(caReq, caKey);
    lab::CertRequest leafReq;
    leafReq.subject = { { QStringLiteral("O"), kLink }, { QStringLiteral("OU"), kBidi },
        { QStringLiteral("CN"), kImg } };
    leafReq.notBefore = now.addDays(-1);
    leafReq.notAfter = now.addDays(20);
    leafReq.sanDns = { QStringLiteral("db.example.com") };
    leafReq.rawSanDns = { kBold.toUtf8(), kImg.toUtf8(), kBidi.toUtf8() };
    const lab::PrivateKey leafKey = lab::PrivateKey::generate(lab::PrivateKey::Type::EcP256);
    const lab::IssuedCert leaf = lab::CertBuilder::issue(leafReq, leafKey, ca);
    const CertificateInfo leafInfo = CertificateInfo::fromDer(leaf.der);
    const CertificateInfo caInfo = CertificateInfo::fromDer(ca.der);
    QVERIFY(!leafInfo.isNull());
    QVERIFY(!caInfo.isNull());
    QCOMPARE(leafInfo.subjectCommonName, kImg);

    InspectionReport &r = m_report;
    r.startedAt = now;
    r.now = now;
    r.probeOnly = false;
    r.matrixRequested = true;
    r.endpoint.host = QStringLiteral("other.example.com");
    r.endpoint.port = 5432;
    r.endpoint.user = QStringLiteral("alice");
    r.endpoint.dbname = QStringLiteral("sales");
    r.endpoint.sslmode = SslMode::VerifyFull;
    r.endpoint.sslrootcert = g_config->filePath(QStringLiteral("<b>ca</b>.pem"));
    r.endpoint.extraOptions.insert(QStringLiteral("application_name"), kAll);
    r.rootCert.path = r.endpoint.sslrootcert;
    r.rootCert.exists = true;
    ProbeResult &p = r.probe;
    p.outcome = ProbeResult::Outcome::TlsEstablished;
    p.connectedAddress = QStringLiteral("127.0.0.1:5432");
    p.sslResponse = QStringLiteral("S");
    p.tlsOffered = true;
    p.sni = r.endpoint.host;
    p.protocol = QStringLiteral("TLSv1.3");
    p.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
    p.group = kBold;
    p.chain = { leafInfo, caInfo };
    p.trust.attempted = true;
    p.trust.trusted = false;
    p.trust.caFile = r.endpoint.sslrootcert;
    p.trust.anchorSubject = caInfo.subject;
    p.trust.error = QStringLiteral("self-signed certificate in certificate chain (%1)").arg(kAll);
    p.trust.errorDepth = 1;
    p.trust.issues = { CertificateIssue { 1, QStringLiteral("self-signed"), 19, kAll } };
    p.hostMatch = HostMatcher::match(r.endpoint.host, leafInfo);
    p.timings.total = 12;
    r.session.attempted = true;
    r.session.connected = false;
    r.session.error = QStringLiteral("FATAL:  %1").arg(kAll + kEscape);
    r.session.errorCode = QStringLiteral("other");
    r.session.serverVersion = kBold + kEscape;
    r.session.showSsl = kImg;
    r.session.rdsForceSsl = kLink;
    r.plaintext.tested = true;
    r.plaintext.verdict = PlaintextResult::Verdict::RefusedUnknownWhy;
    r.plaintext.accepted = false;
    r.plaintext.detail = QStringLiteral("FATAL:  no pg_hba.conf entry %1").arg(kAll);
    r.plaintext.explanation = kLink;
    for (SslMode mode : allSslModes()) {
        MatrixRow row;
        row.sslmode = mode;
        row.note = kBold + kBidi;
        row.error = kAll;
        row.ms = 3;
        r.matrix << row;
    }
    Problem mismatch;
    mismatch.code = QStringLiteral("host-mismatch");
    mismatch.severity = Problem::Severity::Error;
    mismatch.title = kImg;
    mismatch.detail = kAll + kEscape + kBidi;
    mismatch.explanation = kLink;
    mismatch.fix = kBold;
    Problem alias = mismatch;
    alias.code = QStringLiteral("host-mismatch-alias");
    Problem warning = mismatch;
    warning.code = QStringLiteral("cert-expires-soon");
    warning.severity = Problem::Severity::Warning;
    r.problems = { mismatch, alias, warning };
    r.ok = false;
    r.summary = kAll;
    r.totalMs = 12;

    // A bundle file with the same certificates, under a name that is HTML too.
    m_bundlePath = g_config->filePath(QStringLiteral("<img src=x>bundle.pem"));
    QFile bundle(m_bundlePath);
    QVERIFY(bundle.open(QIODevice::WriteOnly));
    bundle.write(ca.pem + leaf.pem);
    bundle.close();

    // A saved profile whose name is HTML (the settings file is a file, too).
    {
        ProfileStore store;
        Profile profile;
        profile.name = kImg;
        profile.endpoint = r.endpoint;
        QVERIFY(store.save(profile));
    }

    const InspectionReport report = m_report;
    const QString bundlePath = m_bundlePath;
    auto feed = [report](auto view) {
        view->setReport(report);
        return view;
    };
    m_makers.insert(QStringLiteral("the verdict banner"),
        [feed] { return std::unique_ptr<QWidget>(feed(new VerdictBanner)); });
    m_makers.insert(QStringLiteral("the chain view"),
        [feed] { return std::unique_ptr<QWidget>(feed(new ChainView)); });
    m_makers.insert(QStringLiteral("the host name view"),
        [feed] { return std::unique_ptr<QWidget>(feed(new HostNameView)); });
    m_makers.insert(QStringLiteral("the session view"),
        [feed] { return std::unique_ptr<QWidget>(feed(new SessionView)); });
    m_makers.insert(QStringLiteral("the matrix view"),
        [feed] { return std::unique_ptr<QWidget>(feed(new MatrixView)); });
    m_makers.insert(QStringLiteral("the raw view"),
        [feed] { return std::unique_ptr<QWidget>(feed(new RawView)); });
    m_makers.insert(QStringLiteral("the client settings view"),
        [feed] { return std::unique_ptr<QWidget>(feed(new ClientSettingsView)); });
    m_makers.insert(QStringLiteral("the bundle panel"), [bundlePath] {
        auto *panel = new BundlePanel;
        panel->setEndpointHost(QStringLiteral("db.example.com"));
        panel->setBundlePath(bundlePath);
        return std::unique_ptr<QWidget>(panel);
    });
    m_makers.insert(QStringLiteral("the endpoint form"), [report, bundlePath] {
        auto *form = new EndpointForm;
        Endpoint ep = report.endpoint;
        ep.sslrootcert = bundlePath;
        form->setEndpoint(ep);
        return std::unique_ptr<QWidget>(form);
    });
    m_makers.insert(QStringLiteral("the main window, every view fed"), [report] {
        auto *w = new MainWindow;
        for (ChainView *v : w->findChildren<ChainView *>())
            v->setReport(report);
        for (HostNameView *v : w->findChildren<HostNameView *>())
            v->setReport(report);
        for (SessionView *v : w->findChildren<SessionView *>())
            v->setReport(report);
        for (MatrixView *v : w->findChildren<MatrixView *>())
            v->setReport(report);
        for (RawView *v : w->findChildren<RawView *>())
            v->setReport(report);
        for (ClientSettingsView *v : w->findChildren<ClientSettingsView *>())
            v->setReport(report);
        w->banner()->setReport(report);
        return std::unique_ptr<QWidget>(w);
    });
}

void TestUntrustedText::everyWidgetShowsHostileTextAsPlainText_data()
{
    QTest::addColumn<QString>("view");
    for (auto it = m_makers.cbegin(); it != m_makers.cend(); ++it)
        QTest::newRow(qPrintable(it.key() + QStringLiteral(" shows HTML from the data as text")))
            << it.key();
}

void TestUntrustedText::everyWidgetShowsHostileTextAsPlainText()
{
    QFETCH(QString, view);
    const std::unique_ptr<QWidget> w = m_makers.value(view)();
    w->resize(1400, 900);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    const QStringList problems = problemsIn(w.get());
    // For a look at what the user sees (as tests/ui/TestViews.cpp does).
    QVERIFY(QDir().mkpath(kScreenshotDir));
    w->grab().save(
        QStringLiteral("%1/%2.png")
            .arg(kScreenshotDir, QString(view).replace(QLatin1Char(' '), QLatin1Char('-'))));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestUntrustedText::theUserStillReadsTheLiteralCharacters_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("literal");
    QTest::newRow("the chain view shows the certificate's CN as typed")
        << QStringLiteral("the chain view") << kImg;
    QTest::newRow("the host name view lists a SAN entry as typed")
        << QStringLiteral("the host name view") << kBold;
    QTest::newRow("the verdict banner shows the server's words as typed")
        << QStringLiteral("the verdict banner") << kAll;
    QTest::newRow("the session view shows the server version as typed")
        << QStringLiteral("the session view") << kBold;
    QTest::newRow("the matrix view shows the note as typed")
        << QStringLiteral("the matrix view") << kBold;
    QTest::newRow("the endpoint form shows a passed-through option as typed")
        << QStringLiteral("the endpoint form") << kAll;
}

void TestUntrustedText::theUserStillReadsTheLiteralCharacters()
{
    QFETCH(QString, view);
    QFETCH(QString, literal);
    const std::unique_ptr<QWidget> w = m_makers.value(view)();
    w->resize(1400, 900);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    const QString text = readableText(w.get());
    QVERIFY2(text.contains(literal), qPrintable(text));
}

void TestUntrustedText::aChainCardTooltipReadsExactlyAsTheSubject()
{
    ChainView view;
    view.setReport(m_report);
    view.resize(1400, 900);
    view.show();
    auto *subject = view.findChild<QLabel *>(QStringLiteral("chainCardSubject"));
    QVERIFY(subject);
    QCOMPARE(subject->textFormat(), Qt::PlainText);
    const QString tip = subject->toolTip();
    QVERIFY(!tip.isEmpty());
    const Rendered r = renderAsRichText(tip);
    QVERIFY2(r.resources.isEmpty(), qPrintable(r.resources.join(QLatin1Char(','))));
    QVERIFY(r.anchors.isEmpty());
    // The subject as it is, its bidi override made visible.
    const QString name = m_report.probe.chain.first().subject;
    QVERIFY(name.contains(QChar(0x202e)));
    QCOMPARE(r.plain, QString(name).replace(QChar(0x202e), QStringLiteral("\\u{202e}")));
}

void TestUntrustedText::controlsAndBidiOverridesShowEscaped_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("shown");
    QTest::newRow("the chain view shows a bidi override in a certificate name escaped")
        << QStringLiteral("the chain view") << kBidiShown;
    QTest::newRow("the host name view shows a bidi override in a SAN entry escaped")
        << QStringLiteral("the host name view") << kBidiShown;
    QTest::newRow("the session view shows a terminal escape in the server error escaped")
        << QStringLiteral("the session view") << kEscapeShown;
    QTest::newRow("the matrix view shows a bidi override in a note escaped")
        << QStringLiteral("the matrix view") << kBidiShown;
    QTest::newRow("the verdict banner shows a terminal escape in libpq's words escaped")
        << QStringLiteral("the verdict banner") << kEscapeShown;
    QTest::newRow("the main window shows them escaped in every view")
        << QStringLiteral("the main window, every view fed") << kBidiShown;
}

void TestUntrustedText::libpqsLineBreaksStayLinesInTheSessionView()
{
    // libpq's layout is data too: its second line, indented with a tab, stays an indented line,
    // not "\x09Is the server running".
    InspectionReport r;
    r.endpoint.host = QStringLiteral("db.example.com");
    r.probeOnly = false;
    r.session.attempted = true;
    r.session.error = QStringLiteral("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                                     "\tIs the server running on that host and accepting TCP/IP connections?");
    SessionView view;
    view.setReport(r);
    view.resize(1400, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString text = readableText(&view);
    QVERIFY2(text.contains(QLatin1String("Connection refused\n    Is the server running")), qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("\\x09")));
}

void TestUntrustedText::controlsAndBidiOverridesShowEscaped()
{
    QFETCH(QString, view);
    QFETCH(QString, shown);
    const std::unique_ptr<QWidget> w = m_makers.value(view)();
    w->resize(1400, 900);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    // Select every chain card in turn: the details table is filled per card.
    for (ChainView *chain : w->findChildren<ChainView *>()) {
        for (ChainCard *card : chain->cards())
            emit card->activated();
    }
    QString text = readableText(w.get());
    QList<QWidget *> widgets = w->findChildren<QWidget *>();
    widgets.prepend(w.get());
    for (QWidget *child : std::as_const(widgets))
        text += QLatin1Char('\n') + renderAsRichText(child->toolTip()).plain;
    QVERIFY2(text.contains(shown), qPrintable(text));
    QVERIFY2(!text.contains(QChar(0x202e)), qPrintable(text));
    QVERIFY2(!text.contains(QChar(0x1b)), qPrintable(text));
}

void TestUntrustedText::plainToolTipShowsAnyTextLiterally_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("an image tag is shown, not loaded") << kImg;
    QTest::newRow("a bold tag is shown, not applied") << kBold;
    QTest::newRow("a link is shown, not made") << kLink;
    QTest::newRow("entities are shown as typed") << QStringLiteral("&lt;b&gt; &amp; &#60;img&#62;");
    QTest::newRow("runs of spaces are kept") << QStringLiteral("a    b");
    QTest::newRow("a line break is kept") << QStringLiteral("first line\n<b>second</b>");
}

void TestUntrustedText::plainToolTipShowsAnyTextLiterally()
{
    QFETCH(QString, text);
    const QString tip = plainToolTip(text);
    QVERIFY(!hasRawTag(tip));
    const Rendered r = renderAsRichText(tip);
    QVERIFY(r.resources.isEmpty());
    QVERIFY(r.anchors.isEmpty());
    QCOMPARE(r.plain, text);
}

int main(int argc, char **argv)
{
    return pgtls::test::runIsolatedWidgetTest<TestUntrustedText>(argc, argv, "TestUntrustedText", &g_config);
}

#include "TestUntrustedText.moc"
