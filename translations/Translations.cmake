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

# The translations themselves (every translations/pgtls-inspector_<lang>.ts but the English
# template) compiled with lrelease into <build>/translations and installed beside the programs'
# share directory, where pgtls::Translations looks for them.
include(GNUInstallDirs)
file(GLOB pgtls_ts_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/translations/pgtls-inspector_*.ts)
list(FILTER pgtls_ts_files EXCLUDE REGEX "_en\\.ts$")
if(pgtls_ts_files AND TARGET Qt6::lrelease)
    set(pgtls_qm_files)
    foreach(ts ${pgtls_ts_files})
        get_filename_component(base ${ts} NAME_WE)
        set(qm ${PROJECT_BINARY_DIR}/translations/${base}.qm)
        add_custom_command(OUTPUT ${qm}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/translations
            COMMAND Qt6::lrelease -silent ${ts} -qm ${qm}
            DEPENDS ${ts} VERBATIM)
        list(APPEND pgtls_qm_files ${qm})
    endforeach()
    add_custom_target(pgtls_translations ALL DEPENDS ${pgtls_qm_files})
    install(FILES ${pgtls_qm_files} DESTINATION ${CMAKE_INSTALL_DATADIR}/pgtls-inspector/translations)
endif()
