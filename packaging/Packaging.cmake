# SPDX-License-Identifier: MIT
# CPack: a Debian package, pgtls-inspector_<version>_<arch>.deb, with `cpack -G DEB` in the build
# directory (config: <build>/CPackConfig.cmake). Library Depends come from dpkg-shlibdeps; the
# run-time pieces it cannot see (Qt platform and SVG plugins, loaded with dlopen) are listed here.
# Needs dpkg-dev and file.
set(CPACK_PACKAGE_NAME "pgtls-inspector")
set(CPACK_PACKAGE_VENDOR "PG TLS Inspector maintainers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "PG TLS Inspector maintainers <maintainers@pgtls.invalid>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://pgtls.invalid/")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB")
set(CPACK_SOURCE_GENERATOR "")

set(CPACK_DEBIAN_PACKAGE_NAME "pgtls-inspector")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${CPACK_PACKAGE_HOMEPAGE_URL}")
# The long description (CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY, the short one, before it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"PG TLS Inspector connects to a PostgreSQL server the way libpq does and shows
the TLS session (protocol, cipher), the server certificate chain and whether
it verifies against the root certificate in use, the host name check, and
what each sslmode (disable ... verify-full) would do, with the fix for every
problem found. pgtls-check is the command-line version, with text or JSON
output and exit codes for CI; pgtls-inspector is the Qt desktop application,
with a local demo lab (needs postgresql-15).")
# dpkg-shlibdeps: libqt6core6, libqt6gui6, libqt6widgets6, libqt6network6, libqt6dbus6, libpq5,
# libssl3, libqt6keychain1, libstdc++6, libc6...
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Plugins and dlopen'ed libraries it cannot see: the xcb/wayland platform plugins, the SVG icon
# engine and image format (the icons are SVG), libsecret for QtKeychain's Secret Service backend.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6, libsecret-1-0")
# The demo lab (--demo) runs a throwaway PostgreSQL 15; passwords go to a Secret Service.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-15, gnome-keyring | kwalletmanager | keepassxc")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql-client")

include(CPack)
