// SPDX-License-Identifier: MIT
#pragma once

// Internal to the lab: what each scenario makes the server do (Lab.cpp writes it into
// lab_scenario.conf and pg_hba.conf and checks that the server took it).

#include "Lab.h"
#include "LabPki.h"

#include <QString>

namespace pgtls::lab {

struct ScenarioSettings
{
    bool sslOn = true; // ssl = on
    bool plaintextAccepted = false; // a `host` line besides `hostssl` (rds.force_ssl = 0)
    bool sslinfo = true; // the sslinfo extension is installed
    QString certPath; // ssl_cert_file: the leaf then the intermediate
    QString keyPath; // ssl_key_file
};

ScenarioSettings scenarioSettings(Scenario scenario, const LabPki &pki);

} // namespace pgtls::lab
