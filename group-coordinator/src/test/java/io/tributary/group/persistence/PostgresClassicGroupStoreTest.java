package io.tributary.group.persistence;

import io.tributary.group.testing.EnabledIfPostgres;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The classic group store contract on PostgreSQL, when one is reachable (see
 * {@link EnabledIfPostgres}); skipped otherwise.
 */
@EnabledIfPostgres
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class PostgresClassicGroupStoreTest extends ClassicGroupStoreContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", EnabledIfPostgres.Postgres::url);
        registry.add("spring.datasource.username", EnabledIfPostgres.Postgres::user);
        registry.add("spring.datasource.password", EnabledIfPostgres.Postgres::password);
    }
}
