package io.assistantstream.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and migrates the schema with Flyway before anything else touches the database, so a restart keeps every
 * session, message and change (JPA's drop-and-create would not). The datasource is the server's default one:
 * H2 unless the server configuration points it at PostgreSQL ({@code server-config/}).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    private volatile boolean migrated;

    @PostConstruct
    void migrate() {
        String product = productName();
        MigrateResult result = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("large_text", product.contains("postgres") ? "text" : "clob"))
                .load()
                .migrate();
        LOG.info("Database schema on " + product + " is at version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migration(s) applied now)");
        migrated = true;
    }

    /** Whether the schema is migrated: until then the server is not ready for traffic. */
    @Lock(LockType.READ)
    public boolean isMigrated() {
        return migrated;
    }

    private String productName() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("The database cannot be reached (" + e.getMessage()
                    + "); check the server's default datasource (DB_URL, DB_USER, DB_PASSWORD)", e);
        }
    }
}
