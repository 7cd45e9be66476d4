package io.tributary.group.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only if a PostgreSQL server accepts a connection: the one named by
 * {@code TRIBUTARY_TEST_POSTGRES_URL} (with {@code _USER}, {@code _PASSWORD}), or else
 * {@code jdbc:postgresql://localhost:5432/tributary_test} as {@code tributary}/{@code tributary}.
 * Skipped, never failed, when there is none.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EnabledIfPostgres.Postgres.class)
public @interface EnabledIfPostgres {

    /** The condition and the connection settings. */
    final class Postgres implements ExecutionCondition {

        private static volatile Boolean reachable;
        private static volatile String reason;

        public static String url() {
            return env("TRIBUTARY_TEST_POSTGRES_URL", "jdbc:postgresql://localhost:5432/tributary_test");
        }

        public static String user() {
            return env("TRIBUTARY_TEST_POSTGRES_USER", "tributary");
        }

        public static String password() {
            return env("TRIBUTARY_TEST_POSTGRES_PASSWORD", "tributary");
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (reachable == null) {
                synchronized (Postgres.class) {
                    if (reachable == null) {
                        DriverManager.setLoginTimeout(3);
                        try (Connection c = DriverManager.getConnection(url(), user(), password())) {
                            reason = "PostgreSQL " + c.getMetaData().getDatabaseProductVersion() + " at " + url();
                            reachable = true;
                        } catch (Exception e) {
                            reason = "no PostgreSQL at " + url() + ": " + e.getMessage();
                            reachable = false;
                        }
                    }
                }
            }
            return reachable ? ConditionEvaluationResult.enabled(reason) : ConditionEvaluationResult.disabled(reason);
        }
    }
}
