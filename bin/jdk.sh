# Sourced by ./keel, ./test and .ci/run: picks a JDK 21 or newer and exports JAVA_HOME.
# Order (docs/CONTRACTS.md): JAVA_HOME if 21+, else `java` on the PATH if 21+, else the newest
# JDK 21+ in the standard JVM folders.

keel_java_major() { # $1 = path to a java binary; prints its feature version or nothing
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then # every JDK has one; reading it is faster than starting a JVM
    sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

keel_pick_jdk() {
  local v candidate best="" best_v=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(keel_java_major "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(readlink -f "$(command -v java)")
    v=$(keel_java_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ -x "$(dirname "$candidate")/javac" ]; then
      JAVA_HOME=$(dirname "$(dirname "$candidate")"); export JAVA_HOME; return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*/bin/java /usr/local/lib/jvm/*/bin/java /opt/java/*/bin/java \
                   /opt/*/bin/java "$HOME"/.sdkman/candidates/java/*/bin/java; do
    [ -x "$candidate" ] || continue
    [ -x "$(dirname "$candidate")/javac" ] || continue
    v=$(keel_java_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then
      best=$(dirname "$(dirname "$candidate")"); best_v=$v
    fi
  done
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "keel: no JDK 21 or newer found (checked JAVA_HOME, java on the PATH, /usr/lib/jvm)." >&2
  echo "keel: install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME." >&2
  return 1
}
