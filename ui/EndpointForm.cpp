// SPDX-License-Identifier: MIT
#include "EndpointForm.h"

#include "BundlePanel.h"
#include "FieldState.h"
#include "PlainText.h"
#include "RootCert.h"
#include "SafeFile.h"
#include "SecretKeywords.h"
#include "SecretMemory.h"


#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

namespace pgtls::ui {

namespace {

// The combo box line and the hint line for each sslmode: what it protects against.
struct ModeText
{
    SslMode mode;
    const char *item;
    const char *hint;
};

const ModeText kModeTexts[] = {
    { SslMode::Disable, QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm", "disable: no TLS at all"),
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm",
            "Protects against nothing: never encrypts; anyone on the path can read and change the "
            "traffic.") },
    { SslMode::Allow, QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm", "allow: plaintext first"),
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm",
            "Protects against nothing: tries plaintext first and uses TLS only when the server "
            "insists; the certificate is not checked.") },
    { SslMode::Prefer,
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm", "prefer: TLS if offered, unchecked"),
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm",
            "Only against passive eavesdropping: an attacker can refuse TLS (plaintext follows) or "
            "present any certificate. libpq's default.") },
    { SslMode::Require,
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm", "require: encrypted, unverified"),
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm",
            "Against passive eavesdropping; a man in the middle can present any certificate. (When "
            "the CA file exists libpq verifies the CA, as verify-ca does.)") },
    { SslMode::VerifyCa,
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm", "verify-ca: encrypted, CA checked"),
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm",
            "Against eavesdropping and servers without a certificate from your CA; any server "
            "holding "
            "one from that CA passes, whatever its name.") },
    { SslMode::VerifyFull,
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm", "verify-full: CA and host name checked"),
        QT_TRANSLATE_NOOP("pgtls::ui::EndpointForm",
            "Against eavesdropping and impersonation: the chain must lead to your CA and the "
            "certificate must name the host. Recommended.") },
};

QString modeItemText(SslMode mode)
{
    for (const ModeText &t : kModeTexts) {
        if (t.mode == mode)
            return EndpointForm::tr(t.item);
    }
    return sslModeName(mode);
}

QString modeHintText(SslMode mode)
{
    for (const ModeText &t : kModeTexts) {
        if (t.mode == mode)
            return EndpointForm::tr(t.hint);
    }
    return {};
}

// A field and its hint line, stacked, as one form row.
QWidget *stacked(QWidget *field, QLabel *hint)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(field);
    v->addWidget(hint);
    return box;
}

QWidget *stacked(QLayout *fieldRow, QLabel *hint)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addLayout(fieldRow);
    v->addWidget(hint);
    return box;
}

QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text);
    label->setTextFormat(Qt::PlainText);
    label->setBuddy(buddy);
    return label;
}

// How long the CA field waits after the last keystroke before it looks at the typed path.
constexpr int kRootCertSettleMs = 300;

// A string libpq cannot parse may still hold a secret, and libpq's message may quote it: then
// neither is shown. Beyond what the resolver redacts, any percent-escape counts here (anything may
// be behind it).
bool mayHoldSecret(const QString &conninfo)
{
    return EndpointResolver::parseErrorMayQuoteSecret(conninfo) || conninfo.contains(QLatin1Char('%'))
        || (conninfo.startsWith(QLatin1String("postgres")) && conninfo.contains(QLatin1Char('@')));
}

} // namespace

EndpointForm::EndpointForm(QWidget *parent)
    : QWidget(parent)
{
    buildUi();
    fillFromEnvironment();
    updateHostState();
    updateHostaddrState();
    updateSslModeHint();
    commitRootCert();
    updateExtraLine();
    showFieldState(m_password, m_passwordHint, FieldState::Neutral,
        tr("Optional. Empty: libpq's own sources (PGPASSWORD, ~/.pgpass, passfile). Kept only in the keychain, and only when the profile says so."));
}

EndpointForm::~EndpointForm()
{
    clearPassword();
}

void EndpointForm::buildUi()
{
    setObjectName(QStringLiteral("endpointForm"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);

    auto newForm = [](QGroupBox *group) {
        auto *form = new QFormLayout(group);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setRowWrapPolicy(QFormLayout::DontWrapRows);
        form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
        return form;
    };

    // --- Server ---
    auto *server = new QGroupBox(tr("Server"), this);
    server->setObjectName(QStringLiteral("serverGroup"));
    auto *serverForm = newForm(server);

    m_conninfo = new QLineEdit;
    m_conninfo->setObjectName(QStringLiteral("conninfo"));
    m_conninfo->setPlaceholderText(tr("host=… sslmode=… or postgresql://…"));
    m_conninfo->setAccessibleName(tr("Connection string or URI to fill the form from"));
    m_conninfo->setClearButtonEnabled(true);
    m_fill = new QPushButton(tr("Fill"));
    m_fill->setObjectName(QStringLiteral("fillFromConninfo"));
    m_fill->setAccessibleName(tr("Fill the form from the connection string"));
    m_fill->setToolTip(tr("Fill the fields below from the connection string (Return)"));
    m_fill->setAutoDefault(false);
    auto *pasteRow = new QHBoxLayout;
    pasteRow->setContentsMargins(0, 0, 0, 0);
    pasteRow->addWidget(m_conninfo, 1);
    pasteRow->addWidget(m_fill);
    m_conninfoHint = makeHintLabel(QStringLiteral("conninfoHint"), tr("Connection string state"));
    serverForm->addRow(buddyLabel(tr("&Paste:"), m_conninfo), stacked(pasteRow, m_conninfoHint));

    m_host = new QLineEdit;
    m_host->setObjectName(QStringLiteral("host"));
    m_host->setAccessibleName(tr("Host name"));
    m_host->setPlaceholderText(tr("mydb.xxxx.eu-west-1.rds.amazonaws.com"));
    m_hostHint = makeHintLabel(QStringLiteral("hostHint"), tr("Host name state"));
    serverForm->addRow(buddyLabel(tr("&Host:"), m_host), stacked(m_host, m_hostHint));

    m_hostaddr = new QLineEdit;
    m_hostaddr->setObjectName(QStringLiteral("hostaddr"));
    m_hostaddr->setAccessibleName(tr("Host address (optional)"));
    m_hostaddr->setPlaceholderText(tr("optional, e.g. 10.0.3.17"));
    m_hostaddrHint = makeHintLabel(QStringLiteral("hostaddrHint"), tr("Host address state"));
    serverForm->addRow(
        buddyLabel(tr("Host &address:"), m_hostaddr), stacked(m_hostaddr, m_hostaddrHint));

    m_port = new QSpinBox;
    m_port->setObjectName(QStringLiteral("port"));
    m_port->setAccessibleName(tr("Port"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_port->setGroupSeparatorShown(false);
    m_port->setMaximumWidth(m_port->sizeHint().width() + 24);
    serverForm->addRow(buddyLabel(tr("P&ort:"), m_port), m_port);

    m_dbname = new QLineEdit;
    m_dbname->setObjectName(QStringLiteral("dbname"));
    m_dbname->setAccessibleName(tr("Database"));
    m_dbname->setPlaceholderText(tr("default: the user name"));
    serverForm->addRow(buddyLabel(tr("&Database:"), m_dbname), m_dbname);

    m_user = new QLineEdit;
    m_user->setObjectName(QStringLiteral("user"));
    m_user->setAccessibleName(tr("User"));
    m_user->setPlaceholderText(tr("default: %1").arg(EndpointResolver::currentOsUser()));
    serverForm->addRow(buddyLabel(tr("&User:"), m_user), m_user);
    outer->addWidget(server);

    // --- TLS ---
    auto *tls = new QGroupBox(tr("TLS"), this);
    tls->setObjectName(QStringLiteral("tlsGroup"));
    auto *tlsForm = newForm(tls);
    m_sslmode = new QComboBox;
    m_sslmode->setObjectName(QStringLiteral("sslmode"));
    m_sslmode->setAccessibleName(tr("sslmode"));
    for (SslMode mode : allSslModes()) {
        m_sslmode->addItem(modeItemText(mode), sslModeName(mode));
        m_sslmode->setItemData(m_sslmode->count() - 1, modeHintText(mode), Qt::ToolTipRole);
    }
    m_sslmode->setCurrentIndex(m_sslmode->findData(sslModeName(SslMode::VerifyFull)));
    m_sslmodeHint
        = makeHintLabel(QStringLiteral("sslmodeHint"), tr("What this sslmode protects against"));
    tlsForm->addRow(buddyLabel(tr("ssl&mode:"), m_sslmode), stacked(m_sslmode, m_sslmodeHint));

    m_rootCert = new QLineEdit;
    m_rootCert->setObjectName(QStringLiteral("sslrootcert"));
    m_rootCert->setAccessibleName(tr("CA bundle file (sslrootcert)"));
    m_rootCert->setPlaceholderText(tr("default: ~/.postgresql/root.crt"));
    m_rootCert->setClearButtonEnabled(true);
    m_browse = new QPushButton(tr("B&rowse…"));
    m_browse->setObjectName(QStringLiteral("browseRootCert"));
    m_browse->setAccessibleName(tr("Choose the CA bundle file"));
    m_browse->setAutoDefault(false);
    auto *certRow = new QHBoxLayout;
    certRow->setContentsMargins(0, 0, 0, 0);
    certRow->addWidget(m_rootCert, 1);
    certRow->addWidget(m_browse);
    m_rootCertHint = makeHintLabel(QStringLiteral("sslrootcertHint"), tr("CA bundle state"));
    tlsForm->addRow(buddyLabel(tr("&CA bundle:"), m_rootCert), stacked(certRow, m_rootCertHint));
    m_bundlePanel = new BundlePanel;
    m_bundlePanel->setAccessibleName(tr("What the CA bundle holds, and how to get one"));
    tlsForm->addRow(m_bundlePanel);
    outer->addWidget(tls);

    // --- Login ---
    auto *login = new QGroupBox(tr("Login"), this);
    login->setObjectName(QStringLiteral("loginGroup"));
    auto *loginForm = newForm(login);
    m_password = new QLineEdit;
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setAccessibleName(tr("Password (optional; kept only in the keychain)"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("optional"));
    m_passwordHint = makeHintLabel(QStringLiteral("passwordHint"), tr("Password state"));
    loginForm->addRow(
        buddyLabel(tr("Pass&word:"), m_password), stacked(m_password, m_passwordHint));
    outer->addWidget(login);

    // --- Inspection ---
    auto *inspection = new QGroupBox(tr("Inspection"), this);
    inspection->setObjectName(QStringLiteral("inspectionGroup"));
    auto *inspectionForm = newForm(inspection);
    m_timeout = new QSpinBox;
    m_timeout->setObjectName(QStringLiteral("timeout"));
    m_timeout->setAccessibleName(tr("Timeout in seconds"));
    m_timeout->setRange(1, 600);
    m_timeout->setValue(10);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("Bound for the whole inspection; every attempt runs in parallel"));
    m_timeout->setMaximumWidth(m_timeout->sizeHint().width() + 24);
    inspectionForm->addRow(buddyLabel(tr("&Timeout:"), m_timeout), m_timeout);
    m_matrix = new QCheckBox(tr("Compare all si&x sslmodes"));
    m_matrix->setObjectName(QStringLiteral("compareAllModes"));
    m_matrix->setAccessibleName(tr("Compare all six sslmodes"));
    m_matrix->setToolTip(
        tr("Also connect once in each sslmode, concurrently, and show what each protects against"));
    inspectionForm->addRow(QString(), m_matrix);
    m_extra = makeHintLabel(QStringLiteral("extraParameters"), tr("Further libpq parameters"));
    inspectionForm->addRow(m_extra);
    outer->addWidget(inspection);
    outer->addStretch(1);

    // One label column for all groups, so the fields line up from group to group.
    int labelWidth = 0;
    const auto labels = findChildren<QLabel *>();
    for (const QLabel *l : labels) {
        if (l->buddy())
            labelWidth = qMax(labelWidth, l->sizeHint().width());
    }
    for (QLabel *l : labels) {
        if (l->buddy())
            l->setMinimumWidth(labelWidth);
    }

    setTabOrder(m_conninfo, m_fill);
    setTabOrder(m_fill, m_host);
    setTabOrder(m_host, m_hostaddr);
    setTabOrder(m_hostaddr, m_port);
    setTabOrder(m_port, m_dbname);
    setTabOrder(m_dbname, m_user);
    setTabOrder(m_user, m_sslmode);
    setTabOrder(m_sslmode, m_rootCert);
    setTabOrder(m_rootCert, m_browse);
    setTabOrder(m_browse, m_password);
    // The CA bundle panel's controls between Browse and the password.
    QWidget *beforePanel = m_browse;
    for (QWidget *w : m_bundlePanel->focusChain()) {
        setTabOrder(beforePanel, w);
        beforePanel = w;
    }
    setTabOrder(beforePanel, m_password);
    setTabOrder(m_password, m_timeout);
    setTabOrder(m_timeout, m_matrix);

    // Return: fill from the conninfo field, else inspect.
    connect(
        m_conninfo, &QLineEdit::returnPressed, this, [this] { applyConninfo(m_conninfo->text()); });
    connect(m_fill, &QPushButton::clicked, this, [this] { applyConninfo(m_conninfo->text()); });
    connect(m_conninfo, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (text.isEmpty())
            setConninfoState(QString(), false);
    });
    for (QLineEdit *e : { m_host, m_hostaddr, m_dbname, m_user, m_rootCert, m_password })
        connect(e, &QLineEdit::returnPressed, this, &EndpointForm::submitted);

    connect(m_host, &QLineEdit::textChanged, this, &EndpointForm::updateHostState);
    connect(m_hostaddr, &QLineEdit::textChanged, this, &EndpointForm::updateHostaddrState);
    connect(m_sslmode, &QComboBox::currentIndexChanged, this, [this] {
        updateSslModeHint();
        updateRootCertState(!m_rootCertSettle->isActive());
    });
    // Typing never opens or reads the typed path: once the keys settle, a stat-level look
    // (SafeFile::check(), which a FIFO cannot block); the file is read, and the bundle loaded, only
    // when editing is finished (Return, focus leaves) or a file is chosen.
    m_rootCertSettle = new QTimer(this);
    m_rootCertSettle->setObjectName(QStringLiteral("sslrootcertSettle"));
    m_rootCertSettle->setSingleShot(true);
    m_rootCertSettle->setInterval(kRootCertSettleMs);
    connect(m_rootCertSettle, &QTimer::timeout, this, [this] { updateRootCertState(false); });
    // textEdited (the user) comes before textChanged; a change from code (a paste, a chosen file,
    // a profile) has no textEdited and is committed at once.
    connect(m_rootCert, &QLineEdit::textEdited, this, [this] {
        m_rootCertTyping = true;
        m_rootCertSettle->start();
    });
    connect(m_rootCert, &QLineEdit::textChanged, this, [this] {
        if (!std::exchange(m_rootCertTyping, false))
            commitRootCert();
    });
    connect(m_rootCert, &QLineEdit::editingFinished, this, &EndpointForm::commitRootCert);
    connect(m_host, &QLineEdit::textChanged, m_bundlePanel, &BundlePanel::setEndpointHost);
    connect(m_bundlePanel, &BundlePanel::bundleChosen, this, [this](const QString &path) {
        m_rootCert->setText(path);
        emit edited();
    });
    connect(m_browse, &QPushButton::clicked, this, &EndpointForm::browseRootCert);
    connect(m_password, &QLineEdit::textEdited, this, [this] {
        showFieldState(m_password, m_passwordHint, FieldState::Neutral,
            tr("Optional. Empty: libpq's own sources (PGPASSWORD, ~/.pgpass, passfile). Never "
               "saved."));
    });

    for (QLineEdit *e : { m_host, m_hostaddr, m_dbname, m_user, m_rootCert, m_password })
        connect(e, &QLineEdit::textEdited, this, &EndpointForm::edited);
    connect(m_port, &QSpinBox::valueChanged, this, &EndpointForm::edited);
    connect(m_timeout, &QSpinBox::valueChanged, this, &EndpointForm::edited);
    connect(m_sslmode, &QComboBox::currentIndexChanged, this, &EndpointForm::edited);
    connect(m_matrix, &QCheckBox::toggled, this, &EndpointForm::edited);
}

void EndpointForm::fillFromEnvironment()
{
    EndpointInput in;
    in.environment = EndpointResolver::processEnvironment();
    in.osUserName = EndpointResolver::currentOsUser();
    const EndpointResult r = EndpointResolver::resolve(in);
    if (!r.ok()) {
        setConninfoState(tr("PG* environment ignored: %1").arg(r.error), true);
        return;
    }
    Endpoint ep = r.endpoint;
    // Only what the environment (or a service file) gave; the rest stays empty, showing its
    // default.
    auto given = [&ep](const char *key) {
        const QString from = ep.sources.value(QString::fromLatin1(key));
        return from == QLatin1String("environment") || from == QLatin1String("service");
    };
    if (!given("host"))
        ep.host.clear();
    if (!given("hostaddr"))
        ep.hostaddr.clear();
    if (!given("user"))
        ep.user.clear();
    if (!given("dbname"))
        ep.dbname.clear();
    setEndpoint(ep);
    if (in.environment.isEmpty())
        setConninfoState(QString(), false);
    else
        setConninfoState(tr("Pre-filled from the PG* environment."), false);
}

Endpoint EndpointForm::endpoint() const
{
    Endpoint ep = m_base;
    ep.host = m_host->text().trimmed();
    ep.hostaddr = m_hostaddr->text().trimmed();
    ep.port = m_port->value();
    ep.user = m_user->text().trimmed();
    if (ep.user.isEmpty())
        ep.user = EndpointResolver::currentOsUser();
    ep.dbname = m_dbname->text().trimmed();
    if (ep.dbname.isEmpty())
        ep.dbname = ep.user; // libpq's default
    ep.sslmode = parseSslMode(m_sslmode->currentData().toString()).value_or(SslMode::VerifyFull);
    ep.sslrootcert = m_rootCert->text().trimmed();
    ep.connectTimeoutSeconds = m_timeout->value();
    ep.sources.clear();
    for (const char *key : { "host", "hostaddr", "port", "dbname", "user", "sslmode", "sslrootcert",
             "connect_timeout" })
        ep.sources.insert(QString::fromLatin1(key), QStringLiteral("form"));
    return ep;
}

void EndpointForm::setEndpoint(const Endpoint &endpoint)
{
    m_base = endpoint;
    m_host->setText(endpoint.host);
    m_host->setCursorPosition(0); // the start of a long name says more than its end
    m_hostaddr->setText(endpoint.hostaddr);
    m_port->setValue(endpoint.port);
    m_dbname->setText(endpoint.dbname);
    m_user->setText(endpoint.user);
    m_sslmode->setCurrentIndex(m_sslmode->findData(sslModeName(endpoint.sslmode)));
    m_rootCert->setText(endpoint.sslrootcert);
    commitRootCert();
    m_timeout->setValue(qBound(1, endpoint.connectTimeoutSeconds, 600));
    updateExtraLine();
}

QString EndpointForm::password() const
{
    return m_password->text();
}

void EndpointForm::clearPassword()
{
    // text() shares the line edit's own buffer: overwritten in place, then replaced by setText(),
    // which also drops the undo history (clear() would record the removed text in it).
    QString current = m_password->text();
    wipeShared(current);
    m_password->setText(QString());
}

void EndpointForm::setPassword(const QString &password)
{
    // The same text (perhaps the very buffer the field holds): nothing to replace, nothing wiped.
    if (password == m_password->text())
        return;
    clearPassword();
    m_password->setText(password);
}

void EndpointForm::requestPassword(const QString &hint)
{
    showFieldState(m_password, m_passwordHint, FieldState::Invalid, hint);
    m_password->setFocus(Qt::OtherFocusReason);
    m_password->selectAll();
}

int EndpointForm::timeoutSeconds() const
{
    return m_timeout->value();
}

bool EndpointForm::compareAllModes() const
{
    return m_matrix->isChecked();
}

void EndpointForm::setCompareAllModes(bool on)
{
    m_matrix->setChecked(on);
}

void EndpointForm::resetToEnvironment()
{
    setEndpoint(Endpoint());
    m_matrix->setChecked(false);
    clearPassword();
    fillFromEnvironment();
}

QString EndpointForm::validate(bool focus)
{
    m_validated = true;
    commitRootCert(); // a path still being typed is what will be inspected
    updateHostState();
    updateHostaddrState();
    QString message;
    QWidget *first = nullptr;
    if (m_host->text().trimmed().isEmpty()) {
        message = tr("Enter the server's host name: the name its certificate must carry.");
        first = m_host;
    } else if (m_host->property("state").toString() == QLatin1String("invalid")) {
        message = m_hostHint->text();
        first = m_host;
    } else if (m_hostaddr->property("state").toString() == QLatin1String("invalid")) {
        message = m_hostaddrHint->text();
        first = m_hostaddr;
    }
    if (first && focus)
        first->setFocus(Qt::OtherFocusReason);
    return message;
}

QString EndpointForm::applyConninfo(const QString &conninfo)
{
    QString text = conninfo.trimmed();
    if (text.isEmpty()) {
        setConninfoState(tr("Paste a connection string or a postgresql:// URI first."), true);
        return m_conninfoHint->text();
    }
    // A password in the string (a pasted DATABASE_URL): moved into the Password field (memory only;
    // the keychain only if the profile says so), and the string goes on without it.
    bool movedPassword = false;
    if (std::optional<EndpointResolver::SeparatedPassword> separated
        = EndpointResolver::separatePassword(text)) {
        setPassword(separated->password);
        wipe(separated->password);
        wipe(text);
        text = separated->conninfo;
        movedPassword = true;
    }
    // Any other secret (sslpassword: whatever libpq counts as one) is refused, as libpq parses
    // it, and the string cleared; setText also drops the undo history.
    const std::optional<QString> secret = EndpointResolver::secretKeywordIn(text);
    if ((secret && !secret->isEmpty()) || (!secret && mayHoldSecret(text))) {
        m_conninfo->setText(QString());
        const QString error = secret
            ? tr("The connection string holds a secret (%1): secrets are refused here, and the "
                 "string was cleared. Type the password into the Password field (kept only in the "
                 "keychain), or use ~/.pgpass.")
                  .arg(*secret)
            : tr("The connection string cannot be parsed and may hold a secret: it was cleared "
                 "and is not shown. Check its quoting and percent-encoding.");
        setConninfoState(error, true);
        m_conninfo->setFocus(Qt::OtherFocusReason);
        return error;
    }
    EndpointInput in;
    in.conninfo = text;
    in.osUserName = EndpointResolver::currentOsUser();
    // No environment: the paste fills what it names, the fields keep the rest.
    const EndpointResult r = EndpointResolver::resolve(in);
    if (!r.ok()) {
        // Never keep a refused string around: it may hold a password (setText also drops the undo
        // history).
        m_conninfo->setText(QString());
        setConninfoState(r.error, true);
        m_conninfo->setFocus(Qt::OtherFocusReason);
        return r.error;
    }
    // Every field from the string, as a new connection would have it: what the string does not
    // name goes back to its default (a host address left from another profile would send the
    // connection elsewhere). Said field by field.
    const Endpoint &ep = r.endpoint;
    QStringList set, cleared;
    auto note = [&set, &cleared](const QString &label, const QString &before, const QString &after) {
        if (before == after)
            return;
        (after.isEmpty() ? cleared : set) << label;
    };
    note(tr("host"), m_host->text(), ep.host);
    m_host->setText(ep.host);
    m_host->setCursorPosition(0);
    note(tr("host address"), m_hostaddr->text(), ep.hostaddr);
    m_hostaddr->setText(ep.hostaddr);
    note(tr("port"), QString::number(m_port->value()), QString::number(ep.port));
    m_port->setValue(ep.port);
    note(tr("database"), m_dbname->text(), ep.dbname);
    m_dbname->setText(ep.dbname);
    note(tr("user"), m_user->text(), ep.user);
    m_user->setText(ep.user);
    note(tr("sslmode"), m_sslmode->currentData().toString(), sslModeName(ep.sslmode));
    m_sslmode->setCurrentIndex(m_sslmode->findData(sslModeName(ep.sslmode)));
    note(tr("CA bundle"), m_rootCert->text(), ep.sslrootcert);
    m_rootCert->setText(ep.sslrootcert);
    commitRootCert();
    const int timeout = ep.connectTimeoutSeconds > 0 ? qBound(1, ep.connectTimeoutSeconds, 600) : m_timeout->value();
    note(tr("timeout"), QString::number(m_timeout->value()), QString::number(timeout));
    m_timeout->setValue(timeout);
    note(tr("client certificate"), m_base.sslcert, ep.sslcert);
    note(tr("client key"), m_base.sslkey, ep.sslkey);
    note(tr("passfile"), m_base.passfile, ep.passfile);
    if (m_base.extraOptions != ep.extraOptions)
        (ep.extraOptions.isEmpty() ? cleared : set) << tr("other options");
    m_base.sslcert = ep.sslcert;
    m_base.sslkey = ep.sslkey;
    m_base.passfile = ep.passfile;
    m_base.extraOptions = ep.extraOptions;
    updateExtraLine();
    // setText, not clear(): clear() keeps the pasted string (a password, perhaps) in the undo history.
    m_conninfo->setText(QString());
    QString message = tr("Filled from the connection string.");
    if (!set.isEmpty())
        message += QLatin1Char(' ') + tr("Set: %1.").arg(set.join(QStringLiteral(", ")));
    if (!cleared.isEmpty())
        message += QLatin1Char(' ')
            + tr("Cleared (not in the string): %1.").arg(cleared.join(QStringLiteral(", ")));
    if (set.isEmpty() && cleared.isEmpty())
        message += QLatin1Char(' ') + tr("Nothing changed.");
    if (movedPassword)
        message += QLatin1Char(' ')
            + tr("The password it held is now in the Password field (kept in memory; in the "
                 "keychain only if the profile remembers it) and was removed from the string.");
    if (!r.warnings.isEmpty())
        message += QLatin1Char(' ') + r.warnings.join(QLatin1Char(' '));
    setConninfoState(message, false);
    emit edited();
    return {};
}

void EndpointForm::setConninfoState(const QString &message, bool error)
{
    if (message.isEmpty()) {
        showFieldState(m_conninfo, m_conninfoHint, FieldState::Neutral,
            tr("Return fills the fields below; a password moves to the Password field."));
        return;
    }
    showFieldState(
        m_conninfo, m_conninfoHint, error ? FieldState::Invalid : FieldState::Valid, message);
}

void EndpointForm::updateHostState()
{
    const QString host = m_host->text().trimmed();
    if (host.isEmpty()) {
        showFieldState(m_host, m_hostHint, m_validated ? FieldState::Invalid : FieldState::Neutral,
            tr("Required: the name the certificate must carry (also sent as SNI)."));
    } else if (host.contains(QLatin1Char(' ')) || host.contains(QLatin1Char(','))) {
        showFieldState(m_host, m_hostHint, FieldState::Invalid,
            tr("One host name, without spaces or commas."));
    } else if (host.startsWith(QLatin1Char('/'))) {
        showFieldState(m_host, m_hostHint, FieldState::Invalid,
            tr("A Unix-domain socket directory: TLS is never used there."));
    } else {
        const bool isAddress = !QHostAddress(host).isNull();
        showFieldState(m_host, m_hostHint, FieldState::Valid,
            isAddress ? tr(
                "An IP address: it must appear as an IP entry in the certificate; no SNI is sent.")
                      : tr("Checked against the certificate and sent as SNI."));
    }
}

void EndpointForm::updateHostaddrState()
{
    const QString addr = m_hostaddr->text().trimmed();
    if (addr.isEmpty()) {
        showFieldState(m_hostaddr, m_hostaddrHint, FieldState::Neutral,
            tr("Optional. Connect here, but check the certificate against the host name."));
    } else if (QHostAddress(addr).isNull()) {
        showFieldState(m_hostaddr, m_hostaddrHint, FieldState::Invalid,
            tr("\"%1\" is not a numeric IP address (hostaddr takes no names).").arg(addr));
    } else {
        showFieldState(m_hostaddr, m_hostaddrHint, FieldState::Valid,
            tr("Connect to %1, but check the certificate against the host name.").arg(addr));
    }
}

void EndpointForm::updateSslModeHint()
{
    const SslMode mode
        = parseSslMode(m_sslmode->currentData().toString()).value_or(SslMode::VerifyFull);
    const bool safe = mode == SslMode::VerifyFull;
    showFieldState(m_sslmode, m_sslmodeHint, safe ? FieldState::Valid : FieldState::Neutral,
        modeHintText(mode));
    m_sslmode->setToolTip(modeHintText(mode));
}

void EndpointForm::commitRootCert()
{
    m_rootCertSettle->stop();
    updateRootCertState(true);
    const QString path = m_rootCert->text();
    if (!m_rootCertCommitted || path != m_committedRootCert) {
        m_rootCertCommitted = true;
        m_committedRootCert = path;
        m_bundlePanel->setBundlePath(path);
    }
}

// What libpq then does with a CA file it cannot load, for the field's hint.
QString EndpointForm::unusableThen(SslMode mode)
{
    switch (mode) {
    case SslMode::Disable:
        return QLatin1Char(' ') + tr("Unused with sslmode=disable.");
    case SslMode::Allow:
        return QLatin1Char(' ')
            + tr("With allow, plaintext goes first; TLS, if the server insists, fails.");
    case SslMode::Prefer:
        return QLatin1Char(' ')
            + tr("With prefer, libpq then retries without TLS: unencrypted if the server "
                 "accepts it.");
    case SslMode::Require:
    case SslMode::VerifyCa:
    case SslMode::VerifyFull:
        break;
    }
    return QLatin1Char(' ') + tr("With %1 the connection fails.").arg(sslModeName(mode));
}

void EndpointForm::updateRootCertState(bool readContents)
{
    const SslMode mode
        = parseSslMode(m_sslmode->currentData().toString()).value_or(SslMode::VerifyFull);
    const QString path = m_rootCert->text().trimmed();
    const RootCertResolution r = RootCert::resolve(
        mode, path, RootCert::libpqHomeDirectory(), RootCert::Contents::StatOnly);
    const bool required = sslModeRequiresRootCert(mode);
    const QString shown = QDir::toNativeSeparators(r.path);
    FieldState state = FieldState::Neutral;
    QString text;
    // Never open() the path plainly: a FIFO would block the GUI, /dev/zero never ends. SafeFile
    // looks without blocking, and reads (bounded) only when asked.
    SafeFileStatus file;
    if (!r.path.isEmpty())
        file = readContents ? SafeFile::read(r.path) : SafeFile::check(r.path);
    using Kind = SafeFileStatus::Kind;
    if (r.path.isEmpty()) {
        state = required ? FieldState::Invalid : FieldState::Neutral;
        text = tr("No home directory: libpq has no default CA file.");
    } else if (!r.exists || file.kind == Kind::Missing) {
        // libpq's outcome, never a refusal: verify-* fails, the weaker modes connect without
        // checking any certificate (a named file that does not exist is the silent trap).
        state = required ? FieldState::Invalid : FieldState::Neutral;
        if (path.isEmpty())
            text = required
                ? tr("Empty: libpq's default %1 does not exist, so %2 will fail.")
                      .arg(shown, sslModeName(mode))
                : tr("Empty: libpq's default %1 does not exist; the certificate is not verified.")
                      .arg(shown);
        else if (required)
            text = tr("Error: the CA file you named does not exist, so %1 will fail (libpq: root "
                      "certificate file does not exist). Correct the path, or download the RDS "
                      "bundle (the button below).")
                       .arg(sslModeName(mode));
        else if (!sslModeTriesTls(mode))
            text = tr("The CA file you named does not exist (unused with sslmode=disable).");
        else
            text = tr("Warning: the CA file you named does not exist, so nothing is verified: "
                      "with sslmode=%1 libpq connects without checking any certificate. Correct "
                      "the path, or download the RDS bundle (the button below).")
                       .arg(sslModeName(mode));
    } else if (file.kind == Kind::Directory) {
        state = sslModeTriesTls(mode) ? FieldState::Invalid : FieldState::Neutral;
        text = tr("A directory, not a file of PEM certificates: libpq fails to load it (could not "
                  "read root certificate file) in every sslmode that uses TLS.")
            + unusableThen(mode);
    } else if (file.kind == Kind::Fifo || file.kind == Kind::Device || file.kind == Kind::Socket) {
        state = FieldState::Invalid;
        text = file.kind == Kind::Fifo
            ? tr("Not a regular file: a named pipe (FIFO). It is not read; libpq needs a file "
                 "of PEM certificates.")
            : tr("Not a regular file: a device or socket. It is not read; libpq needs a file of "
                 "PEM certificates.");
    } else if (file.kind == Kind::TooLarge) {
        state = FieldState::Invalid;
        text = tr("Too large for a CA bundle (over %1 MB): it is not read.")
                   .arg(SafeFile::kDefaultMaxBytes / (1024 * 1024));
    } else if (file.kind == Kind::Unreadable) {
        state = sslModeTriesTls(mode) ? FieldState::Invalid : FieldState::Neutral;
        text = tr("Exists, but is not readable: libpq fails to load it (could not read root "
                  "certificate file) in every sslmode that uses TLS.")
            + unusableThen(mode);
    } else if (readContents && !file.data.contains("-----BEGIN ")) {
        state = sslModeTriesTls(mode) ? FieldState::Invalid : FieldState::Neutral;
        text = tr("Exists, but holds no PEM certificate: libpq fails to load it (could not read "
                  "root certificate file) in every sslmode that uses TLS; it reads PEM only "
                  "(convert P7B/DER with openssl).")
            + unusableThen(mode);
    } else {
        state = FieldState::Valid;
        const QString size = tr("%1 KB").arg(qMax<qint64>(1, (file.size + 1023) / 1024));
        text = path.isEmpty() ? tr("Empty: libpq's default %1 (exists, %2).").arg(shown, size)
                              : tr("Exists (%1).").arg(size);
        if (!readContents)
            text += QLatin1Char(' ') + tr("Read when you press Return or leave the field.");
        if (!sslModeTriesTls(mode))
            text += QLatin1Char(' ') + tr("Unused with sslmode=disable.");
    }
    file.data.fill('\0');
    showFieldState(m_rootCert, m_rootCertHint, state, text);
    m_rootCert->setToolTip(r.path.isEmpty() ? QString() : plainToolTip(shown));
}

void EndpointForm::updateExtraLine()
{
    QStringList parts;
    if (!m_base.passfile.isEmpty())
        parts << QStringLiteral("passfile=%1").arg(m_base.passfile);
    if (!m_base.sslcert.isEmpty())
        parts << QStringLiteral("sslcert=%1").arg(m_base.sslcert);
    if (!m_base.sslkey.isEmpty())
        parts << QStringLiteral("sslkey=%1").arg(m_base.sslkey);
    for (auto it = m_base.extraOptions.cbegin(); it != m_base.extraOptions.cend(); ++it) {
        // A secret's value is never shown (libpq gets it; the form only says it is there).
        if (SecretKeywords::isSecret(it.key()))
            parts << tr("%1 (set, not shown)").arg(it.key());
        else
            parts << it.key() + QLatin1Char('=') + it.value();
    }
    if (parts.isEmpty()) {
        m_extra->hide();
        return;
    }
    showFieldState(nullptr, m_extra, FieldState::Neutral,
        tr("Also passed to libpq: %1").arg(parts.join(QStringLiteral(", "))));
}

void EndpointForm::browseRootCert()
{
    // Not exec(): no nested event loop; the dialog reports through fileSelected.
    auto *dialog = new QFileDialog(this, tr("Choose the CA bundle"));
    dialog->setObjectName(QStringLiteral("rootCertDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters(
        { tr("CA bundles (*.pem *.crt *.cer *.p7b *.p7c *.der)"), tr("PEM (*.pem *.crt *.cer)"),
            tr("PKCS#7 (*.p7b *.p7c)"), tr("DER (*.der *.cer)"), tr("All files (*)") });
    const QString current = m_rootCert->text().trimmed();
    if (!current.isEmpty())
        dialog->selectFile(current);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) {
        m_rootCert->setText(file);
        emit edited();
    });
    dialog->open();
}

} // namespace pgtls::ui
