# assistant-stream on the official Payara Micro image (Jakarta EE 10, JDK 17).
#   docker build -t assistant-stream .
#   docker run -p 8080:8080 -e APOLLO_URL=http://apollo:3000 assistant-stream                  (embedded H2)
#   docker run -p 8080:8080 -e APOLLO_URL=… -e DB_URL=jdbc:postgresql://db:5432/assistant \
#              -e DB_USER=… -e DB_PASSWORD=… assistant-stream postgresql                       (PostgreSQL)
# Every setting of the README's configuration table can be given as an environment variable.
# The WildFly image is Dockerfile.wildfly; docker-compose.yml runs either with PostgreSQL.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN mvn -B -q -DskipTests package \
 && mvn -B -q dependency:copy -Dartifact=org.postgresql:postgresql:42.7.13 -DoutputDirectory=target \
 && mv target/postgresql-42.7.13.jar target/postgresql.jar

FROM payara/micro:6.2025.10-jdk17
COPY --chown=payara:payara server-config/payara/pre-boot-commands.asadmin \
     server-config/payara/post-boot-commands.asadmin server-config/payara/postgresql.asadmin \
     server-config/payara/entrypoint.sh ${PAYARA_DIR}/
COPY --from=build --chown=payara:payara /src/target/postgresql.jar ${PAYARA_DIR}/lib/postgresql.jar
COPY --from=build --chown=payara:payara /src/target/assistant-stream.war ${DEPLOY_DIR}/assistant-stream.war
EXPOSE 8080
# The WAR's name gives the context root /assistant-stream. The argument "postgresql" (or DB_URL being set)
# points the default datasource at PostgreSQL; otherwise Payara's embedded H2 is used.
ENTRYPOINT ["/bin/sh", "/opt/payara/entrypoint.sh"]
