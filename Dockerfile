# assistant-stream on the official Payara Micro image (Jakarta EE 10, JDK 17).
#   docker build -t assistant-stream .
#   docker run -p 8080:8080 -e APOLLO_URL=http://apollo:3000 assistant-stream
# Every setting of the README's configuration table can be given as an environment variable.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM payara/micro:6.2025.10-jdk17
COPY --chown=payara:payara server-config/payara/post-boot-commands.asadmin ${PAYARA_DIR}/post-boot-commands.asadmin
COPY --from=build --chown=payara:payara /src/target/assistant-stream.war ${DEPLOY_DIR}/assistant-stream.war
ENV APOLLO_IDLE_TIMEOUT_SECONDS=120
EXPOSE 8080
# The image's entrypoint runs Payara Micro; the WAR's name gives the context root /assistant-stream.
CMD ["--nocluster", "--postbootcommandfile", "/opt/payara/post-boot-commands.asadmin", \
     "--deploymentDir", "/opt/payara/deployments"]
