# syntax=docker/dockerfile:1

# Replicator: one image for every process role (REPLICATOR_ROLES=api,scheduler,worker).
#   docker build -t replicator .
#   docker run -p 8080:8080 -e REPLICATOR_MASTER_KEY="$(openssl rand -base64 32)" replicator
# Without DATASOURCE_URL the server uses an embedded PostgreSQL under /app/data (mount a volume there);
# docker-compose.yml runs it against a real PostgreSQL instead.

# ---------------------------------------------------------------------------------------------------------------
# Build: the dashboard (npm, with a Node.js that frontend-maven-plugin downloads from nodejs.org, since this image
# has none) and the runnable jar backend/target/replicator.jar. Maven's and npm's caches survive between builds.
# ---------------------------------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    --mount=type=cache,target=/root/.npm \
    mvn -B -ntp package -DskipTests -Dfrontend.downloadNode=true \
 && test -s backend/target/replicator.jar

# ---------------------------------------------------------------------------------------------------------------
# Runtime: a JRE, the jar and curl (for the health check), running as an unprivileged user.
# ---------------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid, so that a volume mounted at /app/data can be chowned to 10001:10001 ahead of time.
RUN groupadd --gid 10001 replicator \
 && useradd --uid 10001 --gid replicator --create-home --home-dir /home/replicator --shell /usr/sbin/nologin replicator \
 && mkdir -p /app/data \
 && chown replicator:replicator /app/data

WORKDIR /app
COPY --from=build /src/backend/target/replicator.jar /app/replicator.jar

# Only the embedded database (used when DATASOURCE_URL is unset) writes here.
ENV REPLICATOR_DATA_DIR=/app/data

USER 10001:10001
EXPOSE 8080

# GET /health answers 200 {"status":"UP"} once the database answers; every role serves it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-8080}/health" || exit 1

# Heap follows the container's memory limit; an OutOfMemoryError ends the process so that the restart policy
# replaces it. Only the C1 compiler (TieredStopAtLevel=1): a copy is mostly the AWS SDK's request pipeline, whose
# code C2 keeps compiling and deoptimising — with C2 a worker spent 12.7 ms of CPU per small object after a
# 1,000-object warm-up, with C1 alone 7.3 (bench/RESULTS.md). Extra JVM flags: set JAVA_TOOL_OPTIONS (the JVM reads
# it itself), e.g. -e JAVA_TOOL_OPTIONS=-Xss512k.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-jar", "/app/replicator.jar"]
