// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace pgtls::cli {

// `pgtls-check bundle info|download ...`: `args` are the arguments after "bundle". Returns the exit code.
int runBundleCommand(const QStringList &args);

} // namespace pgtls::cli
