// SPDX-License-Identifier: MIT
#include "ProcessHygiene.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace pgtls {

bool ProcessHygiene::protectSecrets()
{
    bool ok = ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
    const struct rlimit none = { 0, 0 };
    ok = ::setrlimit(RLIMIT_CORE, &none) == 0 && ok;
    return ok;
}

bool ProcessHygiene::isProtected()
{
    struct rlimit core = {};
    return ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 && ::getrlimit(RLIMIT_CORE, &core) == 0
        && core.rlim_cur == 0 && core.rlim_max == 0;
}

} // namespace pgtls
