# Sluice container image: a jlink'ed Java 25 runtime, the extracted application with an AOT cache
# recorded against that runtime, the launcher as the entrypoint, running as a non-root user.
#
#   ./mvnw package -Dsluice.aot.skip        # target/sluice.jar (the only build output used here)
#   docker build -t sluice .                # with a registry: debian:bookworm-slim + eclipse-temurin:25-jdk
#
# Without a registry (as on the project's build machine) both images are made locally by
# bin/build-base-image (a debootstrap'ed Debian root, and that root plus the local Temurin JDK):
#
#   docker build --build-arg BASE_IMAGE=sluice-base:bookworm --build-arg JDK_IMAGE=sluice-jdk:25 -t sluice .
#
# Runs with a read-only root filesystem: it writes only to /tmp (Tomcat's work directory, the JVM's
# perf data; mount a tmpfs there) and to /var/lib/sluice (filesystem storage, tail databases:
# mount a volume). /var/log is a volume for logs to tail (mount the host's or a shared one read-only).
#
# Memory: the launcher sizes the heap from the container's memory limit (-XX:MaxRAMPercentage=50,
# serial GC, -Xms16m); more JVM flags through SLUICE_JAVA_OPTS (a later flag wins).

ARG BASE_IMAGE=debian:bookworm-slim
ARG JDK_IMAGE=eclipse-temurin:25-jdk

# --- the runtime: the modules the application uses (jdeps --print-module-deps over the jar and its
# libraries) plus those loaded by name at run time (zipfs, DNS naming): 98 MB instead of 300.
FROM ${JDK_IMAGE} AS jre
ARG JRE_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs,jdk.naming.dns,jdk.crypto.cryptoki
RUN jlink --add-modules "${JRE_MODULES}" --strip-java-debug-attributes --no-man-pages --no-header-files \
      --output /opt/sluice/jre
COPY target/sluice.jar /tmp/sluice.jar
# the Spring Boot jar extracted (a thin jar + lib/): starts faster and is what the AOT cache records
RUN java -Djarmode=tools -jar /tmp/sluice.jar extract --destination /opt/sluice/lib/app \
 && ln -s app/sluice.jar /opt/sluice/lib/sluice.jar
# SQLite's native library (tail's DB) out of its jar: sqlite-jdbc otherwise extracts it to /tmp at
# run time and loads it from there, which fails on a noexec tmpfs ("failed to map segment").
RUN arch="$(uname -m)" \
 && mkdir -p /opt/sluice/lib/native /tmp/sqlite && cd /tmp/sqlite \
 && jar xf /opt/sluice/lib/app/lib/sqlite-jdbc-*.jar "org/sqlite/native/Linux/${arch}/libsqlitejdbc.so" \
 && mv "org/sqlite/native/Linux/${arch}/libsqlitejdbc.so" /opt/sluice/lib/native/ \
 && rm -rf /tmp/sqlite

FROM ${BASE_IMAGE}
ARG SLUICE_UID=10001
# JAVA_OPTS: the image's own flags (the SQLite library above); users add theirs in SLUICE_JAVA_OPTS
ENV SLUICE_JAVA_HOME=/opt/sluice/jre \
    JAVA_OPTS="-Dorg.sqlite.lib.path=/opt/sluice/lib/native -Dorg.sqlite.lib.name=libsqlitejdbc.so" \
    SLUICE_JAVA_OPTS="" \
    LANG=C.UTF-8
RUN groupadd --system --gid ${SLUICE_UID} sluice \
 && useradd --system --uid ${SLUICE_UID} --gid sluice --home-dir /var/lib/sluice --no-create-home \
      --shell /usr/sbin/nologin sluice \
 && mkdir -p /var/lib/sluice /etc/sluice \
 && chown sluice:sluice /var/lib/sluice
COPY --from=jre /opt/sluice /opt/sluice
COPY bin/sluice bin/sluice-http bin/sluice-config-reloader /opt/sluice/bin/
COPY conf/sluice.conf /etc/sluice/sluice.conf
# The AOT cache (JEP 483/514) is only valid for the runtime that recorded it, so it is recorded here,
# with this image's jlink'ed runtime and the launcher's flags, by a short training run
# (dummy -> exit with the HTTP server on, as the Maven build does). bin/sluice uses it when present;
# SLUICE_NO_AOT=1 or a collector chosen in SLUICE_JAVA_OPTS start without it.
ARG SLUICE_AOT=on
RUN if [ "${SLUICE_AOT}" = "on" ]; then \
      /opt/sluice/jre/bin/java -XX:+UseSerialGC -Xms16m -XX:MaxRAMPercentage=50 -XX:+UseCompactObjectHeaders \
        -Xss512k -XX:+ExitOnOutOfMemoryError --sun-misc-unsafe-memory-access=allow \
        --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=/opt/sluice/lib/app/sluice.aot -Xlog:aot=error \
        -jar /opt/sluice/lib/app/sluice.jar -q -i dummy -o exit -m '*' -f 0.2 -H -L 127.0.0.1 -P 0 \
      && rm -rf /tmp/* ; \
    fi \
 && ln -s /opt/sluice/bin/sluice /usr/local/bin/sluice \
 && ln -s /opt/sluice/bin/sluice /usr/local/bin/fluent-bit
USER ${SLUICE_UID}:${SLUICE_UID}
WORKDIR /var/lib/sluice
VOLUME ["/var/log", "/var/lib/sluice"]
# forward, http input, OTLP/HTTP, monitoring and admin API (actuator probes on 2020)
EXPOSE 24224 9880 4318 2020
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/opt/sluice/bin/sluice-http", "GET", "/actuator/health/readiness"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/sluice/bin/sluice"]
CMD ["-c", "/etc/sluice/sluice.conf"]
