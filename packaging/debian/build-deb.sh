#!/bin/sh
# build-deb.sh - turns a staged `make install` (PREFIX=/usr) into the binary
# package vanban_VERSION_ARCH.deb with dpkg-deb. Called by `make deb`:
#
#   build-deb.sh WORK VERSION ARCH MULTIARCH OUTPUT.deb
#
# WORK/root holds the staged files; WORK/shlibdeps is scratch space for
# dpkg-shlibdeps, which computes Depends from the ELF files' NEEDED entries.
set -eu
work=$(cd "$1" && pwd) version=$2 arch=$3 multiarch=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
root=$work/root
lib=usr/lib/$multiarch
doc=$root/usr/share/doc/vanban

# Debian policy: stripped ELF files, compressed manual pages and changelog,
# a copyright file; no write bit for group or others.
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
  "$root/usr/bin/vanban" "$root/$lib/libvanban.so.${version%-*}"
strip --strip-debug --remove-section=.comment "$root/$lib/libvanban.a"
gzip -9n "$root/usr/share/man/man1/vanban.1" "$root/usr/share/man/man3/vanban.3"
mkdir -p "$doc" "$root/DEBIAN"
cp "$here/copyright" "$doc/copyright"
gzip -9n -c "$here/changelog" > "$doc/changelog.Debian.gz"
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod go-w {} +

# Depends: dpkg-shlibdeps reads debian/control of its working folder.
mkdir -p "$work/shlibdeps/debian"
printf 'Source: vanban\n\nPackage: vanban\nArchitecture: any\n' \
  > "$work/shlibdeps/debian/control"
depends=$(cd "$work/shlibdeps" && dpkg-shlibdeps -O \
  "$root/usr/bin/vanban" "$root/$lib/libvanban.so.${version%-*}" \
  | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps gave no Depends" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" \
  -e "s/@SIZE@/$size/" "$here/control.in" > "$root/DEBIAN/control"
# libvanban.so.0 is in this package: other packages' shlibs lookups and
# ldconfig after installing
echo "libvanban 0 vanban (>= ${version%-*})" > "$root/DEBIAN/shlibs"
echo "activate-noawait ldconfig" > "$root/DEBIAN/triggers"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/shlibs" "$root/DEBIAN/triggers"
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) \
  > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out"
