#!/bin/sh
# Starts Payara Micro with the relay: on PostgreSQL when DB_URL is set (or "postgresql" is the argument),
# else on the embedded H2. Used by the Dockerfile; PAYARA_DIR and DEPLOY_DIR come from the official image.
set -e
commands="$PAYARA_DIR/post-boot-commands.asadmin"
libs=""
if [ -n "$DB_URL" ] || [ "$1" = "postgresql" ]; then
    if [ -z "$DB_URL" ]; then
        echo "DB_URL is not set: give DB_URL, DB_USER and DB_PASSWORD for PostgreSQL" >&2
        exit 2
    fi
    cat "$PAYARA_DIR/post-boot-commands.asadmin" "$PAYARA_DIR/postgresql.asadmin" > /tmp/post-boot.asadmin
    commands=/tmp/post-boot.asadmin
    libs="--addLibs $PAYARA_DIR/lib/postgresql.jar"
fi
# shellcheck disable=SC2086
exec java $JVM_ARGS -jar "$PAYARA_DIR/payara-micro.jar" --nocluster $libs \
    --prebootcommandfile "$PAYARA_DIR/pre-boot-commands.asadmin" \
    --postbootcommandfile "$commands" --deploymentDir "$DEPLOY_DIR"
