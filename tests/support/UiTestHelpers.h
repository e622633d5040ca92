// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the widget tests.

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QApplication>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

namespace pgtls::test {

// The child widget of type T with this objectName (nullptr when none).
template <typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// Every byte of every file below `dir` (hidden ones included): to prove a secret was written nowhere.
inline QByteArray everythingUnder(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

// main() of a widget test that must not see the caller's settings or libpq environment: settings
// and libpq's home in a throwaway directory (`*config` points at it while the test runs), no PG*
// variables. (Test processes may set their own environment; the programs never do.)
template <typename Test> int runIsolatedWidgetTest(int argc, char **argv, const char *name, QTemporaryDir **config)
{
    QTemporaryDir dir;
    *config = &dir;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(dir.path() + QStringLiteral("/config")));
    qputenv("HOME", QFile::encodeName(dir.path()));
    for (const char *v : { "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE",
             "PGSSLROOTCERT", "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGCONNECT_TIMEOUT",
             "PGREQUIRESSL" })
        qunsetenv(v);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("pgtls-test"));
    QApplication::setApplicationName(QString::fromLatin1(name));
    Test test;
    return QTest::qExec(&test, argc, argv);
}

} // namespace pgtls::test
