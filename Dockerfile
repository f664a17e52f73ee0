# Gyre: build with Maven, run on a slim Java 21 runtime as a non-root user.
#   docker build -t gyre .
#   docker run -p 8000:8000 -v $PWD/conf:/etc/gyre gyre
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml cluster.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests -DskipE2e

FROM eclipse-temurin:21-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system gyre && useradd --system --gid gyre --home-dir /app gyre
WORKDIR /app
COPY --from=build /src/target/gyre.jar /app/gyre.jar
COPY conf/config.json /etc/gyre/config.json
USER gyre
# 8000: client transports, HTTP API, /health, /metrics; 10000: gRPC API; 5701: Hazelcast.
EXPOSE 8000 10000 5701
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fs http://127.0.0.1:8000/health || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/gyre.jar --config /etc/gyre/config.json \"$@\"", "--"]
