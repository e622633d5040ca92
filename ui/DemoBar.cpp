// SPDX-License-Identifier: MIT
#include "DemoBar.h"

#include "FieldState.h"
#include "PlainText.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

namespace pgtls::ui {

DemoBar::DemoBar(QWidget *parent)
    : QWidget(parent)
    , m_lab(new lab::Lab(this))
    , m_scenario(new QComboBox(this))
    , m_description(
          makeHintLabel(QStringLiteral("scenarioDescription"), tr("Scenario description"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("demoBar"));
    m_status->setTextFormat(Qt::PlainText);
    m_description->setTextFormat(Qt::PlainText);
    setAccessibleName(tr("Demo lab"));

    auto *title = new QLabel(tr("Demo lab — &scenario:"), this);
    title->setTextFormat(Qt::PlainText);
    title->setObjectName(QStringLiteral("demoTitle"));
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    title->setBuddy(m_scenario);

    m_scenario->setObjectName(QStringLiteral("scenario"));
    m_scenario->setAccessibleName(tr("Demo scenario"));
    for (lab::Scenario s : lab::allScenarios()) {
        m_scenario->addItem(lab::scenarioName(s), QVariant::fromValue(s));
        m_scenario->setItemData(
            m_scenario->count() - 1, lab::scenarioDescription(s), Qt::ToolTipRole);
    }
    m_scenario->setEnabled(false);
    m_scenario->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    // Wrapped (two lines in a narrow window), never cut: a trainer reads it aloud.
    // (A tool bar does not lay out height-for-width: room for two lines, always.)
    m_description->setWordWrap(true);
    m_description->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_description->setFixedHeight(2 * m_description->fontMetrics().lineSpacing() + 4);
    m_status->setObjectName(QStringLiteral("labStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Demo lab status"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(title);
    layout->addWidget(m_scenario);
    layout->addWidget(m_description, 1);
    layout->addWidget(m_status);

    connect(m_scenario, &QComboBox::activated, this,
        [this](int index) { setScenario(m_scenario->itemData(index).value<lab::Scenario>()); });
    connect(m_lab, &lab::Lab::started, this, [this] {
        m_starting = false;
        m_scenario->setEnabled(true);
        m_status->setText(tr("127.0.0.1:%1").arg(m_lab->port()));
        m_status->setToolTip(plainToolTip(tr("Lab directory: %1").arg(m_lab->directory())));
        m_scenario->setCurrentIndex(m_scenario->findData(QVariant::fromValue(m_lab->scenario())));
        updateDescription();
        emit endpointReady(m_lab->endpoint());
    });
    connect(m_lab, &lab::Lab::scenarioChanged, this, [this](lab::Scenario s) {
        m_scenario->setCurrentIndex(m_scenario->findData(QVariant::fromValue(s)));
        updateDescription();
        emit endpointReady(m_lab->endpoint());
    });
    connect(m_lab, &lab::Lab::failed, this, [this](const QString &message) {
        m_starting = false;
        m_scenario->setEnabled(m_lab->isRunning());
        if (!m_lab->isRunning())
            m_status->setText(tr("not running"));
        emit failed(message);
    });
    updateDescription();
}

DemoBar::~DemoBar() = default; // m_lab, a child, stops the server and removes its directory

void DemoBar::startLab(lab::Scenario initial)
{
    if (m_starting || m_lab->isRunning())
        return;
    m_starting = true;
    m_scenario->setCurrentIndex(m_scenario->findData(QVariant::fromValue(initial)));
    updateDescription();
    m_status->setText(tr("starting…"));
    emit busy(tr("Starting the demo lab (a throwaway PostgreSQL 15 with TLS)…"));
    m_lab->start(initial);
}

void DemoBar::setScenario(lab::Scenario scenario)
{
    m_scenario->setCurrentIndex(m_scenario->findData(QVariant::fromValue(scenario)));
    updateDescription();
    if (!m_lab->isRunning()) {
        emit failed(tr("The demo lab is not running."));
        return;
    }
    emit busy(tr("Switching the demo lab to “%1”…").arg(lab::scenarioName(scenario)));
    m_lab->setScenario(scenario);
}

lab::Scenario DemoBar::scenario() const
{
    return m_scenario->currentData().value<lab::Scenario>();
}

void DemoBar::updateDescription()
{
    const QString text = lab::scenarioDescription(scenario());
    m_description->setText(text);
    m_description->setToolTip(text);
    m_description->setVisible(true);
    m_scenario->setToolTip(text);
}

} // namespace pgtls::ui
