// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <sys/types.h>

namespace pgtls::lab {

// Writes `data` to `path` with open(2) and `mode` from the first byte on, so that a key never
// exists, even for a moment, with a wider mode; chowns to `uid`/`gid` when `chown` is true.
// Returns false with "cannot write PATH: reason" in *error (when not null).
bool writeFileWithMode(const QString &path, const QByteArray &data, mode_t mode, QString *error,
                       bool chown = false, uid_t uid = 0, gid_t gid = 0);

} // namespace pgtls::lab
