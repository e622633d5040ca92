// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the widget tests.

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
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

} // namespace pgtls::test
