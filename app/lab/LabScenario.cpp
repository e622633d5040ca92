// SPDX-License-Identifier: MIT
#include "LabScenario.h"

namespace pgtls::lab {

QString scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Correct:
        return QStringLiteral("correct");
    case Scenario::Alias:
        return QStringLiteral("alias");
    case Scenario::UnknownCa:
        return QStringLiteral("unknown-ca");
    case Scenario::Expired:
        return QStringLiteral("expired");
    case Scenario::NotYetValid:
        return QStringLiteral("not-yet-valid");
    case Scenario::CnOnly:
        return QStringLiteral("cn-only");
    case Scenario::IpSan:
        return QStringLiteral("ip-san");
    case Scenario::Revoked:
        return QStringLiteral("revoked");
    case Scenario::PlaintextAccepted:
        return QStringLiteral("plaintext-accepted");
    case Scenario::NoSslinfo:
        return QStringLiteral("no-sslinfo");
    case Scenario::SslOff:
        return QStringLiteral("ssl-off");
    }
    return QString();
}

QList<Scenario> allScenarios()
{
    return { Scenario::Correct, Scenario::Alias, Scenario::UnknownCa, Scenario::Expired,
        Scenario::NotYetValid, Scenario::CnOnly, Scenario::IpSan, Scenario::Revoked,
        Scenario::PlaintextAccepted, Scenario::NoSslinfo, Scenario::SslOff };
}

std::optional<Scenario> parseScenario(const QString &name)
{
    for (Scenario s : allScenarios()) {
        if (scenarioName(s) == name)
            return s;
    }
    return std::nullopt;
}

QString scenarioDescription(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Correct:
        return Lab::tr(
            "The server presents a valid RDS-style certificate for its endpoint name and refuses "
            "plaintext connections (rds.force_ssl=1).");
    case Scenario::Alias:
        return Lab::tr(
            "The client connects through a CNAME-style alias that the server certificate does not "
            "name, so verify-full fails with a host name mismatch.");
    case Scenario::UnknownCa:
        return Lab::tr("The server presents a certificate from a CA that is not in the client's "
                       "bundle, as a man "
                       "in the middle would.");
    case Scenario::Expired:
        return Lab::tr("The server certificate has expired, so verify-ca and verify-full fail.");
    case Scenario::NotYetValid:
        return Lab::tr("The server certificate is not valid yet (its start date is in the future, "
                       "as after a clock error), so verify-ca and verify-full fail.");
    case Scenario::CnOnly:
        return Lab::tr("The server certificate names the endpoint only in its subject CN, without "
                       "a subjectAltName: libpq still accepts it for verify-full, stricter clients "
                       "do not.");
    case Scenario::IpSan:
        return Lab::tr("The server certificate's subjectAltName holds only the IP address "
                       "127.0.0.1, so verify-full to host=127.0.0.1 passes; for a DNS host name "
                       "libpq falls back to the certificate's CN, the endpoint name.");
    case Scenario::Revoked:
        return Lab::tr("The server certificate is revoked in the lab CA's CRL (crl.pem next to the "
                       "CA bundle): libpq refuses it only when sslcrl names that file.");
    case Scenario::PlaintextAccepted:
        return Lab::tr(
            "The server offers TLS but also accepts unencrypted connections (rds.force_ssl=0), so "
            "clients with sslmode prefer or allow may silently go without TLS.");
    case Scenario::NoSslinfo:
        return Lab::tr("The sslinfo extension is not installed, so ssl_is_used() is unavailable "
                       "and pg_stat_ssl "
                       "must be used instead.");
    case Scenario::SslOff:
        return Lab::tr("TLS is switched off on the server: every connection is plaintext, and "
                       "sslmode require or "
                       "stricter cannot connect.");
    }
    return QString();
}

ScenarioSettings scenarioSettings(Scenario scenario, const LabPki &pki)
{
    ScenarioSettings s;
    s.sslOn = scenario != Scenario::SslOff;
    s.plaintextAccepted = scenario == Scenario::PlaintextAccepted || scenario == Scenario::SslOff;
    s.sslinfo = scenario != Scenario::NoSslinfo;
    s.certPath = pki.serverChainPath();
    s.keyPath = pki.serverKeyPath();
    switch (scenario) {
    case Scenario::UnknownCa:
        s.certPath = pki.rogueChainPath();
        s.keyPath = pki.rogueKeyPath();
        break;
    case Scenario::Expired:
        s.certPath = pki.expiredChainPath();
        s.keyPath = pki.expiredKeyPath();
        break;
    case Scenario::NotYetValid:
        s.certPath = pki.notYetValidChainPath();
        break;
    case Scenario::CnOnly:
        s.certPath = pki.cnOnlyChainPath();
        break;
    case Scenario::IpSan:
        s.certPath = pki.ipSanChainPath();
        break;
    case Scenario::Revoked:
        s.certPath = pki.revokedChainPath();
        break;
    case Scenario::Correct:
    case Scenario::Alias:
    case Scenario::PlaintextAccepted:
    case Scenario::NoSslinfo:
    case Scenario::SslOff:
        break;
    }
    return s;
}

} // namespace pgtls::lab
