#!/usr/bin/env bash
# Builds Tributary's default container base image without a daemon or a registry: a jlink-ed
# Java runtime (from the JDK running the build) on a minimal root file system, written as a
# `docker save` style tarball that Jib reads as a `tar://` base.
#
#   images/base/build-base-image.sh OUTPUT_DIR [JDK_HOME]
#
# The root file system holds the runtime under /opt/java, the shared libraries it links (found
# with ldd, copied from this machine), /etc/passwd and /etc/group with the non-root user
# tributary (uid/gid 10001), /etc/nsswitch.conf, /tmp (1777) and /var/lib/tributary (the one
# data volume, owned by tributary). There is no shell: images start java directly.
#
# Deterministic: every entry has mtime 0, uid/gid fixed, entries sorted, no pax times, so the
# same JDK and libraries give byte-identical tarballs and so identical Jib image digests.
set -euo pipefail

out="${1:?usage: build-base-image.sh OUTPUT_DIR [JDK_HOME]}"
jdk="${2:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
[[ -x "$jdk/bin/jlink" ]] || { echo "build-base-image: no jlink in $jdk (need a full JDK)" >&2; exit 1; }
[[ -d "$jdk/jmods" ]] || { echo "build-base-image: no $jdk/jmods (install the JDK's jmods)" >&2; exit 1; }

# What Spring Boot, Netty, Curator/ZooKeeper, Hibernate, the JDBC drivers and kafka-clients use;
# a fixed list rather than jdeps, so the base does not change with the application.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,\
java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,\
java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.ec,\
jdk.management,jdk.management.agent,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs,jdk.jfr,\
jdk.localedata,jdk.security.auth,jdk.security.jgss,jdk.charsets,jdk.httpserver,jdk.jdwp.agent

uid=10001
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root" "$out"

"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --include-locales=en \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$root/opt/java"
# Debian's JDK links its security files to /etc; the jmods carry the real ones, but be sure no
# link points outside the image
find "$root/opt/java" -type l | while read -r link; do
  target="$(readlink -f "$link" || true)"
  rm "$link"
  [[ -f "$target" ]] && cp "$target" "$link"
done
# java.desktop is here for java.beans (Spring); its X11, sound and font libraries are not: the
# services run headless, and dropping them keeps libX11 and friends out of the image
for lib in libawt_xawt libsplashscreen libjsound libfontmanager liblcms libjavajpeg; do
  rm -f "$root/opt/java/lib/$lib.so"
done
# (No class data sharing archive: JDK 17's -Xshare:dump output differs from run to run.)

# Shared libraries the runtime links, at the paths the dynamic linker looks for them
copy_lib() {
  local path="$1"
  [[ -e "$root$path" ]] && return
  mkdir -p "$root$(dirname "$path")"
  cp -L "$path" "$root$path"
}
while read -r lib; do copy_lib "$lib"; done < <(
  find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
    LD_LIBRARY_PATH="$root/opt/java/lib:$root/opt/java/lib/server" xargs -0 ldd 2>/dev/null |
    awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' | grep -v "^$root/" | sort -u)
# glibc's resolver pieces that are loaded at run time rather than linked
for extra in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
             /lib/x86_64-linux-gnu/libresolv.so.2; do
  [[ -e "$extra" ]] && copy_lib "$extra"
done
# /lib64 -> the real loader, as on the build host
if [[ -e /lib64/ld-linux-x86-64.so.2 ]]; then copy_lib /lib64/ld-linux-x86-64.so.2; fi

mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/tributary" "$root/usr/bin"
ln -s /opt/java/bin/java "$root/usr/bin/java"
cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
tributary:x:$uid:$uid:Tributary:/var/lib/tributary:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
tributary:x:$uid:
nobody:x:65534:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
chmod 1777 "$root/tmp"

# One layer, deterministic
tar_flags=(--sort=name --mtime=@0 --numeric-owner --format=posix
           --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime,delete=mtime)
layer="$work/layer.tar"
(cd "$root" && tar "${tar_flags[@]}" --owner=0 --group=0 --exclude=./var/lib/tributary -cf "$layer" .)
(cd "$root" && tar "${tar_flags[@]}" --owner=$uid --group=$uid --no-recursion -rf "$layer" ./var/lib/tributary)
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"

arch="$(uname -m)"; case "$arch" in x86_64) arch=amd64;; aarch64) arch=arm64;; esac
java_version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$root/opt/java/release")"
cat > "$work/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z","config":{"User":"$uid:$uid","Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"WorkingDir":"/var/lib/tributary","Labels":{"org.opencontainers.image.title":"tributary-base","org.opencontainers.image.description":"jlink-ed Java $java_version runtime on a minimal root fs"}},"rootfs":{"type":"layers","diff_ids":["$diff_id"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/base/build-base-image.sh"}]}
JSON
config_sha="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mkdir -p "$work/image"
mv "$work/config.json" "$work/image/$config_sha.json"
mv "$layer" "$work/image/layer.tar"
printf '[{"Config":"%s.json","RepoTags":["tributary/base:latest"],"Layers":["layer.tar"]}]\n' \
  "$config_sha" > "$work/image/manifest.json"
# entry names without "./", as docker save writes them
(cd "$work/image" && tar "${tar_flags[@]}" --owner=0 --group=0 -cf "$out/tributary-base.tar" \
  manifest.json "$config_sha.json" layer.tar)
echo "build-base-image: $out/tributary-base.tar (config sha256:$config_sha, Java $java_version)"
