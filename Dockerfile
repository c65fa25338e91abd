# syntax=docker/dockerfile:1
#
# cvd-planner image: built with the Maven wrapper on a Temurin 17 JDK, run on a Temurin 17 JRE.
# Both are Ubuntu-based (glibc): ND4J's native libraries and the embedded PostgreSQL binaries
# do not run on musl (alpine).
#
#   docker build -t cvd-planner .
#   docker run -p 8080:8080 -v cvd-planner-data:/app/data cvd-planner
#
# See docs/deploy.md.

ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

# ---------------------------------------------------------------------------------------------
# 1. build: the same wrapper command a developer runs, tests skipped (CI runs them)
# ---------------------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /workspace

# The BuildKit cache mount keeps ~/.m2 (Maven itself and the dependencies) between builds.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY db/ db/
COPY src/main/ src/main/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -Dmaven.test.skip=true \
    && cp target/cvd-planner-*.jar application.jar

# Split the fat jar into its layers (dependencies, spring-boot-loader, snapshot-dependencies,
# application), laid out for org.springframework.boot.loader.launch.JarLauncher.
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted

# ---------------------------------------------------------------------------------------------
# 2. runtime: JRE only, non-root, layers ordered from least to most often changed
# ---------------------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime

# curl for the HEALTHCHECK (and for operators); fontconfig and one font family for the
# server-side proposal plots (Java2D needs a font configuration to draw text headless).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ARG APP_UID=10001
RUN groupadd --system --gid ${APP_UID} cvd \
    && useradd --system --uid ${APP_UID} --gid cvd --home-dir /home/cvd --create-home \
       --shell /usr/sbin/nologin cvd \
    && mkdir -p /app/data \
    && chown cvd:cvd /app/data

WORKDIR /app
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# OMP_NUM_THREADS=1: one OpenMP thread per ND4J op was fastest on few cores (DESIGN.md); raise
#   it only on a machine with cores to spare, and measure.
# JDK_JAVA_OPTIONS is read by the java launcher itself (no shell needed); override it whole.
#   SerialGC was fastest for ND4J on few cores. The heap gets 40 % of the container's memory:
#   ND4J's off-heap buffers may grow as large as the heap (JavaCPP's maxbytes defaults to the
#   maximum heap), and metaspace, threads and (without an external database) the embedded
#   PostgreSQL need the rest.
# CVD_PLANNER_DATA_DIR: the embedded PostgreSQL keeps its data under $CVD_PLANNER_DATA_DIR/postgres;
#   it is only used when no SPRING_DATASOURCE_URL is given.
ENV OMP_NUM_THREADS=1 \
    JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError" \
    CVD_PLANNER_DATA_DIR=/app/data \
    PORT=8080

USER cvd
VOLUME ["/app/data"]
EXPOSE 8080

# start-period covers Flyway, the embedded PostgreSQL's first initdb and ND4J's warm-up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/actuator/health" > /dev/null || exit 1

ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
