// SPDX-License-Identifier: MIT
// EndpointForm and secrets and files: a pasted connection string with any secret libpq keyword
// (as libpq parses it) is refused and cleared, a secret option is never shown, the password
// field is wiped; the CA field never opens the typed path while typing, and a FIFO or a device
// typed into it leaves the GUI responsive with a clear "not a regular file" state.
#include "../support/TestCerts.h"
#include "../support/UiTestHelpers.h"
#include "EndpointForm.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <sys/stat.h>

using namespace pgtls;
using namespace pgtls::ui;
using pgtls::test::child;

namespace {

const char kSecret[] = "Pa55phrase-never-shown";

// Every text the form shows or exposes (labels, fields, tooltips, accessible descriptions).
QString everythingShown(QWidget *root)
{
    QStringList texts;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : std::as_const(widgets)) {
        texts << w->toolTip() << w->accessibleDescription() << w->accessibleName();
        if (auto *l = qobject_cast<QLabel *>(w))
            texts << l->text();
        if (auto *e = qobject_cast<QLineEdit *>(w))
            texts << e->text();
    }
    return texts.join(QLatin1Char('\n'));
}

void typeInto(QLineEdit *edit, const QString &text)
{
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestEndpointForm : public QObject
{
    Q_OBJECT
private slots:
    void init();

    void pastedSecretIsRefusedAndCleared_data();
    void pastedSecretIsRefusedAndCleared();
    void aPastedPasswordMovesToThePasswordField_data();
    void aPastedPasswordMovesToThePasswordField();
    void unparsableStringThatMayHoldASecretIsNotEchoed();
    void pasteWithoutSecretsStillFills();
    void secretOptionIsNeverShown();
    void clearPasswordWipesTheFieldsBuffer();
    void settingTheSamePasswordAgainKeepsIt();

    void typingACaPathDoesNotLoadTheBundle();
    void specialFileTypedIntoTheCaFieldKeepsTheGuiResponsive_data();
    void specialFileTypedIntoTheCaFieldKeepsTheGuiResponsive();
    void caFieldSaysWhatLibpqDoesWithTheFile_data();
    void caFieldSaysWhatLibpqDoesWithTheFile();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestEndpointForm::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestEndpointForm::pastedSecretIsRefusedAndCleared_data()
{
    QTest::addColumn<QString>("conninfo");
    QTest::addColumn<QString>("keyword");
    const QString s = QLatin1String(kSecret);
    QTest::newRow("a key passphrase in a keyword string is refused")
        << QStringLiteral("host=db.example.com sslpassword=%1").arg(s)
        << QStringLiteral("sslpassword");
    QTest::newRow("a key passphrase in a URI query is refused")
        << QStringLiteral("postgresql://db.example.com/sales?sslpassword=%1").arg(s)
        << QStringLiteral("sslpassword");
    QTest::newRow("a percent-encoded key passphrase keyword in a URI is refused")
        << QStringLiteral("postgresql://db.example.com/sales?ssl%70assword=%1").arg(s)
        << QStringLiteral("sslpassword");
}

void TestEndpointForm::pastedSecretIsRefusedAndCleared()
{
    QFETCH(QString, conninfo);
    QFETCH(QString, keyword);
    EndpointForm form;
    form.show();
    auto *paste = child<QLineEdit>(&form, "conninfo");
    paste->setText(conninfo);
    const QString error = form.applyConninfo(paste->text());
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(keyword), qPrintable(error));
    QCOMPARE(paste->text(), QString());
    QVERIFY(!paste->isUndoAvailable());
    QCOMPARE(child<QLineEdit>(&form, "host")->text(), QString()); // nothing was filled
    QCOMPARE(child<QLineEdit>(&form, "conninfo")->property("state").toString(),
        QStringLiteral("invalid"));
    QVERIFY(!everythingShown(&form).contains(QLatin1String(kSecret)));
    QVERIFY(!form.endpoint().extraOptions.contains(keyword));
}

void TestEndpointForm::aPastedPasswordMovesToThePasswordField_data()
{
    QTest::addColumn<QString>("conninfo");
    const QString s = QLatin1String(kSecret);
    QTest::newRow("a password in a keyword string")
        << QStringLiteral("host=db.example.com password='%1' application_name='it\\'s \\\\ x'").arg(s);
    QTest::newRow("a percent-encoded password keyword in a URI")
        << QStringLiteral("postgresql://db.example.com/sales?pass%77ord=%1&application_name=it%27s%20%5C%20x").arg(s);
    QTest::newRow("a password in the URI's user info (a DATABASE_URL)")
        << QStringLiteral("postgresql://alice:%1@db.example.com/sales?application_name=it%27s%20%5C%20x").arg(s);
}

void TestEndpointForm::aPastedPasswordMovesToThePasswordField()
{
    QFETCH(QString, conninfo);
    EndpointForm form;
    form.show();
    auto *paste = child<QLineEdit>(&form, "conninfo");
    paste->setText(conninfo);
    QCOMPARE(form.applyConninfo(paste->text()), QString());
    QCOMPARE(form.password(), QLatin1String(kSecret));
    QCOMPARE(child<QLineEdit>(&form, "host")->text(), QStringLiteral("db.example.com"));
    QCOMPARE(paste->text(), QString());
    QVERIFY(!paste->isUndoAvailable());
    // The other options survive the split exactly, quotes and backslashes included.
    QCOMPARE(form.endpoint().extraOptions.value(QStringLiteral("application_name")), QStringLiteral("it's \\ x"));
    // Nowhere but in the (masked) password field.
    QCOMPARE(everythingShown(&form).count(QLatin1String(kSecret)), 1); // the password field's own text
    QCOMPARE(child<QLineEdit>(&form, "password")->echoMode(), QLineEdit::Password);
    QVERIFY(!form.endpoint().toConninfo().contains(QLatin1String(kSecret)));
    QVERIFY(!form.endpoint().extraOptions.contains(QStringLiteral("password")));
    QVERIFY2(child<QLabel>(&form, "conninfoHint")->text().contains(QLatin1String("now in the Password field")),
             qPrintable(child<QLabel>(&form, "conninfoHint")->text()));
}

void TestEndpointForm::unparsableStringThatMayHoldASecretIsNotEchoed()
{
    EndpointForm form;
    // libpq's message for a bad percent-escape quotes the value: it must not reach the screen.
    const QString conninfo = QStringLiteral("postgresql://db.example.com/sales?sslpassword=%1%zz")
                                 .arg(QLatin1String(kSecret));
    const QString error = form.applyConninfo(conninfo);
    QVERIFY(!error.isEmpty());
    QCOMPARE(child<QLineEdit>(&form, "conninfo")->text(), QString());
    QVERIFY(!everythingShown(&form).contains(QLatin1String(kSecret)));
}

void TestEndpointForm::pasteWithoutSecretsStillFills()
{
    EndpointForm form;
    const QString error = form.applyConninfo(
        QStringLiteral("postgresql://alice@db.example.com:6543/sales?application_name=probe"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(child<QLineEdit>(&form, "host")->text(), QStringLiteral("db.example.com"));
    QCOMPARE(child<QLineEdit>(&form, "user")->text(), QStringLiteral("alice"));
    QVERIFY(child<QLabel>(&form, "extraParameters")
                ->text()
                .contains(QLatin1String("application_name=probe")));
}

void TestEndpointForm::secretOptionIsNeverShown()
{
    EndpointForm form;
    form.show();
    Endpoint ep;
    ep.host = QStringLiteral("db.example.com");
    ep.sslkey = QStringLiteral("/home/alice/.postgresql/postgresql.key");
    ep.extraOptions.insert(QStringLiteral("sslpassword"), QLatin1String(kSecret));
    ep.extraOptions.insert(QStringLiteral("application_name"), QStringLiteral("probe"));
    form.setEndpoint(ep);
    const QString extra = child<QLabel>(&form, "extraParameters")->text();
    QVERIFY2(extra.contains(QLatin1String("sslpassword")), qPrintable(extra)); // it is there...
    QVERIFY2(extra.contains(QLatin1String("application_name=probe")), qPrintable(extra));
    QVERIFY(!everythingShown(&form).contains(QLatin1String(kSecret))); // ...its value is not
    // libpq still gets it.
    QCOMPARE(
        form.endpoint().extraOptions.value(QStringLiteral("sslpassword")), QLatin1String(kSecret));
}

void TestEndpointForm::clearPasswordWipesTheFieldsBuffer()
{
    EndpointForm form;
    form.setPassword(QString::fromLatin1(kSecret)); // a buffer of the form's own
    // A reference that shares the field's buffer, as the field's own text does.
    const QString shared = child<QLineEdit>(&form, "password")->text();
    QCOMPARE(shared, QLatin1String(kSecret));
    const QChar *chars = shared.constData();
    const qsizetype n = shared.size();
    form.clearPassword();
    QCOMPARE(form.password(), QString());
    // The buffer the field held was overwritten, not just released.
    QVERIFY(std::all_of(chars, chars + n, [](QChar c) { return c.isNull(); }));
}

void TestEndpointForm::settingTheSamePasswordAgainKeepsIt()
{
    EndpointForm form;
    form.setPassword(QString::fromLatin1(kSecret));
    // The field's own text handed back (it shares the field's buffer): not wiped by the swap.
    const QString same = form.password();
    form.setPassword(same);
    QCOMPARE(form.password(), QLatin1String(kSecret));
    QCOMPARE(same, QLatin1String(kSecret));
}

void TestEndpointForm::typingACaPathDoesNotLoadTheBundle()
{
    const test::TestCert ca = test::makeCert(QStringLiteral("Typing Test CA"), nullptr, true);
    const QString path = m_dir->filePath(QStringLiteral("ca.pem"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(ca.cert.pem);
    f.close();

    EndpointForm form;
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    auto *field = child<QLineEdit>(&form, "sslrootcert");
    auto *summary = child<QLabel>(&form, "bundleSummary");
    QVERIFY(summary);
    const QString before = summary->text();
    typeInto(field, path);
    // Only a stat-level look once the keys settle: the field says the file exists...
    QTRY_COMPARE(field->property("state").toString(), QStringLiteral("valid"));
    // ...but the bundle was not read.
    QCOMPARE(summary->text(), before);
    QVERIFY(!summary->text().contains(QLatin1String("1 certificate")));
    // Leaving the field reads it.
    child<QLineEdit>(&form, "host")->setFocus();
    QTRY_VERIFY2(
        summary->text().contains(QLatin1String("1 certificate")), qPrintable(summary->text()));
    QCOMPARE(field->property("state").toString(), QStringLiteral("valid"));
}

void TestEndpointForm::specialFileTypedIntoTheCaFieldKeepsTheGuiResponsive_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("a FIFO typed in is named, not opened") << QStringLiteral("fifo");
    QTest::newRow("/dev/zero typed in is named, not read") << QStringLiteral("device");
}

void TestEndpointForm::specialFileTypedIntoTheCaFieldKeepsTheGuiResponsive()
{
    QFETCH(QString, kind);
    QString path = QStringLiteral("/dev/zero");
    if (kind == QLatin1String("fifo")) {
        path = m_dir->filePath(QStringLiteral("ca.fifo"));
        QCOMPARE(mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    }
    EndpointForm form;
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    auto *field = child<QLineEdit>(&form, "sslrootcert");
    auto *hint = child<QLabel>(&form, "sslrootcertHint");

    // A timer armed before typing must fire: the event loop never blocks (a blocking open of the
    // FIFO would stop it for ever; the bounds are generous for a loaded CI machine).
    QElapsedTimer clock;
    clock.start();
    qint64 firedAt = -1;
    QTimer beat;
    beat.setSingleShot(true);
    connect(&beat, &QTimer::timeout, &form, [&] { firedAt = clock.elapsed(); });
    beat.start(700);
    typeInto(field, path);
    // Once the keys settle (the field starts invalid too: libpq's default file is missing).
    QTRY_VERIFY2_WITH_TIMEOUT(
        hint->text().contains(QLatin1String("Not a regular file")), qPrintable(hint->text()), 10000);
    QCOMPARE(field->property("state").toString(), QStringLiteral("invalid"));
    // Editing finished: the path is committed (contents check, bundle panel), still no block.
    child<QLineEdit>(&form, "host")->setFocus();
    QTRY_VERIFY_WITH_TIMEOUT(firedAt >= 0, 10000);
    QVERIFY2(firedAt < 10000, qPrintable(QString::number(firedAt)));
    QCOMPARE(field->property("state").toString(), QStringLiteral("invalid"));
    QVERIFY2(hint->text().contains(QLatin1String("Not a regular file")), qPrintable(hint->text()));
    auto *summary = child<QLabel>(&form, "bundleSummary");
    QCOMPARE(summary->property("state").toString(), QStringLiteral("invalid"));
    QVERIFY(clock.elapsed() < 15000);
}

void TestEndpointForm::caFieldSaysWhatLibpqDoesWithTheFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("says");
    QTest::newRow("a named missing file under prefer is a warning: nothing is verified")
        << QStringLiteral("missing") << QStringLiteral("prefer") << QStringLiteral("neutral")
        << QStringLiteral("Warning: the CA file you named does not exist, so nothing is verified");
    QTest::newRow("a named missing file under require is a warning: nothing is verified")
        << QStringLiteral("missing") << QStringLiteral("require") << QStringLiteral("neutral")
        << QStringLiteral("with sslmode=require libpq connects without checking any certificate");
    QTest::newRow("a named missing file under verify-full is an error: libpq fails")
        << QStringLiteral("missing") << QStringLiteral("verify-full") << QStringLiteral("invalid")
        << QStringLiteral("Error: the CA file you named does not exist, so verify-full will fail");
    QTest::newRow("a file without a certificate under prefer: libpq fails to load it and retries "
                  "without TLS")
        << QStringLiteral("not-a-cert") << QStringLiteral("prefer") << QStringLiteral("invalid")
        << QStringLiteral("libpq then retries without TLS");
    QTest::newRow("a directory under require: libpq fails to load it, the connection fails")
        << QStringLiteral("directory") << QStringLiteral("require") << QStringLiteral("invalid")
        << QStringLiteral("With require the connection fails");
}

void TestEndpointForm::caFieldSaysWhatLibpqDoesWithTheFile()
{
    QFETCH(QString, file);
    QFETCH(QString, mode);
    QFETCH(QString, state);
    QFETCH(QString, says);
    QString path = m_dir->filePath(QStringLiteral("global-bundel.pem"));
    if (file == QLatin1String("not-a-cert")) {
        path = m_dir->filePath(QStringLiteral("README.pem"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a README, not a certificate\n");
    } else if (file == QLatin1String("directory")) {
        path = m_dir->filePath(QStringLiteral("bundle.d"));
        QVERIFY(QDir().mkpath(path));
    }
    EndpointForm form;
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    Endpoint ep;
    ep.host = QStringLiteral("mydb.c9akciq32.eu-west-1.rds.amazonaws.com");
    ep.sslmode = *parseSslMode(mode);
    ep.sslrootcert = path;
    form.setEndpoint(ep);
    // The form never refuses what libpq would run: the inspection starts, and reports libpq's outcome.
    QCOMPARE(form.validate(false), QString());
    auto *field = child<QLineEdit>(&form, "sslrootcert");
    auto *hint = child<QLabel>(&form, "sslrootcertHint");
    QTRY_COMPARE(field->property("state").toString(), state);
    QVERIFY2(hint->text().contains(says), qPrintable(hint->text()));
    QCOMPARE(form.endpoint().sslrootcert, path);
}

int main(int argc, char **argv)
{
    // libpq's home in a throwaway directory; no PG* variables from the caller.
    QTemporaryDir home;
    qputenv("HOME", QFile::encodeName(home.path()));
    for (const char *v :
        { "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE", "PGSSLROOTCERT",
            "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGCONNECT_TIMEOUT", "PGREQUIRESSL" })
        qunsetenv(v);
    QApplication app(argc, argv);
    TestEndpointForm test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestEndpointForm.moc"
