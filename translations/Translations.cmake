# SPDX-License-Identifier: MIT
# Translations: translations/pgtls-inspector_en.ts is the template (source language English) that
# translators copy to pgtls-inspector_<lang>.ts. Refresh it with
#     cmake --build <build> --target update_translations
# (lupdate over app/core, app/cli, app/gui and ui). The normal build neither runs lupdate nor
# needs Qt Linguist tools: without them (package qt6-l10n-tools) only the update target is missing.
find_package(Qt6 QUIET COMPONENTS LinguistTools)
if(TARGET Qt6::lupdate)
    file(GLOB pgtls_i18n_sources CONFIGURE_DEPENDS
        ${PROJECT_SOURCE_DIR}/app/core/*.cpp ${PROJECT_SOURCE_DIR}/app/core/*.h
        ${PROJECT_SOURCE_DIR}/app/cli/*.cpp ${PROJECT_SOURCE_DIR}/app/cli/*.h
        ${PROJECT_SOURCE_DIR}/app/gui/*.cpp
        ${PROJECT_SOURCE_DIR}/ui/*.cpp ${PROJECT_SOURCE_DIR}/ui/*.h)
    qt_add_lupdate(pgtls-inspector
        TS_FILES ${PROJECT_SOURCE_DIR}/translations/pgtls-inspector_en.ts
        SOURCES ${pgtls_i18n_sources}
        INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/app/core ${PROJECT_SOURCE_DIR}/app/lab
                            ${PROJECT_SOURCE_DIR}/ui
        OPTIONS -source-language en -no-obsolete -locations relative)
else()
    message(STATUS "Qt6 LinguistTools not found: no update_translations target")
endif()
