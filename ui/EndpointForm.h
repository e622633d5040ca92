// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace pgtls::ui {

class BundlePanel;

// What to inspect: the endpoint's fields, a field that takes a pasted conninfo string or
// postgresql:// URI and fills the others, the sslmode (with what each mode protects against), the
// CA bundle file, an optional password, the timeout and the "compare all six sslmodes" switch.
//
// Every input shows its state on a hint line beneath it (empty, valid, invalid) instead of dialogs.
// A new form is pre-filled from the PG* environment (never PGPASSWORD).
//
// The password lives only in the password field's memory: endpoint() never holds it, nothing here
// writes it anywhere, and a conninfo that contains one is refused (and cleared from the paste
// field).
class EndpointForm : public QWidget
{
    Q_OBJECT
public:
    explicit EndpointForm(QWidget *parent = nullptr);
    // Wipes the password field's buffer.
    ~EndpointForm() override;

    // The endpoint as the form shows it (libpq defaults applied: user = OS user, dbname = user),
    // with the parameters the form does not show (passfile, sslcert, sslkey, sslsni, ...) carried
    // over from the last setEndpoint(), paste or environment. Never holds a password.
    Endpoint endpoint() const;
    // Replaces every field (and the hidden parameters) with `endpoint`'s values.
    void setEndpoint(const Endpoint &endpoint);

    // The password typed in (possibly empty: libpq's own sources apply). Never stored.
    QString password() const;
    // Empties the password field, its buffer overwritten first.
    void clearPassword();
    // Puts `password` into the password field (e.g. read from the keychain); never stored here.
    void setPassword(const QString &password);
    // Focuses the password field and shows `hint` beneath it (e.g. "the server asks for a
    // password").
    void requestPassword(const QString &hint);

    int timeoutSeconds() const;
    // The CA bundle summary and actions beneath the CA bundle field.
    BundlePanel *bundlePanel() const { return m_bundlePanel; }
    bool compareAllModes() const;
    void setCompareAllModes(bool on);
    // Back to a new form: every field cleared, then pre-filled from the PG* environment.
    void resetToEnvironment();

    // Checks every field, marks the invalid ones, and returns the first problem in words
    // (empty when the form can be inspected). Focuses the first invalid field when `focus` is set.
    QString validate(bool focus = true);

    // Fills the form from a conninfo string or URI, as if pasted into the conninfo field. Returns
    // the resolver's error (shown inline too), or an empty string when the form was filled.
    QString applyConninfo(const QString &conninfo);

signals:
    // Return pressed in one of the fields (not the conninfo field, where Return fills the form).
    void submitted();
    // Any field changed (the report on screen may no longer describe what the form says).
    void edited();

private:
    void buildUi();
    void fillFromEnvironment();
    void updateHostState();
    void updateHostaddrState();
    void updateSslModeHint();
    // The CA field's state: a stat-level look (SafeFile::check) while typing, the file read
    // (bounded, never blocking) when `readContents`.
    void updateRootCertState(bool readContents);
    static QString unusableThen(SslMode mode);
    // Editing of the CA field is finished (Return, focus out, a file chosen, set from code): its
    // contents checked and the bundle panel told, once per path.
    void commitRootCert();
    void updateExtraLine();
    void browseRootCert();
    void setConninfoState(const QString &message, bool error);

    Endpoint m_base; // the parameters without their own field
    bool m_validated = false; // validate() ran: an empty required field now shows as invalid

    QLineEdit *m_conninfo = nullptr;
    QPushButton *m_fill = nullptr;
    QLabel *m_conninfoHint = nullptr;
    QLineEdit *m_host = nullptr;
    QLabel *m_hostHint = nullptr;
    QLineEdit *m_hostaddr = nullptr;
    QLabel *m_hostaddrHint = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_dbname = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_sslmode = nullptr;
    QLabel *m_sslmodeHint = nullptr;
    QLineEdit *m_rootCert = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_rootCertHint = nullptr;
    QTimer *m_rootCertSettle = nullptr; // the typed path is looked at once the keys settle
    QString m_committedRootCert;        // the path the bundle panel was last given
    bool m_rootCertCommitted = false;
    bool m_rootCertTyping = false; // textEdited seen, its textChanged not yet
    BundlePanel *m_bundlePanel = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_passwordHint = nullptr;
    QSpinBox *m_timeout = nullptr;
    QCheckBox *m_matrix = nullptr;
    QLabel *m_extra = nullptr;
};

} // namespace pgtls::ui
