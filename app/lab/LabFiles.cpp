// SPDX-License-Identifier: MIT
#include "LabFiles.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgtls::lab {

bool writeFileWithMode(const QString &path, const QByteArray &data, mode_t mode, QString *error, bool chown,
                       uid_t uid, gid_t gid)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    bool ok = fd >= 0 && ::fchmod(fd, mode) == 0;
    if (ok && chown)
        ok = ::fchown(fd, uid, gid) == 0;
    qsizetype done = 0;
    while (ok && done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        if (ok)
            done += n;
    }
    const int savedErrno = errno;
    if (fd >= 0 && ::close(fd) != 0)
        ok = false;
    if (!ok && error)
        *error = QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(savedErrno)));
    return ok;
}

} // namespace pgtls::lab
