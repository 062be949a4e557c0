#!/usr/bin/env bash
# Builds target/mprotect-batching.jar against mmcheck's model classes (the launcher builds them: run ./mmcheck once).
# Usage: examples/plugins/mprotect-batching/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
jdk=""
for c in "${MMCHECK_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
  [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
  v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1)
  if [ "${v:-0}" -ge 21 ]; then jdk=$c; break; fi
done
[ -n "$jdk" ] || { echo "build.sh: no JDK 21 or newer found (set JAVA_HOME)" >&2; exit 2; }
[ -d "$root/model/target/classes" ] || { echo "build.sh: build mmcheck first (./mmcheck --version)" >&2; exit 2; }
rm -rf "$here/target" && mkdir -p "$here/target/classes"
"$jdk/bin/javac" --release 21 -d "$here/target/classes" -cp "$root/model/target/classes" \
    "$here/src/main/java/org/example/mmcheck/MprotectBatching.java"
cp -r "$here/src/main/resources/META-INF" "$here/target/classes/"
"$jdk/bin/jar" --create --file "$here/target/mprotect-batching.jar" -C "$here/target/classes" .
echo "$here/target/mprotect-batching.jar"
