# DocShift container image. Checked by the build (app PackagingFilesTest: jar name, ports, probe
# path, environment variables) but not built here: no container engine runs on the build machines.
#
#   docker build -t docshift:0.1.0 .
#   docker run -p 8080:8080 -p 9090:9090 --env-file docshift.env \
#     -v $PWD/docshift.conf:/etc/docshift/docshift.conf:ro docshift:0.1.0

# ---- build stage: the runnable jar app/target/docshift.jar ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -Dmaven.test.skip=true -Dspotless.check.skip=true package -pl app -am

# ---- runtime stage: a JRE, the jar, a non-root user ----
FROM eclipse-temurin:17-jre
# curl only for the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 docshift \
 && useradd --system --uid 10001 --gid docshift --home-dir /var/lib/docshift --create-home docshift \
 && mkdir -p /etc/docshift /opt/docshift
COPY --from=build /src/app/target/docshift.jar /opt/docshift/docshift.jar
COPY conf/docshift.conf /etc/docshift/docshift.conf
# Listen on every interface inside the container (the defaults are loopback only).
ENV DOCSHIFT_PROXY_HOST=0.0.0.0 \
    DOCSHIFT_ADMIN_HOST=0.0.0.0 \
    DOCSHIFT_PROXY_SPOOLDIR=/var/lib/docshift/spool \
    DOCSHIFT_LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
USER 10001:10001
WORKDIR /var/lib/docshift
# 8080 = proxy.port, 9090 = admin.port (admin API, /metrics, /livez, /readyz).
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9090/livez || exit 1
ENTRYPOINT ["java", "-jar", "/opt/docshift/docshift.jar"]
CMD ["serve", "--config", "/etc/docshift/docshift.conf"]
