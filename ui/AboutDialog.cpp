// SPDX-License-Identifier: MIT
#include "AboutDialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <libpq-fe.h>
#include <openssl/crypto.h>

namespace pgtls::ui {

QString AboutDialog::qtVersion()
{
    return QString::fromLatin1(qVersion());
}

QString AboutDialog::libpqVersion()
{
    // PQlibVersion(): major * 10000 + minor for PostgreSQL 10 and later.
    const int v = PQlibVersion();
    return QStringLiteral("%1.%2").arg(v / 10000).arg(v % 10000);
}

QString AboutDialog::openSslVersion()
{
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
}

QString AboutDialog::keychainVersion()
{
    // QtKeychain has no run-time version call; this is the version it was built against.
    return QStringLiteral(PGTLS_QTKEYCHAIN_VERSION);
}

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About PG TLS Inspector"));

    const auto row = [](const QString &name, const QString &version, const QString &licence) {
        return QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
            .arg(name.toHtmlEscaped(), version.toHtmlEscaped(), licence.toHtmlEscaped());
    };
    QString html;
    html += QStringLiteral("<h2>%1</h2>")
                .arg(tr("PG TLS Inspector %1").arg(QStringLiteral(PGTLS_VERSION)));
    html
        += QStringLiteral("<p>%1</p>")
               .arg(tr("Shows exactly how a PostgreSQL connection is secured: the TLS session, the "
                       "certificate chain, the host name check and what each sslmode would do.")
                        .toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>").arg(tr("Licensed under the MIT licence.").toHtmlEscaped());
    html += QStringLiteral("<h3>%1</h3>").arg(tr("Libraries").toHtmlEscaped());
    html += QStringLiteral(
        "<table cellspacing=\"6\"><tr><th align=\"left\">%1</th><th align=\"left\">%2</th>"
        "<th align=\"left\">%3</th></tr>")
                .arg(tr("Library").toHtmlEscaped(), tr("Version").toHtmlEscaped(),
                    tr("Licence").toHtmlEscaped());
    html += row(QStringLiteral("Qt 6"), qtVersion(), QStringLiteral("LGPL-3.0"));
    html += row(QStringLiteral("libpq"), libpqVersion(), tr("PostgreSQL Licence"));
    html += row(QStringLiteral("OpenSSL"), openSslVersion(), QStringLiteral("Apache-2.0"));
    html += row(QStringLiteral("QtKeychain"), keychainVersion(), QStringLiteral("BSD-3-Clause"));
    html += QStringLiteral("</table>");

    m_text = new QLabel(html, this);
    m_text->setObjectName(QStringLiteral("aboutText"));
    m_text->setTextFormat(Qt::RichText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *aboutQt = buttons->addButton(tr("About &Qt"), QDialogButtonBox::ActionRole);
    aboutQt->setObjectName(QStringLiteral("aboutQtButton"));
    connect(aboutQt, &QPushButton::clicked, this, [this] { QApplication::aboutQt(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

QString AboutDialog::text() const
{
    return m_text->text();
}

} // namespace pgtls::ui
