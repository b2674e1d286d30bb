# app-metrics-proxy on Tomcat 10.1, port 2137.
#
#   mvn -B package -DskipTests
#   docker build -t app-metrics-proxy .
#   docker run -d -p 2137:2137 -v /var/run/docker.sock:/var/run/docker.sock:ro app-metrics-proxy
#
# Settings come from the environment (docker run -e SCRAPE_INTERVAL=30 ...); see the README.
# The socket is the only thing the container needs. ":ro" only protects the socket file: whoever
# can talk to the socket can use the whole Docker API, so keep port 2137 off untrusted networks.
#
# BASE_IMAGE: any image laid out like the official one (Tomcat 10.1 in $CATALINA_HOME, Java 17,
# a shell, CMD catalina.sh run), e.g. one assembled locally where no registry is reachable.
ARG BASE_IMAGE=tomcat:10.1-jdk17-temurin
FROM ${BASE_IMAGE}

# Only our webapp: no ROOT, docs, examples or manager from the distribution.
RUN rm -rf "$CATALINA_HOME/webapps" "$CATALINA_HOME/webapps.dist" \
    && mkdir "$CATALINA_HOME/webapps"

# One HTTP connector on 2137, no shutdown port, no AJP, quiet error pages; the rest of conf/ is stock.
COPY tomcat/server.xml $CATALINA_HOME/conf/server.xml
# JVM options (serial collector, heap cap, malloc arenas); JAVA_OPTS or CATALINA_OPTS override them.
COPY tomcat/setenv.sh $CATALINA_HOME/bin/setenv.sh
COPY target/app-metrics-proxy.war $CATALINA_HOME/webapps/ROOT.war

# The store and the node's SSH host key: mount a volume here so that the key (pinned by the peers)
# survives a new container.
ENV STORE_DIR=/var/lib/app-metrics-proxy/store SSH_DIR=/var/lib/app-metrics-proxy/ssh
RUN mkdir -p /var/lib/app-metrics-proxy

# 2137: HTTP (metrics, index). 2138: SFTP-only replication between nodes (REPLICATION_PORT).
EXPOSE 2137 2138

# No HEALTHCHECK here: it would need an HTTP client in the image. The official base has curl, but
# not every BASE_IMAGE does (the busybox-based one has none), and a check whose command is missing
# marks the container unhealthy for good; Swarm then replaces the task over and over. Where the
# base is known, add it in the stack or compose file:
#   healthcheck:
#     test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:2137/-/healthy"]
#
# CMD and STOPSIGNAL are the base image's: catalina.sh run, stopped by SIGTERM (docker stop).
